"""The accelerator check of the one training core: the GPT trainer (Report B's large Don Quixote
model) and Listing 9's loop on Figure 13's attention LSTM, each for a few steps at the paper
profile's shapes on whatever `compute.accelerator: auto` finds (a GPU where there is one), at
bf16-mixed; then each run is resumed from its middle state and must end on the same losses.

    PYTHONPATH=src python3 scripts/gpu_check.py --out /tmp/gpu_check.json          # a GPU machine
    PYTHONPATH=src python3 scripts/gpu_check.py --tiny --precision 32-true         # a CPU smoke test

Prints and writes tokens/s, the share of the device's peak (--peak-tflops: the H200's dense bf16
989; say another for another card) and whether the resumed runs matched. Synthetic token streams
stand in for the corpora: speed and resumption do not depend on the text.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from textgen.checkpoints import Checkpoints
from textgen.compute import DEFAULTS, describe, launch
from textgen.gpt.flops import estimate_flops_per_token
from textgen.gpt.model import GPT, GPTConfig
from textgen.gpt.schedule import TrainConfig
from textgen.gpt.train import train as train_gpt
from textgen.lstm import LSTMConfig, build_model
from textgen.lstm.loop import LoopSettings, train_loop


def gpt_check(fabric, steps: int, tiny: bool, folder: Path) -> dict:
    arch = (dict(n_layer=2, n_head=2, n_embd=64, block_size=64) if tiny
            else dict(n_layer=12, n_head=12, n_embd=768, block_size=1024))  # paper: quixote_large
    config = GPTConfig(vocab_size=24540, dropout=0.0, bias=False, tie_weights=True, **arch)
    cfg = TrainConfig.from_dict({
        "max_iters": steps, "lr_decay_iters": 5000, "batch_size": 2 if tiny else 16, "grad_accum": 1 if tiny else 4,
        "learning_rate": 6e-4, "min_lr": 6e-5, "betas": [0.9, 0.95], "eps": 1e-8, "weight_decay": 0.1,
        "grad_clip": 1.0, "warmup_iters": 10, "eval_interval": steps // 2, "eval_iters": 2,
        "checkpoint_interval": steps // 2, "save_at": []})
    generator = torch.Generator().manual_seed(0)
    streams = {name: torch.randint(0, config.vocab_size, (n,), generator=generator)
               for name, n in (("train", 2_000_000), ("val", 100_000))}

    def run(ckpts: Checkpoints) -> tuple[list[dict], float]:
        torch.manual_seed(0)
        model = GPT(config)
        started = time.perf_counter()
        history = train_gpt(fabric, model, streams, cfg, 0, ckpts, "synthetic")
        return history, time.perf_counter() - started

    run_id = {"config": arch, "train": cfg.as_dict()}
    history, seconds = run(Checkpoints(folder / "gpt", run_id, log=fabric.print))
    (folder / "gpt" / f"state-{steps:07d}.pt").unlink()  # as if killed after the middle state
    resumed, _ = run(Checkpoints(folder / "gpt", run_id, log=fabric.print))
    tokens = steps * cfg.batch_size * cfg.grad_accum * config.block_size
    flops = estimate_flops_per_token(config) * tokens
    return {"model": f"GPT {arch}", "steps": steps, "tokens": tokens, "seconds_with_evals": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1), "tflops": round(flops / seconds / 1e12, 2),
            "losses": [round(r["val_loss"], 4) for r in history],
            "resumed_equal": [r["val_loss"] for r in resumed] == [r["val_loss"] for r in history]}


def lstm_check(fabric, steps: int, tiny: bool, folder: Path) -> dict:
    config = LSTMConfig(vocab_size=10_900, embedding_dim=32 if tiny else 128, hidden_size=64 if tiny else 256,
                        n_layers=2, bidirectional=True, n_heads=1)  # Figure 13's attention model, the seed's vocabulary
    settings = LoopSettings(iterations=steps, max_len=20, batch_size=64, evaluate_interval=steps // 2, log_every=10)
    tokens = np.random.default_rng(0).integers(0, config.vocab_size, 500_000).astype(np.int32)
    val = tokens[:20_000]

    def run(states: Checkpoints) -> tuple[list[dict], float]:
        torch.manual_seed(0)
        model = build_model("attention", config)
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
        from textgen.lstm.scoring import mean_loss

        started = time.perf_counter()
        result = train_loop(fabric, model, optimizer, None, tokens, settings, 0, states,
                            lambda i, loss: {"val_loss": mean_loss(model, val, 20, 64, 8)[0]}, fabric.print)
        return result.evaluations, time.perf_counter() - started

    run_id = {"config": str(config)}
    evaluations, seconds = run(Checkpoints(folder / "lstm", run_id, log=fabric.print))
    newest = max((folder / "lstm").glob("state-*.pt"))
    newest.unlink()
    resumed, _ = run(Checkpoints(folder / "lstm", run_id, log=fabric.print))
    n_tokens = steps * settings.batch_size * settings.max_len
    return {"model": f"attention LSTM {config}", "steps": steps, "tokens": n_tokens,
            "seconds_with_evals": round(seconds, 2), "tokens_per_s": round(n_tokens / seconds, 1),
            "losses": [round(r["val_loss"], 4) for r in evaluations],
            "resumed_equal": [r["val_loss"] for r in resumed] == [r["val_loss"] for r in evaluations]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--precision", default="bf16-mixed")
    parser.add_argument("--peak-tflops", type=float, default=989.0, help="the device's dense bf16 peak")
    parser.add_argument("--tiny", action="store_true", help="small shapes: a CPU smoke test of this script")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    fabric = launch({**DEFAULTS, "precision": args.precision}, threads=torch.get_num_threads())
    folder = Path(tempfile.mkdtemp(prefix="gpu_check-"))
    try:
        result = {"device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
                  "torch": torch.__version__, "compute": describe(fabric),
                  "gpt": gpt_check(fabric, args.steps, args.tiny, folder),
                  "lstm": lstm_check(fabric, args.steps, args.tiny, folder)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result["gpt"]["share_of_peak"] = round(result["gpt"]["tflops"] / args.peak_tflops, 4)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if result["gpt"]["resumed_equal"] and result["lstm"]["resumed_equal"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
