"""What every training command shares on its command line: seed, threads, resumable state, output."""

from __future__ import annotations

import argparse
from pathlib import Path


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
