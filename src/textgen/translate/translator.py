"""A trained translation model you call on a sentence, as the seed calls its `model(prompt)`.

The tokenizer's [CLS] begins and [SEP] ends every sequence (the seed's special symbols), [PAD]
pads. Greedy decoding by default; `beam_size` > 1 runs beam search. Saved as `final.pt` (weights
and config, no optimizer state) next to `tokenizer.json`; the weights file records the tokenizer's
sha256, so a model is never loaded with a tokenizer it was not trained with.

    >>> from textgen.translate.vocab import joint_tokenizer
    >>> from textgen.translate.config import TranslationConfig
    >>> tok = joint_tokenizer([("en stol", "ein stol")], vocab_size=262)
    >>> _ = torch.manual_seed(0)
    >>> cfg = TranslationConfig(vocab_size=tok.vocab_size, pad_id=tok.pad_id, n_embd=16, n_head=2,
    ...                         n_feedforward=32, n_encoder_layer=1, n_decoder_layer=1)
    >>> translator = Translator(Seq2SeqTransformer(cfg), tok)
    >>> isinstance(translator("En stol."), str), len(translator(["a", "b"], beam_size=2))
    (True, 2)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import torch

from textgen.bpe import Tokenizer
from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file
from textgen.translate.config import TranslationConfig
from textgen.translate.corpus import length_batches
from textgen.translate.decode import translate
from textgen.translate.model import Seq2SeqTransformer

FORMAT = "textgen-translation-model"
FORMAT_VERSION = 1
WEIGHTS, TOKENIZER = "final.pt", "tokenizer.json"


def max_output_len(source_len: int, config: TranslationConfig) -> int:
    """Tokens a translation may have: 1.5x the source plus 10 (one language pair's sentences
    rarely differ more), within the encoded positions ([CLS] takes one).

    >>> max_output_len(20, TranslationConfig())
    40
    """
    return min(source_len * 3 // 2 + 10, config.max_len - 1)


class Translator:
    def __init__(self, model: Seq2SeqTransformer, tokenizer: Tokenizer):
        if tokenizer.vocab_size != model.config.vocab_size or tokenizer.pad_id != model.config.pad_id:
            raise TextgenError(f"tokenizer: vocab_size {tokenizer.vocab_size} / [PAD] {tokenizer.pad_id} do not "
                               f"match the model's {model.config.vocab_size} / {model.config.pad_id}")
        self.model, self.tokenizer = model, tokenizer

    def __call__(self, text: str | Sequence[str], beam_size: int = 1, alpha: float = 1.0,
                 batch_size: int = 64) -> str | list[str]:
        """Translate one sentence (-> str) or a list of them (-> list, same order)."""
        if isinstance(text, str):
            return self.translate_all([text], beam_size, alpha, batch_size)[0]
        return self.translate_all(list(text), beam_size, alpha, batch_size)

    def translate_all(self, texts: Sequence[str], beam_size: int = 1, alpha: float = 1.0,
                      batch_size: int = 64) -> list[str]:
        # Greedy decoding runs a batch at a time; similar lengths together waste the least on padding.
        sources = self.tokenizer.encode_batch(texts)
        out: list[str] = [""] * len(texts)
        for batch in length_batches([len(s) for s in sources], batch_size):
            ids = [sources[i] for i in batch]
            limit = max_output_len(max(map(len, ids)), self.model.config)
            outputs = translate(self.model, ids, self.tokenizer.cls_id, self.tokenizer.sep_id, limit, beam_size, alpha)
            for i, output in zip(batch, outputs, strict=True):
                # Each sentence's own limit, so that it translates the same alone or in any batch.
                out[i] = self.tokenizer.decode(output[: max_output_len(len(sources[i]), self.model.config)])
        return out

    def save(self, folder: str | os.PathLike) -> None:
        """Write folder/tokenizer.json and folder/final.pt (fp32 weights and config)."""
        folder = Path(folder)
        self.tokenizer.save(folder / TOKENIZER)
        doc = {"format": FORMAT, "version": FORMAT_VERSION, "config": dataclasses.asdict(self.model.config),
               "model": self.model.state_dict(), "tokenizer_sha256": sha256_file(folder / TOKENIZER)}
        with atomic_path(folder / WEIGHTS) as tmp:
            torch.save(doc, tmp)

    @classmethod
    def load(cls, folder: str | os.PathLike) -> Translator:
        folder = Path(folder)
        path = folder / WEIGHTS
        try:
            doc = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:  # missing, truncated, not torch: torch raises many kinds
            raise TextgenError(f"{path}: not a readable model file ({type(exc).__name__}: {exc})") from exc
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != FORMAT_VERSION:
            raise TextgenError(f"{path}: not a {FORMAT} file of version {FORMAT_VERSION}")
        tokenizer_sha = sha256_file(folder / TOKENIZER) if (folder / TOKENIZER).exists() else None
        if tokenizer_sha != doc.get("tokenizer_sha256"):
            raise TextgenError(f"{folder / TOKENIZER}: missing or not the tokenizer {path.name} was trained with")
        try:
            model = Seq2SeqTransformer(TranslationConfig(**doc["config"]))
            model.load_state_dict(doc["model"])
        except (KeyError, TypeError, RuntimeError) as exc:
            raise TextgenError(f"{path}: corrupt model file ({type(exc).__name__}: {exc})") from exc
        return cls(model.eval(), Tokenizer.load(folder / TOKENIZER))
