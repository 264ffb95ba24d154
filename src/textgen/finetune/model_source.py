"""Where a fine-tuning run's base model comes from: a local folder (what `fetch-base-model` made)
or a hub name (`gpt2`, `t5-small`), through the same `from_pretrained` call.

A local folder means offline: HF_HUB_OFFLINE is set and `local_files_only` passed, so nothing
reaches for the network at run time. A folder that is missing, or a name the hub cannot give,
is a TextgenError that names the parameter and how to fetch the model.

    >>> src = ModelSource.of("/nonexistent/base", "finetune.base_model")
    >>> src.local
    True
    >>> ModelSource.of("gpt2", "finetune.base_model").local
    False
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textgen.errors import TextgenError

FETCH_HINT = ("fetch it with `snakemake data/raw/base_model` (or `textgen fetch-base-model --source JSON "
              "--out DIR`), or name a hub model where the hub is reachable")


@dataclass(frozen=True)
class ModelSource:
    where: str  # a folder or a hub name
    param: str  # the parameter that named it, for messages
    local: bool

    @classmethod
    def of(cls, where: str, param: str) -> ModelSource:
        # Anything that looks like a path is one: a typo must not turn into a hub lookup.
        looks_like_path = Path(where).exists() or where.startswith((".", "/", "~")) or where.count("/") > 1
        return cls(where, param, looks_like_path)

    def kwargs(self) -> dict:
        """Keyword arguments for from_pretrained; raises if a local folder is missing."""
        if not self.local:
            return {}
        folder = Path(self.where)
        if not (folder / "config.json").is_file():
            what = "is not a model folder (no config.json)" if folder.is_dir() else "does not exist"
            raise TextgenError(f"{self.param}: {self.where} {what}; {FETCH_HINT}")
        os.environ["HF_HUB_OFFLINE"] = "1"
        return {"local_files_only": True}

    def load(self, loader, **kwargs):
        """`loader.from_pretrained(self.where, ...)`, turning any failure to read it (a missing hub
        name, a truncated or forged weight file, a pickle that asks to run code) into a TextgenError
        that names the folder's weight files."""
        options = self.kwargs()
        try:
            return loader.from_pretrained(self.where, **options, **kwargs)
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as err:  # safetensors, pickle and tokenizers each raise their own kinds
            raise TextgenError(f"{self.param}: cannot load {self._what()} ({load_error(err)}); {FETCH_HINT}") from None

    def _what(self) -> str:
        if not self.local:
            return repr(self.where)
        weights = sorted(str(p) for p in Path(self.where).iterdir() if p.suffix in WEIGHT_SUFFIXES)
        return ", ".join(weights) if weights else self.where


WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".gguf")


def load_error(err: BaseException) -> str:
    """One line saying why a model file did not load; never torch's advice to retry unsafely.

    >>> import pickle
    >>> load_error(pickle.UnpicklingError("Weights only load failed. Re-running with weights_only=False ..."))
    'UnpicklingError: the file holds objects other than tensors; loading it could run code, so it is refused'
    >>> load_error(OSError("no file named config.json\\nmore"))
    'OSError: no file named config.json'
    """
    if type(err).__name__ == "UnpicklingError":
        return f"{type(err).__name__}: the file holds objects other than tensors; loading it could run code, so it is refused"
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0]}" if text else type(err).__name__
