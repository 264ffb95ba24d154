"""`textgen evaluate-lstm`: every trained Report A model on the same held-out test split, the seed's
defects measured next to the fixed variants, the final beams, Figure 12's tree and the worked
attention examples.

    textgen evaluate-lstm --words data/processed/words --models results/lstm/models/simple ... \\
        --params '{"seq_len": 20, "batch_size": 32, "probe_windows": 16, "test_windows": null, "tree": {...}}' \\
        --evaluation '{"prompt": ["Elizabeth"], ...}' --seed 1234 --threads 2 --out results/lstm/evaluation

Writes to --out:

    perplexity.csv       per model: test loss and perplexity over non-overlapping seq_len windows
                         of tokens_test, scored in batches of batch_size (`test_*`) and one window
                         at a time (`alone_*`; they differ only for models whose batch rows interact);
                         `test_bits_per_byte`: the same summed loss per byte of the book text behind
                         the predicted words (prepare-words' bytes_test), to set beside byte-level models
    findings.csv         check, model, value: attention weights, gradient reaching Q and K, batch
                         interference, beam scores reported vs true, the Figure 18 shape
    beam.csv             per model: the seed's write_better and the correct beam search from the
                         prompt, the seed's reported probability and the true log-probability
    recurrence_texts.csv per listed attention model: greedy `write` from the prompt with the
                         recurrence it trained with and with Listing 5's
    beam_tree.json       Figure 12 from a real model: every node of a small beam search
    worked_examples.csv  the seed's three q . k^T . v examples, computed
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch

from textgen.data.args import json_arg
from textgen.errors import TextgenError
from textgen.io import atomic_path, read_json, write_csv, write_json
from textgen.lstm import build_model
from textgen.lstm.beamtree import beam_tree
from textgen.lstm.data import WordData, load_model
from textgen.lstm.generate import write
from textgen.lstm.findings import (attention_weights, batch_interference, generation_graph_bytes, qk_gradient,
                                   recurrence_losses)
from textgen.lstm.scoring import mean_loss, target_bytes, window_starts
from textgen.lstm.settings import (
    EVALUATION,
    identifier,
    positive_int,
    read_block,
)
from textgen.lstm.texts import write_texts
from textgen.lstm.worked_examples import worked_examples
from textgen.training import add_run_arguments, start_run

TREE = {"model": identifier, "k": positive_int, "steps": positive_int, "children": positive_int}
HELDOUT = {"seq_len": positive_int, "batch_size": positive_int, "probe_windows": positive_int,
           "test_windows": lambda value: None if value is None else positive_int(value),
           "tree": lambda block: read_block(block, TREE, "--params.tree")}


def evaluate(models: dict[str, Path], data: WordData, params: dict[str, Any], evaluation: dict[str, Any],
             seed: int, out: Path) -> list[dict[str, Any]]:
    loaded = {name: load_model(folder / "model.pt") for name, folder in models.items()}
    for name, (_, _, info) in loaded.items():
        if info["data"] != data.sha256:
            raise TextgenError(f"{models[name]}: trained on other data than {data.folder} (meta.json sha256 differs)")
    if params["tree"]["model"] not in loaded:
        raise TextgenError(f"--params.tree.model: {params['tree']['model']!r} is not among --models ({', '.join(loaded)})")
    starts = window_starts(len(data.test), params["seq_len"], params["probe_windows"])
    probe = torch.from_numpy(np.asarray(data.test)[starts[:, None] + np.arange(params["seq_len"] + 1)].astype(np.int64))
    prompt_ids = data.prompt_ids(evaluation["prompt"], "--evaluation.prompt")
    rows, findings, beams, recurrence = [], [], [], []
    for name, (kind, model, info) in loaded.items():
        print(f"evaluate-lstm {name} ({kind})", flush=True)
        rows.append(_perplexity(name, kind, model, info, models[name], data, params))
        findings += [{"check": check, "model": name, "value": value} for check, value in _checks(kind, model, probe)]
        texts = write_texts(model, data.vocab, evaluation["prompt"], evaluation["max_words"], evaluation["beam_k"],
                            evaluation["beam_max_words"], seed)
        beams += [{"model": name, **beam} for beam in texts["beams"]]
        top = {b["method"]: b for b in texts["beams"] if b["rank"] == 1}
        findings += [
            {"check": "write_better: its best beam's reported score, in nats (sum of log10 p x ln 10)", "model": name,
             "value": top["write_better_seed"]["log10_score"] * math.log(10)},
            {"check": "write_better: true log-probability of that beam (nats)", "model": name,
             "value": top["write_better_seed"]["log_prob"]},
            {"check": "beam search: best beam's log-probability (nats)", "model": name,
             "value": top["beam_search"]["log_prob"]},
            {"check": "write_better: distinct beams of k", "model": name,
             "value": len({b["text"] for b in texts["beams"] if b["method"] == "write_better_seed"})},
        ]
        listed, fixed = generation_graph_bytes(model, torch.tensor([prompt_ids]), evaluation["max_words"])
        findings += [
            {"check": f"write, {evaluation['max_words']} words: activation bytes kept for backward after Listing 9's "
                      "bare torch.no_grad()", "model": name, "value": listed},
            {"check": f"write, {evaluation['max_words']} words: activation bytes kept for backward under "
                      "with torch.no_grad()", "model": name, "value": fixed},
        ]
        if hasattr(model, "listing_step"):  # the listed attention models: Listing 5's write against training's
            recurrence += [{"model": name, "recurrence": label, "text": " ".join(
                write(model, data.vocab.word2idx, data.vocab.idx2word, evaluation["prompt"], evaluation["max_words"],
                      greedy=True, decode=decode))} for label, decode in (("training", model.step),
                                                                          ("Listing 5", model.listing_step))]
        if name == "figure18":
            findings.append({"check": "Figure 18 shape with the listed multi-head model", "model": name,
                             "value": _listed_at(model)})
    tree = params["tree"]
    nodes = beam_tree(loaded[tree["model"]][1], prompt_ids, tree["k"], tree["steps"], tree["children"])
    for node in nodes:
        node["word"] = " ".join(evaluation["prompt"]) if node["token"] is None else data.vocab.idx2word[node["token"]]
    with atomic_path(out) as tmp:
        tmp.mkdir()
        write_csv(tmp / "perplexity.csv", rows)
        write_csv(tmp / "findings.csv", findings)
        write_csv(tmp / "beam.csv", beams)
        write_csv(tmp / "recurrence_texts.csv", recurrence, ("model", "recurrence", "text"))
        write_json(tmp / "beam_tree.json", {**tree, "prompt": evaluation["prompt"], "nodes": nodes})
        write_csv(tmp / "worked_examples.csv", [
            {"example": e.name, "q": e.q.squeeze(0).tolist(), "q . k^T": [round(v, 12) for v in e.qk.squeeze(0).tolist()],
             "q . k^T . v": e.result.tolist()} for e in worked_examples()])
    return rows


def _perplexity(name: str, kind: str, model: torch.nn.Module, info: dict[str, Any], folder: Path, data: WordData,
                params: dict[str, Any]) -> dict[str, Any]:
    limit = params["test_windows"]  # None: every window of the test split
    loss, count = mean_loss(model, data.test, params["seq_len"], params["batch_size"], limit)
    alone = loss if model.batch_independent else mean_loss(model, data.test, params["seq_len"], 1, limit)[0]
    trained = read_json(folder / "metrics.json")
    n_bytes = target_bytes(data.text_bytes("test"), params["seq_len"], limit)
    return {"model": name, "kind": kind, "loop": info["loop"], "parameters": sum(p.numel() for p in model.parameters()),
            "test_tokens": count, "test_loss": loss, "test_perplexity": math.exp(loss),
            "test_bytes": n_bytes, "test_bits_per_byte": loss * count / n_bytes / math.log(2), "alone_loss": alone,
            "alone_perplexity": math.exp(alone), "batch_independent": model.batch_independent,
            "final_val_loss": trained["final_val_loss"]}


def _checks(kind: str, model: torch.nn.Module, probe: torch.Tensor) -> list[tuple[str, float]]:
    checks = [("largest logit change, row in a batch vs alone", batch_interference(model, probe[:, :-1]))]
    if kind != "simple":
        weights = attention_weights(model, probe[:, :-1])
        checks += [("attention: keys per query (mean)", weights["keys_per_query"]),
                   ("attention: smallest weight", weights["min"]),
                   ("attention: largest weight per query (mean)", weights["mean_largest"]),
                   ("gradient norm reaching attention Q and K", qk_gradient(model, probe))]
    if hasattr(model, "listing_step"):
        trained, listed = recurrence_losses(model, probe)
        checks += [("probe loss per word, decoded as trained (states averaged)", trained),
                   ("probe loss per word, decoded as Listing 5's write (first LSTM keeps its own state)", listed)]
    return checks


def _listed_at(model: torch.nn.Module) -> str:
    """What the listed multi-head model does at this model's configuration."""
    try:
        build_model("multihead", model.config)
    except TextgenError as err:
        return str(err).split(", so the listing")[0] + ": the listing crashes on its first step"
    return "runs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="textgen evaluate-lstm", description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=Path, required=True, help="word corpus folder (textgen prepare-words)")
    parser.add_argument("--models", type=Path, nargs="+", required=True, help="train-lstm output folders")
    parser.add_argument("--params", required=True, help="JSON: seq_len, batch_size, probe_windows, test_windows, tree")
    parser.add_argument("--evaluation", required=True, help="JSON: prompt, max_words, beam_k, ...")
    add_run_arguments(parser, checkpoints_help=None)
    args = parser.parse_args(argv)
    start_run(args)
    params = read_block(json_arg(args.params, "--params"), HELDOUT, "--params")
    evaluation = read_block(json_arg(args.evaluation, "--evaluation"), EVALUATION, "--evaluation")
    models = {folder.name: folder for folder in args.models}
    evaluate(models, WordData.load(args.words), params, evaluation, args.seed, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
