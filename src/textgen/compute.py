"""Where and how a trainer runs: params.yaml's `compute:` block, handed to Lightning Fabric.

Every custom training loop (Listing 9's LSTM loop, the GPT loop, the translation loop) starts with
`fabric = launch(settings, threads)` and trains through it: Fabric places the model and batches
on the device, applies the precision (autocast for `bf16-mixed`) and, with `devices: N` and
`strategy: ddp`, starts N processes that average their gradients (gloo on CPU, NCCL on GPUs). The
Lightning path and the Hugging Face Trainer get the same settings (`trainer_kwargs`,
`hf_arguments`).

    compute:
      accelerator: auto     # auto | cpu | cuda | gpu | mps
      devices: auto         # auto (all GPUs, or 1 process on a CPU) or a number of devices/processes
      num_nodes: 1
      precision: auto       # auto (bf16-mixed on a GPU that has bf16, else 32-true) | 32-true | bf16-mixed | 16-mixed
      strategy: auto        # auto | ddp | fsdp | ...
      overrides:            # per training job, keyed by its output folder
        results/gpt/models/quixote_large: {devices: 4}

Data order and seeds with N processes: every rank draws the same global batch from the run's
seeded generator and trains on its own contiguous slice of rows (`shard`), so 1 device and N
devices see the same data and, up to the order of floating-point sums, compute the same steps.
Dropout masks come from torch's global generator, reseeded from (seed, rank, step) by
`reseed` after every checkpoint, so a resumed run draws what an uninterrupted one draws.

>>> resolve({"devices": "auto", "overrides": {"results/x": {"devices": 2}}}, "results/x")["devices"]
2
>>> resolve({"precision": "bf16-mixed"}, "results/y")["precision"]
'bf16-mixed'
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from textgen.errors import TextgenError

DEFAULTS: dict[str, Any] = {"accelerator": "auto", "devices": "auto", "num_nodes": 1, "precision": "auto",
                            "strategy": "auto"}


def resolve(block: dict[str, Any], out: str | Path) -> dict[str, Any]:
    """The settings of the job writing `out`: DEFAULTS, the block, then the block's override for `out`."""
    unknown = sorted(set(block) - set(DEFAULTS) - {"overrides"})
    if unknown:
        raise TextgenError(f"--compute: unknown keys {unknown}; allowed: {sorted(DEFAULTS)} and overrides")
    settings = {**DEFAULTS, **{k: v for k, v in block.items() if k != "overrides"}}
    override = (block.get("overrides") or {}).get(str(out), {})
    unknown = sorted(set(override) - set(DEFAULTS))
    if unknown:
        raise TextgenError(f"--compute.overrides.{out}: unknown keys {unknown}; allowed: {sorted(DEFAULTS)}")
    return {**settings, **override}


def add_compute_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--compute", default="{}", help="JSON: params.yaml's compute block (default: one CPU/GPU, auto)")


def parse(args: argparse.Namespace) -> dict[str, Any]:
    """The compute settings of this command's job (its --out picks the override)."""
    from textgen.data.args import json_arg

    return resolve(json_arg(args.compute, "--compute"), args.out)


def _precision(settings: dict[str, Any], accelerator: str) -> str:
    import torch

    if settings["precision"] != "auto":
        return str(settings["precision"])
    if accelerator in ("cuda", "gpu") or (accelerator == "auto" and torch.cuda.is_available()):
        return "bf16-mixed" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "32-true"
    return "32-true"


def fabric_kwargs(settings: dict[str, Any]) -> dict[str, Any]:
    """Fabric's (and Lightning Trainer's) constructor arguments for `settings`.

    >>> fabric_kwargs({**DEFAULTS, "accelerator": "cpu", "devices": 2, "strategy": "ddp"})["precision"]
    '32-true'
    """
    return {"accelerator": settings["accelerator"], "devices": settings["devices"], "num_nodes": settings["num_nodes"],
            "strategy": settings["strategy"], "precision": _precision(settings, settings["accelerator"])}


def launch(settings: dict[str, Any], threads: int):
    """A launched Fabric for `settings`. With several processes on one machine, this process is rank 0 and
    Fabric starts the others by rerunning the same command; the rule's `threads` are shared among them."""
    import torch
    from lightning.fabric import Fabric

    try:
        fabric = Fabric(**fabric_kwargs(settings))
    except (ValueError, RuntimeError, TypeError) as err:  # Lightning's MisconfigurationException is a ValueError
        raise TextgenError(f"--compute: {settings}: {err}") from None
    fabric.launch()
    local = max(1, fabric.world_size // max(1, int(settings["num_nodes"])))
    if fabric.device.type == "cpu":
        torch.set_num_threads(max(1, threads // local))
    return fabric


def local_fabric():
    """A launched Fabric with the default settings and this process's threads (library calls, tests)."""
    import torch

    return launch(dict(DEFAULTS), torch.get_num_threads())


def rank_zero_log(fabric):
    """A `log(line)` that prints (flushed) on rank 0 only."""
    def log(line: str) -> None:
        if fabric.is_global_zero:
            print(line, flush=True)
    return log


def hf_arguments(settings: dict[str, Any]) -> dict[str, Any]:
    """The Hugging Face TrainingArguments (accelerate) for `settings`: device and precision. Several
    processes come from a launcher (`relaunch`), as the Trainer expects.

    >>> hf_arguments({**DEFAULTS, "accelerator": "cpu", "precision": "bf16-mixed"})
    {'use_cpu': True, 'bf16': True, 'fp16': False}
    """
    precision = _precision(settings, settings["accelerator"])
    if precision not in ("32-true", "32", "bf16-mixed", "16-mixed"):
        raise TextgenError(f"--compute.precision: {precision} is not one the Hugging Face Trainer takes "
                           "(32-true, bf16-mixed, 16-mixed)")
    return {"use_cpu": settings["accelerator"] == "cpu", "bf16": precision == "bf16-mixed",
            "fp16": precision == "16-mixed"}


def relaunch(settings: dict[str, Any]) -> None:
    """For a Hugging Face Trainer run on several devices of this machine: rerun this command under
    torch.distributed.run (torchrun) with one process per device, unless already launched."""
    import os
    import sys

    devices = settings["devices"]
    if not isinstance(devices, int) or devices <= 1 or "LOCAL_RANK" in os.environ:
        return
    if int(settings["num_nodes"]) > 1:
        raise TextgenError("--compute.num_nodes: a multi-node Hugging Face run needs a cluster launcher "
                           "(srun or accelerate launch); textgen starts processes on one machine only")
    os.execv(sys.executable, [sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={devices}",
                              "-m", "textgen", *sys.argv[1:]])


def describe(fabric) -> dict[str, Any]:
    """What a run records about where it ran (config.json / metrics.json; the report shows it)."""
    precision = fabric.strategy.precision
    return {"accelerator": fabric.device.type, "devices": fabric.world_size,
            "precision": str(getattr(precision, "precision", type(precision).__name__)),
            "strategy": type(fabric.strategy).__name__}


def shard(batch, fabric):
    """This rank's contiguous slice of a global batch (tensors with the batch first), moved to its device. The global batch size must divide by the number of processes.

    >>> import torch, types
    >>> rank_1_of_2 = types.SimpleNamespace(world_size=2, global_rank=1, to_device=lambda t: t)
    >>> shard((torch.arange(4).view(4, 1),), rank_1_of_2)[0].flatten().tolist()
    [2, 3]
    """
    size = batch[0].shape[0]
    if size % fabric.world_size:
        raise TextgenError(f"batch size {size} does not divide among {fabric.world_size} processes "
                           "(compute.devices x compute.num_nodes): choose a multiple")
    part = size // fabric.world_size
    rows = slice(fabric.global_rank * part, (fabric.global_rank + 1) * part)
    return tuple(fabric.to_device(t[rows]) for t in batch)


def reseed(seed: int, rank: int, step: int) -> None:
    """Seed torch's global generator (dropout) from the run's seed, the rank and the step."""
    import torch

    torch.manual_seed((seed * 1_000_003 + rank * 7_919 + step) % (2**63 - 1))


def summary(settings: dict[str, Any]) -> str:
    return json.dumps({k: settings[k] for k in DEFAULTS}, sort_keys=True)
