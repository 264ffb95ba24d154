"""Report A's word corpus as the training commands use it, and the files a trained model is saved in.

A word folder (`textgen prepare-words`) holds vocab.json, tokens_{train,val,test}.int32 and
meta.json; meta.json records the sha256 of the others, so its own sha256 identifies the data a
checkpoint or a model was trained on.

>>> import tempfile, torch
>>> from textgen.lstm import LSTMConfig, build_model
>>> path = Path(tempfile.mkdtemp()) / "model.pt"
>>> save_model(path, "simple", build_model("simple", LSTMConfig(vocab_size=5)), {"data": "abc"})
>>> kind, model, info = load_model(path)
>>> kind, type(model).__name__, info["data"]
('simple', 'WordLSTM', 'abc')
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file
from textgen.lstm import LSTMConfig, build_model
from textgen.words import Vocab, open_tokens

# What torch.load and load_state_dict raise for a damaged or foreign file (zip, pickle, format, shapes).
UNREADABLE = (RuntimeError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError)
MODEL_FORMAT = "textgen-lstm-model"
MODEL_VERSION = 1


@dataclass
class WordData:
    folder: Path
    vocab: Vocab
    train: np.memmap
    val: np.memmap
    test: np.memmap
    sha256: str  # of meta.json, which lists the sha256 of every other file

    @classmethod
    def load(cls, folder: str | os.PathLike) -> WordData:
        folder = Path(folder)
        meta = folder / "meta.json"
        if not meta.is_file():
            raise TextgenError(f"{meta}: not found; is {folder} a folder made by `textgen prepare-words`?")
        splits = {split: open_tokens(folder / f"tokens_{split}.int32") for split in ("train", "val", "test")}
        return cls(folder, Vocab.load(folder / "vocab.json"), **splits, sha256=sha256_file(meta))

    def text_bytes(self, split: str) -> np.memmap:
        """Per token of `split`, the bytes of the book's text it accounts for (prepare-words)."""
        return open_tokens(self.folder / f"bytes_{split}.int32")

    def prompt_ids(self, prompt: list[str], where: str = "prompt") -> list[int]:
        """Ids of the prompt words; a word outside the vocabulary names itself and the parameter."""
        try:
            return self.vocab.encode(prompt, strict=True)
        except TextgenError as err:
            raise TextgenError(f"{where}: {err}") from None


def save_model(path: str | os.PathLike, kind: str, model: nn.Module, info: dict[str, Any]) -> None:
    """Weights, kind and configuration (plus `info`: plain values) as a torch file, atomically."""
    blob = {"format": MODEL_FORMAT, "version": MODEL_VERSION, "kind": kind,
            "config": dataclasses.asdict(model.config), "state_dict": model.state_dict(), "info": info}
    with atomic_path(path) as tmp:
        torch.save(blob, tmp)


def load_model(path: str | os.PathLike) -> tuple[str, nn.Module, dict[str, Any]]:
    """(kind, model in eval mode, info) of a file written by `save_model`."""
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
        if blob.get("format") != MODEL_FORMAT or blob.get("version") != MODEL_VERSION:
            raise ValueError(f"not a {MODEL_FORMAT} v{MODEL_VERSION} file")
        model = build_model(blob["kind"], LSTMConfig(**blob["config"]))
        model.load_state_dict(blob["state_dict"])
    except FileNotFoundError:
        raise TextgenError(f"{path}: model file not found") from None
    except UNREADABLE as err:
        raise TextgenError(f"{path}: not a readable LSTM model ({err})") from None
    return blob["kind"], model.eval(), blob["info"]
