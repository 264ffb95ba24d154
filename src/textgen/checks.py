"""Settings that depend on each other, checked before any job runs (after the schema).

The schema checks each value alone; these checks catch what only a combination makes impossible:
a GPT's width not divisible by its heads, a context (block_size) longer than the corpus's held-out
splits, a BPE vocabulary larger than its training text can yield, a batch that cannot fit in the
memory its rule declares, a learning-rate scheduler that would step before its first val_loss.
Corpus sizes come from data/ when it was made from the same source and extractor; else, for the
pinned sources, from the sizes `textgen estimate` records (REFERENCE); else the job itself checks
once the data exists.

>>> problems = cross_check({"gpt": {"models": {"m": {"arch": {"n_embd": 100, "n_head": 3}}}}}, only=["heads"])
>>> problems
['gpt.models.m.arch.n_embd: 100 is not divisible by gpt.models.m.arch.n_head (3)']
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from textgen.config import load_yaml, project_root, validate_params
from textgen.errors import TextgenError

SPECIAL_TOKENS = 3  # the byte-level BPE's [SEP], [PAD], [UNK] after its 256 bytes (textgen.bpe)
PYTHON_MB = 305  # resident size of a Python process with torch and a model's code, before the model: measured


def gpt_training_mb(arch: dict, batch_size: int, vocab_size: int) -> float:
    """Peak resident memory (MB) of textgen's GPT training step on a CPU (fp32, AdamW, textgen's
    malloc settings): a lower bound for a train-gpt job, which adds its imports and data.

    Weights, gradients and Adam's two moments take 16 bytes a parameter; activations kept for the
    backward pass about 105 bytes per token, layer and channel, and the logits with their softmax
    and gradient 20 bytes per token and vocabulary entry (fitted to the measured peaks of nine
    shapes, 0.5 to 1.2 GB, within 15%; attention is fused, so no block_size^2 term).

    >>> round(gpt_training_mb({"n_layer": 4, "n_embd": 128, "block_size": 128}, 16, 2048))
    510
    """
    layers, width, block = arch["n_layer"], arch["n_embd"], arch["block_size"]
    params = 12 * layers * width * width + 2 * vocab_size * width + block * width
    tokens = batch_size * block
    return PYTHON_MB + (16 * params + tokens * (105 * layers * width + 20 * vocab_size)) / 2**20


def _gpt_models(root: Path) -> dict[str, tuple[str, str]]:
    from textgen.estimate import rule_constant

    return rule_constant("gpt.smk", "GPT_MODELS")


def corpus_bytes(params: dict, corpus: str, fmt: str, root: Path) -> tuple[int, str] | None:
    """(bytes of the corpus's text in format `fmt`, where the number comes from), or None where
    it cannot be known before the corpus is fetched (a user's own source not yet prepared)."""
    settings = params.get("corpora", {}).get(corpus)
    if settings is None:
        return None
    raw, interim = root / "data" / "raw" / "corpora" / corpus, root / "data" / "interim" / "corpora" / corpus
    try:
        fetched = load_yaml(raw / "fetch.json")  # JSON is YAML
        prepared = load_yaml(interim / "manifest.json")
        current = (fetched.get("source") == settings["source"] and prepared.get("extractor") == settings["extractor"]
                   and prepared.get("options") == settings["options"])
    except TextgenError:  # not made yet
        current = False
    if current:
        files = [interim / "poems.jsonl"] if fmt == "poems" else sorted((interim / "texts").glob("*.txt"))
        return sum(f.stat().st_size for f in files if f.is_file()), f"{interim}"
    default = load_yaml(root / "params" / "default.yaml")["corpora"].get(corpus)
    if default is None or {k: settings[k] for k in ("source", "extractor", "options")} != \
            {k: default[k] for k in ("source", "extractor", "options")}:
        return None
    from textgen.estimate import REFERENCE

    if fmt == "poems":
        poems = REFERENCE.get(("poems", corpus))
        return (round(poems["poems"] * (poems["title_chars"] + poems["text_chars"])), "the pinned source's size") \
            if poems else None
    chars = REFERENCE.get(("chars", corpus))
    return (chars["chars"], "the pinned source's size") if chars else None


def _heads(params: dict, root: Path) -> list[str]:
    problems = []
    for name, model in params.get("gpt", {}).get("models", {}).items():
        arch, key = model.get("arch", {}), f"gpt.models.{name}.arch"
        if arch.get("n_embd", 0) % max(arch.get("n_head", 1), 1):
            problems.append(f"{key}.n_embd: {arch['n_embd']} is not divisible by {key}.n_head ({arch['n_head']})")
    return problems


def _context(params: dict, root: Path) -> list[str]:
    problems = []
    split = params["gpt"]["split"]
    smaller = min(split["val"], split["test"])
    for name, (corpus, fmt) in _gpt_models(root).items():
        model = params["gpt"]["models"].get(name)
        sized = corpus_bytes(params, corpus, fmt, root) if model else None
        if sized is None:
            continue
        total, where = sized
        block = model["arch"]["block_size"]
        # Byte-level BPE: at most one token a byte (+5% for the separators between segments).
        room = round(smaller * total * 1.05)
        if block + 2 > room:
            problems.append(f"gpt.models.{name}.arch.block_size: {block:,} needs {block + 2:,} tokens in the val "
                            f"and test splits of corpus '{corpus}', which hold about {round(smaller * total):,} bytes "
                            f"({smaller} of {total:,}, from {where}), at most a token a byte")
    return problems


def _vocabulary(params: dict, root: Path) -> list[str]:
    problems = []
    split = params["gpt"]["split"]
    train_share = 1 - split["val"] - split["test"]
    sizes = params["gpt"]["bpe"]["vocab_size"]
    formats = {corpus: fmt for corpus, fmt in _gpt_models(root).values()}
    for corpus, vocab in sizes.items():
        sized = corpus_bytes(params, corpus, "poems" if formats.get(corpus) == "poems" else "stream", root)
        if sized is None:
            continue
        total, where = sized
        # Each merge replaces at least one pair of tokens by one: merges < training bytes.
        most = 256 + SPECIAL_TOKENS + round(train_share * total)
        if vocab > most:
            problems.append(f"gpt.bpe.vocab_size.{corpus}: {vocab:,} needs {vocab - 256 - SPECIAL_TOKENS:,} merges, "
                            f"more than the about {round(train_share * total):,} training bytes of corpus '{corpus}' "
                            f"(from {where}) can give")
    return problems


def _memory(params: dict, root: Path) -> list[str]:
    resources = params["resources"]["train_gpt"]
    if resources.get("gpu", 0) and params["compute"].get("accelerator") != "cpu":
        return []  # activations live on the GPU; the host's mem_mb does not bound them
    problems = []
    for name, model in params["gpt"]["models"].items():
        corpus = _gpt_models(root).get(name, ("", ""))[0]
        vocab = params["gpt"]["bpe"]["vocab_size"].get(corpus, 256 + SPECIAL_TOKENS)
        batch = model["train"]["batch_size"]
        need = gpt_training_mb(model["arch"], batch, vocab)
        if need > resources["mem_mb"]:
            key = f"gpt.models.{name}"
            problems.append(f"{key}.train.batch_size x {key}.arch.block_size: {batch} x {model['arch']['block_size']:,} "
                            f"tokens need about {need:,.0f} MB to train on a CPU, more than "
                            f"resources.train_gpt.mem_mb ({resources['mem_mb']:,}); lower the batch or raise mem_mb")
    return problems


def _plateau(params: dict, root: Path) -> list[str]:
    """ReduceLROnPlateau steps on val_loss every `frequency` training steps: before the first
    validation (at step val_check_interval) there is no val_loss, and Lightning stops the run."""
    block = params.get("lstm", {}).get("lightning", {})
    frequency, interval = block.get("scheduler", {}).get("frequency"), block.get("val_check_interval")
    if frequency is None or interval is None or frequency >= interval:
        return []
    return [f"lstm.lightning.scheduler.frequency: {frequency} steps is shorter than lstm.lightning.val_check_interval "
            f"({interval}): the plateau scheduler would step before the first val_loss exists; make it at least {interval}"]


def _replicates(params: dict, root: Path) -> list[str]:
    """The replicated runs name models and optimizer runs that exist, and each comparison two of them."""
    lstm = params.get("lstm", {})
    block = lstm.get("replicates")
    if not block:
        return []
    problems = [f"lstm.replicates.optimizer_runs: '{run}' is not a run of lstm.optimizers.runs "
                f"({', '.join(lstm.get('optimizers', {}).get('runs', {}))})"
                for run in block["optimizer_runs"] if run not in lstm.get("optimizers", {}).get("runs", {})]
    both = set(block["models"]) & set(block["optimizer_runs"])
    problems += [f"lstm.replicates: '{name}' is both a model and an optimizer run" for name in sorted(both)]
    known = list(block["models"]) + list(block["optimizer_runs"])
    for i, pair in enumerate(block["comparisons"]):
        problems += [f"lstm.replicates.comparisons[{i}]: '{name}' is not in lstm.replicates.models or "
                     f"lstm.replicates.optimizer_runs" for name in pair if name not in known]
        if len(set(pair)) < len(pair):
            problems.append(f"lstm.replicates.comparisons[{i}]: compares '{pair[0]}' with itself")
    return problems


CHECKS: dict[str, Callable[[dict, Path], list[str]]] = {
    "heads": _heads, "context": _context, "vocabulary": _vocabulary, "memory": _memory, "plateau": _plateau,
    "replicates": _replicates,
}


def cross_check(params: dict, root: Path | None = None, only: list[str] | None = None) -> list[str]:
    """Every problem the checks find, each starting with the dotted key it is about."""
    root = root or project_root()
    return [p for name, check in CHECKS.items() if only is None or name in only for p in check(params, root)]


def check_params(params: dict, source: str = "params.yaml", root: Path | None = None) -> None:
    """The schema, then the cross-field checks: one error listing every problem."""
    validate_params(params, source)
    problems = cross_check(params, root)
    if problems:
        raise TextgenError(f"{source}: impossible settings:\n" + "\n".join(f"  {p}" for p in problems))


def main_check_params(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen check-params",
                                     description="Check params.yaml: the schema, then settings that depend on each other.")
    parser.add_argument("path", nargs="?", type=Path, default=Path("params.yaml"))
    args = parser.parse_args(argv)
    check_params(load_yaml(args.path), source=str(args.path))
    print(f"{args.path}: valid")
    return 0
