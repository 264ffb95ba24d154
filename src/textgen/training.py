"""What every training command shares: its command line (seed, threads, resumable state, output),
and how a resumable state tells the run it belongs to from another (`first_difference`)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from textgen.errors import TextgenError


def add_run_arguments(parser: argparse.ArgumentParser, checkpoints_help: str | None = "resumable state (not an output)",
                      out_help: str = "output folder (replaced as a whole)", seed: bool = True) -> None:
    """Add --seed, --threads, --checkpoints and --out, the same for every command that trains or
    samples (checkpoints_help=None: a command without resumable state; seed=False: one without
    randomness)."""
    if seed:
        parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    if checkpoints_help is not None:
        parser.add_argument("--checkpoints", type=Path, required=True, help=checkpoints_help)
    parser.add_argument("--out", type=Path, required=True, help=out_help)


def use_threads(threads: int, with_torch: bool = True) -> None:
    """Compute on `threads` cores: torch's thread pool (with_torch=False: a command that does not
    import torch) and Hugging Face tokenizers' pool. Tokenizers uses every core unless told (read
    when its pool starts, at first use), so two one-thread jobs on two cores would wait for each other."""
    os.environ["RAYON_NUM_THREADS"] = str(threads)
    if with_torch:
        import torch

        torch.set_num_threads(threads)


def start_run(args: argparse.Namespace) -> None:
    """Use the rule's threads and torch's deterministic algorithms (same command, same metrics);
    refuse resumable state inside the output, which a rerun replaces."""
    import torch

    checkpoints = getattr(args, "checkpoints", None)
    if checkpoints is not None and Path(checkpoints).resolve().is_relative_to(Path(args.out).resolve()):
        raise TextgenError(f"--checkpoints {checkpoints} lies inside --out {args.out}, which is replaced")
    use_threads(args.threads)
    torch.use_deterministic_algorithms(True, warn_only=True)
    # Deterministic mode also fills every new tensor with NaN, which only matters to code that
    # reads memory it never wrote; it made beam search 5-10x slower.
    torch.utils.deterministic.fill_uninitialized_memory = False


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
