"""The offline T5's vocabulary: a sentencepiece unigram model trained on the poems and wrapped as
a transformers `T5Tokenizer`, with T5's id layout (<pad> 0, </s> 1, <unk> 2) and no sentinels.

Training is deterministic (one thread, every sentence used), so the same poems give the same
model bytes, whose sha256 is part of a run's checkpoint fingerprint.

    >>> lines = ["shall I compare thee to a summer's day"] * 20 + ["thou art more lovely"] * 20
    >>> model = train_sentencepiece(lines, vocab_size=40)
    >>> tok = t5_tokenizer(model)
    >>> tok.pad_token_id, tok.eos_token_id, tok.decode(tok("thou art")["input_ids"], skip_special_tokens=True)
    (0, 1, 'thou art')
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import sentencepiece as spm
from transformers import T5Tokenizer

SPECIALS = {"pad_id": 0, "eos_id": 1, "unk_id": 2, "bos_id": -1}  # T5's layout; T5 has no BOS


def train_sentencepiece(lines: Iterable[str], vocab_size: int) -> bytes:
    """A unigram model (serialized bytes) over `lines`; the vocabulary may come out smaller than
    `vocab_size` on a small corpus rather than fail."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in lines if line.strip()]),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        normalization_rule_name="identity",  # texts are NFC already; keeps HF and spm ids identical
        num_threads=1,
        input_sentence_size=0,
        minloglevel=2,
        **SPECIALS,
    )
    return model.getvalue()


def t5_tokenizer(model: bytes) -> T5Tokenizer:
    processor = spm.SentencePieceProcessor(model_proto=model)
    vocab = [(processor.id_to_piece(i), processor.get_score(i)) for i in range(processor.get_piece_size())]
    return T5Tokenizer(vocab=vocab, extra_ids=0)
