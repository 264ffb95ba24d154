"""One byte-level BPE vocabulary for both sides of a pair set, learned on the training split.

Joint, not one per side, because (1) the seed does so: its single vocab_size sizes both the
source and the target embedding; (2) Bokmål and Nynorsk share most words, so with one vocabulary
an unchanged word is the same ids on both sides and copying it is an identity the model can learn;
English -> Bokmål LibreOffice strings share names, numbers and product terms the same way.
Only the training split is read: validation and test text must not shape the vocabulary.

    >>> tok = joint_tokenizer([("en stol", "ein stol")] * 3, vocab_size=256 + 3 + 4)
    >>> tok.decode(tok.encode("ein stol")), tok.vocab_size
    ('ein stol', 263)
"""

from __future__ import annotations

from collections.abc import Sequence

from textgen.bpe import Tokenizer, train_bpe


def joint_tokenizer(pairs: Sequence[tuple[str, str]], vocab_size: int) -> Tokenizer:
    """BPE over every source and target sentence; ids: bytes, merges, then [PAD] [CLS] [SEP]."""
    return train_bpe([s for s, _ in pairs] + [t for _, t in pairs], vocab_size)
