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
        """`loader.from_pretrained(self.where, ...)`, turning the hub's errors into a TextgenError."""
        try:
            return loader.from_pretrained(self.where, **self.kwargs(), **kwargs)
        except (OSError, ValueError) as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise TextgenError(f"{self.param}: cannot load {self.where!r} ({first}); {FETCH_HINT}") from None
