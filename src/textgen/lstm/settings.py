"""Parameter blocks of Report A's commands, checked key by key so an error names the parameter.

Each command receives its params.yaml block as JSON (`--params`, `--evaluation`); `read_block`
checks that it has exactly the expected keys and that every value has the expected type and range.

>>> read_block({"lr": 0.003, "batch_size": 64}, {"lr": positive_float, "batch_size": positive_int}, "--params")
{'lr': 0.003, 'batch_size': 64}
>>> read_block({"lr": 0}, {"lr": positive_float}, "--params")
Traceback (most recent call last):
...
textgen.errors.TextgenError: --params.lr: expected a number > 0, got 0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from textgen.errors import TextgenError
from textgen.lstm.config import LSTMConfig

Check = Callable[[Any], Any]  # returns the value, or raises ValueError with what was expected

MODEL_KINDS = ("simple", "attention", "multihead", "attention_fixed", "multihead_fixed")
ARCH_KEYS = ("embedding_dim", "hidden_size", "n_layers", "bidirectional", "n_heads")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # true is not 1 here


def positive_int(value: Any) -> int:
    if not _is_int(value) or value < 1:
        raise ValueError(f"expected an integer >= 1, got {value!r}")
    return value


def non_negative_int(value: Any) -> int:
    if not _is_int(value) or value < 0:
        raise ValueError(f"expected an integer >= 0, got {value!r}")
    return value


def positive_float(value: Any) -> float:
    if not (_is_int(value) or isinstance(value, float)) or not value > 0:
        raise ValueError(f"expected a number > 0, got {value!r}")
    return float(value)


def non_negative_float(value: Any) -> float:
    if not (_is_int(value) or isinstance(value, float)) or not value >= 0:
        raise ValueError(f"expected a number >= 0, got {value!r}")
    return float(value)


def fraction(value: Any) -> float:
    if not (_is_int(value) or isinstance(value, float)) or not 0 < value < 1:
        raise ValueError(f"expected a number strictly between 0 and 1, got {value!r}")
    return float(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")  # noqa: TRY004 (read_block reports ValueErrors)
    return value


def words(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
        raise ValueError(f"expected a non-empty list of words, got {value!r}")
    return value


def identifier(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a non-empty name, got {value!r}")
    return value


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return value
    return check


def read_block(block: Any, spec: Mapping[str, Check], where: str) -> dict[str, Any]:
    """`block` checked against `spec` (key -> check): exactly these keys, each value valid."""
    if not isinstance(block, dict):
        raise TextgenError(f"{where}: expected a JSON object, got {type(block).__name__}")
    missing, unknown = sorted(set(spec) - set(block)), sorted(set(block) - set(spec))
    if missing or unknown:
        raise TextgenError(f"{where}: " + "; ".join(
            part for part in (f"missing key(s) {', '.join(missing)}" if missing else "",
                              f"unknown key(s) {', '.join(unknown)}" if unknown else "") if part)
            + f" (expected {', '.join(spec)})")
    checked = {}
    for key, check in spec.items():
        try:
            checked[key] = check(block[key])
        except ValueError as err:
            raise TextgenError(f"{where}.{key}: {err}") from None
    return checked


ARCH: dict[str, Check] = {"kind": one_of(*MODEL_KINDS), "embedding_dim": positive_int, "hidden_size": positive_int,
                          "n_layers": positive_int, "bidirectional": boolean, "n_heads": positive_int}
# Listing 9's config, the keys of Figure 13 (plus kind and n_heads, which Figure 18 lists).
CUSTOM: dict[str, Check] = {**ARCH, "iterations": positive_int, "max_len": positive_int,
                            "evaluate_interval": positive_int, "lr": positive_float, "batch_size": positive_int}
# What every evaluation of the custom loop writes, shared by the models.
EVALUATION: dict[str, Check] = {"prompt": words, "max_words": positive_int, "beam_k": positive_int,
                                "beam_max_words": positive_int, "val_windows": positive_int, "log_every": positive_int}


def model_config(block: Mapping[str, Any], vocab_size: int, where: str) -> LSTMConfig:
    """The LSTMConfig of a checked block (its ARCH keys) for a vocabulary of `vocab_size`."""
    try:
        return LSTMConfig(vocab_size, **{key: block[key] for key in ARCH_KEYS})
    except TextgenError as err:
        raise TextgenError(f"{where}: {err}") from None
