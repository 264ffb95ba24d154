"""`textgen sample-gpt`: the seed's generation tables, one row per checkpoint x prompt x temperature.

    textgen sample-gpt --model results/gpt/models/quixote_small --tokenizer data/processed/bpe/shakespeare.json \\
        --params '{"prompts": ["..."], "temperatures": [1.0, 0.5], "max_new_tokens": 100, "top_k": null}' \\
        --seed 1234 --threads 1 --out results/gpt/samples/quixote_small.csv

The prompt is framed as the model's training text frames a text (config.json's format): after a
[SEP], as every text starts; in the sentences format followed by [SEP] (the model writes the
next sentence); in the poems format as a title followed by a blank line (the model writes the
poem). Generation stops at [SEP] or after max_new_tokens. Temperature <= 0 is greedy decoding,
top_k larger than the vocabulary keeps every token, and a prompt with characters the corpus
never had still encodes (byte-level BPE). Each row has its own generator, seeded from the seed,
the checkpoint, the prompt and the temperature, so a row does not change when others are added.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
from pathlib import Path

import torch

from textgen.bpe import Tokenizer
from textgen.data.args import json_arg
from textgen.errors import TextgenError
from textgen.gpt.checkpoint import load_checkpoint
from textgen.gpt.model import GPT
from textgen.io import atomic_path, read_json, sha256_file
from textgen.training import add_run_arguments, start_run

COLUMNS = ("checkpoint", "prompt", "temperature", "top_k", "new_tokens", "stopped", "text")
PARAM_KEYS = ("prompts", "temperatures", "max_new_tokens", "top_k")


def prompt_ids(tokenizer: Tokenizer, prompt: str, fmt: str) -> list[int]:
    """The context a prompt becomes, framed as in training (see the module docstring).

    >>> from textgen.bpe import train_bpe
    >>> tok = train_bpe(["a b"], vocab_size=256 + 3)
    >>> [prompt_ids(tok, "a", f) for f in ("stream", "sentences", "poems")]
    [[258, 97], [258, 97, 258], [258, 97, 10, 10]]
    """
    if not prompt:
        raise TextgenError("prompts: an empty prompt gives the model nothing to continue")
    if fmt == "poems":
        prompt += "\n\n"
    ids = [tokenizer.sep_id, *tokenizer.encode(prompt)]
    return ids + [tokenizer.sep_id] if fmt == "sentences" else ids


def row_seed(seed: int, step: int, prompt: str, temperature: float) -> int:
    """A generator seed for one table cell, stable under adding or reordering other cells."""
    digest = hashlib.sha256(f"{seed}\x00{step}\x00{prompt}\x00{temperature!r}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def generate(model: GPT, tokenizer: Tokenizer, context: list[int], max_new_tokens: int, temperature: float,
             top_k: int | None, seed: int) -> tuple[str, int, str]:
    """(text, new tokens, why it stopped: "end marker" or "length")."""
    generator = torch.Generator().manual_seed(seed)
    out = model.generate(torch.tensor([context]), max_new_tokens, temperature=temperature, top_k=top_k,
                         generator=generator, stop_ids=[tokenizer.sep_id])
    new = out[0, len(context):].tolist()
    if new and new[-1] == tokenizer.sep_id:
        return tokenizer.decode(new[:-1]), len(new) - 1, "end marker"
    return tokenizer.decode(new), len(new), "length"


def checkpoints(model_dir: Path) -> dict[int, Path]:
    """step -> model-<step>.pt in a train-gpt output folder."""
    found = {int(m.group(1)): p for p in model_dir.glob("model-*.pt")
             if (m := re.fullmatch(r"model-(\d+)\.pt", p.name))}
    if not found:
        raise TextgenError(f"{model_dir}: no model-<step>.pt checkpoints (is it a train-gpt output?)")
    return dict(sorted(found.items()))


def sample_rows(model_dir: Path, tokenizer_path: Path, params: dict, seed: int) -> list[dict]:
    tokenizer = Tokenizer.load(tokenizer_path)
    config = read_json(model_dir / "config.json")
    sha = sha256_file(tokenizer_path)
    rows = []
    for step, path in checkpoints(model_dir).items():
        model = load_checkpoint(path, expected_tokenizer_sha256=sha).build_model()
        for prompt in params["prompts"]:
            context = prompt_ids(tokenizer, prompt, config["format"])
            for temperature in params["temperatures"]:
                text, n, stopped = generate(model, tokenizer, context, params["max_new_tokens"], temperature,
                                            params["top_k"], row_seed(seed, step, prompt, temperature))
                rows.append({"checkpoint": step, "prompt": prompt, "temperature": temperature,
                             "top_k": params["top_k"], "new_tokens": n, "stopped": stopped, "text": text})
        print(f"sample-gpt: {model_dir.name}: checkpoint {step}: {len(params['prompts'])} prompts x "
              f"{len(params['temperatures'])} temperatures", flush=True)
    return rows


def check_params(params: dict) -> dict:
    if sorted(params) != sorted(PARAM_KEYS):
        raise TextgenError(f"--params: expected exactly the keys {list(PARAM_KEYS)}, got {sorted(params)}")
    prompts, temperatures = params["prompts"], params["temperatures"]
    if not isinstance(prompts, list) or not prompts or not all(isinstance(p, str) and p for p in prompts):
        raise TextgenError(f"--params.prompts: expected a non-empty list of non-empty strings, got {prompts!r}")
    if not (isinstance(temperatures, list) and temperatures
            and all(isinstance(t, (int, float)) for t in temperatures)):
        raise TextgenError(f"--params.temperatures: expected a non-empty list of numbers, got {temperatures!r}")
    if not isinstance(params["max_new_tokens"], int) or params["max_new_tokens"] < 1:
        raise TextgenError(f"--params.max_new_tokens: expected an integer >= 1, got {params['max_new_tokens']!r}")
    top_k = params["top_k"]
    if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
        raise TextgenError(f"--params.top_k: expected null or an integer >= 1, got {top_k!r}")
    return params


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen sample-gpt", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="train-gpt output folder")
    parser.add_argument("--tokenizer", type=Path, required=True, help="the tokenizer the model was trained with")
    parser.add_argument("--params", required=True, help="JSON: prompts, temperatures, max_new_tokens, top_k")
    add_run_arguments(parser, checkpoints_help=None, out_help="table (CSV)")
    args = parser.parse_args(argv)
    start_run(args)
    rows = sample_rows(args.model, args.tokenizer, check_params(json_arg(args.params, "--params")), args.seed)
    with atomic_path(args.out) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"sample-gpt: {len(rows)} rows -> {args.out}")
    return 0
