"""What every training command shares: its command line (seed, threads, resumable state, output),
and how a resumable state tells the run it belongs to from another (`first_difference`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_run_arguments(parser: argparse.ArgumentParser, checkpoints_help: str = "resumable state (not an output)") -> None:
    """Add --seed, --threads, --checkpoints and --out, the same for every training command."""
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--checkpoints", type=Path, required=True, help=checkpoints_help)
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced as a whole)")


def start_run(args: argparse.Namespace) -> None:
    """Use the rule's threads and torch's deterministic algorithms (same command, same metrics)."""
    import torch

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True, warn_only=True)


def plain(run: dict[str, Any]) -> dict[str, Any]:
    """`run` as JSON would give it back (tuples become lists), so saved and new runs compare equal.

    >>> plain({"betas": (0.9, 0.99)})
    {'betas': [0.9, 0.99]}
    """
    return json.loads(json.dumps(run, sort_keys=True))


def first_difference(have: Any, want: Any, key: str = "run") -> str | None:
    """The first setting in which a saved run (`have`) and this one (`want`) differ, as
    'key: checkpoint X, now Y', or None when they are the same run.

    >>> first_difference({"a": {"b": 1}}, {"a": {"b": 2}})
    'run.a.b: checkpoint 1, now 2'
    >>> first_difference({"a": 1}, {"a": 1}) is None
    True
    """
    if isinstance(have, dict) and isinstance(want, dict):
        for name in sorted(set(have) | set(want)):
            found = first_difference(have.get(name), want.get(name), f"{key}.{name}")
            if found:
                return found
        return None
    return None if have == want else f"{key}: checkpoint {have!r}, now {want!r}"
