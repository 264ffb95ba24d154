"""Performance: the benchmarks of workflow/rules/perf.smk, results/perf/<family>.json
(shape: textgen.perf), against the project's speed targets, each met or plainly not met."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textgen.io import read_json
from textgen.report.context import Context, Section
from textgen.report.markdown import table

RESULTS = Path("results/perf")
FAMILIES = {
    "lstm": "Word-level LSTMs (Report A)",
    "bpe": "BPE tokenizer training (Report B)",
    "gpt": "GPT training (Report B)",
    "translate": "Translation Transformer training (Report B)",
    "finetune": "Causal LM fine-tuning (Report B)",
}
NO_TARGET = {"translate", "finetune"}  # measured and shown, with no target
INTRO = (
    "Each benchmark runs alone on the whole machine (the pipeline gives it every core) and measures the "
    "machine's fp32 matrix-multiply peak itself: the best 2048 x 2048 product, with the same threads, before "
    "and after its work, through each matrix library torch ships (`torch.mm`, which nn.Linear calls: MKL "
    "here; and oneDNN, which nn.LSTM and textgen's linear layers run on); the faster library's rate is "
    "the peak. \"% of peak\" is a training run's rate of useful matrix arithmetic (each table's note says "
    "what it counts) over that peak, so it compares across machines; tokens/s and seconds belong to this "
    "machine. Every time is the best of a few repeats. The speed targets are checked only where a run "
    "used the configuration they are stated for. "
    "The share-of-peak targets were set against torch.mm's rate (\"about 195 GFLOP/s\"), so "
    "each of those targets is checked twice: against the machine's peak and against torch.mm's rate."
)
SLOW_LIBRARY = 0.75  # torch.mm below this share of the peak is worth a sentence


def render(ctx: Context) -> Section | None:
    files = {family: ctx.root / RESULTS / f"{family}.json" for family in FAMILIES}
    results = {family: read_json(path) for family, path in files.items() if path.exists()}
    if not results:
        return None
    parts = [INTRO, _summary(results) + "\n\n" + ctx.table_note(*(RESULTS / f"{f}.json" for f in results))]
    if any(r["rows"] for r in results.values()):
        parts.append(_peak_figure(ctx, results))
    parts += [_family(family, r) + "\n\n" + ctx.table_note(RESULTS / f"{family}.json") for family, r in results.items()]
    return Section("Performance", "\n\n".join(parts))


def _summary(results: dict[str, dict]) -> str:
    """One line per benchmark: the machine as it found it, and the targets it met."""
    rows = []
    for family, r in results.items():
        met = sum(t["met"] for t in r["targets"])
        rows.append([FAMILIES[family], round(r["matmul_peak_gflops"]), round(r["matmul_gflops"]["torch.mm"]),
                     r["threads"], _busy(r), f"{r['wall_seconds']:.0f}",
                     f"{met} of {len(r['targets'])}" if r["targets"] else "none checked"])
    first = next(iter(results.values()))
    text = (f"CPU: {first['cpu']} ({first['cores']} cores available), torch {first['torch']}, malloc "
            f"tunables: {first['malloc']}.\n\n"
            + table(["benchmark", "fp32 peak (GFLOP/s)", "torch.mm (GFLOP/s)", "threads",
                     "other processes (cores busy)", "wall (s)", "targets met"], rows, align="lrrrrrl"))
    share = min(r["matmul_gflops"]["torch.mm"] / r["matmul_peak_gflops"] for r in results.values())
    if share < SLOW_LIBRARY:
        text += (f"\n\nOn this CPU `torch.mm` reaches only {share:.0%} of the fastest library's rate on the same "
                 "cores, at the same fp32 accuracy (on AMD CPUs with AVX-512, MKL's sgemm takes its AVX2 path). "
                 "So textgen's models compute their linear layers (`textgen.linear.Linear`) and their one-token "
                 "LSTM steps (`textgen.lstm.cell.LSTM`) on oneDNN, forward and backward, as nn.LSTM does over "
                 "whole sequences. What still calls torch.mm (nn.Transformer's layers in translation, the "
                 "fine-tuned Hugging Face models, attention's batched products) cannot pass about "
                 f"{share:.0%} of the peak in that time.")
    return text


def _busy(r: dict[str, Any]) -> str:
    if r["other_cores_busy"] is None:
        return "unknown"
    return f"{r['other_cores_busy']:.2f}" + (" (busy machine)" if r["contended"] else "")


def _family(family: str, r: dict[str, Any]) -> str:
    parts = [f"### {FAMILIES[family]}"]
    if r["contended"]:
        parts.append(f"**Measured on a busy machine:** other processes kept {r['other_cores_busy']:.2f} of "
                     f"{r['cores']} cores busy while it ran, so these numbers understate the code; rerun the "
                     "command below on an idle machine.")
    if r["rows"]:
        mm = r["matmul_gflops"]["torch.mm"]
        stock = any(row.get("stock_tokens_per_s") for row in r["rows"])
        rows = [[row["name"], row.get("config", ""), round(row["tokens_per_s"]), round(row["gflops"], 1),
                 _percent(row["peak_fraction"]), _percent(row["gflops"] / mm),
                 *([round(row["stock_tokens_per_s"]), f"{row['tokens_per_s'] / row['stock_tokens_per_s']:.2f}x"]
                   if stock else [])] for row in r["rows"]]
        parts.append(table(["model", "configuration", "tokens/s", "GFLOP/s", "% of peak", "% of torch.mm",
                            *(["stock layers, tokens/s", "speed-up over stock"] if stock else [])],
                           rows, align="llrrrr" + "rr" * stock)
                     + f"\n\nFLOPs: {r['flops_note']} \"% of torch.mm\": the same rate over torch.mm's "
                       f"{mm:.0f} GFLOP/s."
                     + (" \"Stock layers\": the same model, same weights and batches, built from nn.Linear and "
                        "nn.LSTM and trained on glibc's default malloc, as the listings' code runs; it is timed in "
                        "the same benchmark run, in a child process (malloc settings are fixed when a process "
                        "starts)." if stock else ""))
    if family == "lstm" and r["timings"]:
        decoding = [t for t in r["timings"] if t["decoder"] != "evaluate"]
        evaluations = [t for t in r["timings"] if t["decoder"] == "evaluate"]
        parts += [_decoding(decoding)] if decoding else []
        parts += [_evaluation(evaluations)] if evaluations else []
    elif family == "bpe" and r["timings"]:
        parts.append(_bpe(r["timings"]))
    parts.append(_targets(family, r["targets"]))
    why = _why_not_met(r)
    if why:
        parts.append(why)
    parts.append(f"Rerun by hand ({r['threads']} threads, peak {r['matmul_peak_gflops']:.0f} GFLOP/s in this run):"
                 f"\n\n```\n{r['command']}\n```")
    return "\n\n".join(parts)


def _decoding(timings: list[dict]) -> str:
    """Milliseconds per model and decoder, and the listing code's time where one was measured."""
    decoders = list(dict.fromkeys(t["decoder"] for t in timings))
    by_model: dict[str, dict[str, dict]] = {}
    for t in timings:
        by_model.setdefault(t["model"], {})[t["decoder"]] = t
    stock = [d for d in ("write", "write_better") if any(t.get("stock_seconds") for t in timings if t["decoder"] == d)]
    rows = []
    for model, runs in by_model.items():
        rows.append([model, *(_ms(runs[d]["seconds"]) if d in runs else "" for d in decoders),
                     *(_ms(runs[d].get("listing_seconds")) if d in runs else "" for d in ("write", "write_better")),
                     *(_ms(runs[d].get("stock_seconds")) if d in runs else "" for d in stock)])
    first = timings[0]
    beam_k = next((t["beam_k"] for t in timings if t["beam_k"]), "-")
    return (f"Decoding {first['words']} words after a one-word prompt (beam k = {beam_k}), in ms: `write` samples, "
            "`write_better` is the seed's beam search with its defects kept, `beam_search` the fixed one; "
            "\"listing\" columns are the listing code's times at that configuration, measured once on the "
            "machine the project started on"
            + ("; \"as listed\" columns are the same decoding timed in this run the way the listings run it: "
               "the model built from stock layers, glibc's default malloc, autograd on and torch's default LSTM "
               "kernels" if stock else "") + ".\n\n"
            + table(["model", *decoders, "listing write", "listing write_better", *(f"{d} as listed" for d in stock)],
                    rows, align="l" + "r" * (len(decoders) + 2 + len(stock))))


def _evaluation(timings: list[dict]) -> str:
    """Listing 9's evaluation as listed (autograd on) and fixed (no_grad), per model."""
    runs: dict[str, dict[str, dict]] = {}
    for t in timings:
        runs.setdefault(t["model"], {})[t["grad"]] = t
    rows = [[model, _ms(r["as listed"]["seconds"]), _ms(r["no_grad"]["seconds"]),
             f"{r['as listed']['seconds'] / r['no_grad']['seconds']:.2f}x",
             f"{r['as listed']['saved_bytes'] / 1e6:.1f}", f"{r['no_grad']['saved_bytes'] / 1e6:.1f}"]
            for model, r in runs.items() if {"as listed", "no_grad"} <= set(r)]
    batch, seq = timings[0]["batch"]
    return (f"Evaluating one batch ({batch} windows of {seq} words, loss only), in ms: as Listing 9 runs it, "
            "where `torch.no_grad()` stands as a bare statement and autograd stays on, and under "
            "`with torch.no_grad()`. MB kept: the activations autograd holds for a backward pass that never "
            "comes.\n\n"
            + table(["model", "as listed", "no_grad", "listed / no_grad", "MB kept, listed", "MB kept, no_grad"], rows,
                    align="lrrrrr"))


def _bpe(timings: list[dict]) -> str:
    rows = [[t["name"], f"{t['bytes'] / 1e6:.2f}", t["vocab_size"], _seconds(t["seconds"])] for t in timings]
    text = table(["trainer, text", "MB", "vocabulary", "time"], rows, align="lrrr")
    reference = next((t for t in timings if "speedup" in t), None)
    if reference:
        text += (f"\n\nOn the same {reference['bytes'] / 1e6:.2f} MB, `train_bpe` learns the same merges as the "
                 f"pure-Python reference {reference['speedup']:.0f}x faster.")
    return text


def _targets(family: str, targets: list[dict]) -> str:
    if not targets:
        if family in NO_TARGET:
            return "Measured without a target."
        return "No target checked: the targets are stated for another configuration than this run's."
    rows = [[t["what"], _value(t["measured"], t["unit"]), f"{t['op']} {_value(t['required'], t['unit'])}",
             "met" if t["met"] else "**not met**"] for t in targets]
    return "Targets:\n\n" + table(["target", "measured", "required", "result"], rows, align="lrrl")


def _why_not_met(r: dict[str, Any]) -> str:
    """For each model whose share-of-peak target is not met: how its step time splits between
    matrix products (at what rate while they run) and the work that does no counted arithmetic
    (the benchmark profiles one step); a listed model is set beside its fixed variant."""
    rows = {row["name"]: row for row in r["rows"]}

    def missed(name: str, unit: str) -> bool:  # a target on this row's model ("GPT training, ..." / "attention: ...")
        return any(not t["met"] and t["unit"] == unit and (t["what"].startswith(f"{name}:") or
                                                           t["what"].startswith(f"{name} training"))
                   for t in r["targets"])

    lines = []
    for name in [n for n in rows if missed(n, "fraction") and rows[n].get("product_time_share")]:
        row, share = rows[name], rows[name]["product_time_share"]
        line = (f"- {name}: matrix products take {share:.0%} of its step's time and run at "
                f"{row['peak_fraction'] / share:.0%} of the peak meanwhile; the other {1 - share:.0%} (elementwise "
                "work such as gates and activations, softmax over the vocabulary, the optimizer, per-call overhead) "
                "does no counted arithmetic.")
        fixed = rows.get(f"{name}_fixed")
        if fixed:
            line += (f" {fixed['name']} does the same products over whole sequences instead of one time step at a "
                     f"time and reaches {fixed['peak_fraction']:.0%} of the peak.")
        lines.append(line)
    slow = [n for n in rows if missed(n, "x") and rows[n].get("stock_tokens_per_s")]
    if slow:
        ceiling = r["matmul_peak_gflops"] / r["matmul_gflops"]["torch.mm"]
        lines.append(f"- {', '.join(slow)}: short of 1.4x the stock layers. On this CPU torch.mm, which stock "
                     f"nn.Linear calls, runs at {1 / ceiling:.0%} of the fastest library's rate, so moving the "
                     f"products to oneDNN can make them at most {ceiling:.2f}x faster; the rest would have to come "
                     "from malloc's settings and the one-token LSTM steps. A stock nn.LSTM over whole sequences "
                     "already runs on oneDNN, so the fixed models and the GPT gain least.")
    decoding = [t for t in r["timings"] if t.get("stock_seconds") and t["stock_seconds"] / t["seconds"] < 2.0]
    if decoding:
        each = "; ".join(f"{t['name']} {1000 * t['seconds'] / t['words']:.2f} vs {1000 * t['stock_seconds'] / t['words']:.2f}"
                         for t in decoding)
        lines.append(f"- Decoding short of 2x the listings' way, in ms per word here vs as listed: {each}. A word "
                     "costs one step of each layer on 1 row (k rows for the beams): small products, where the libraries "
                     "differ least, and "
                     "Python's own work per call, which neither the layers nor malloc change.")
    if not lines:
        return ""
    return ("Where a target is missed, and why (shares of the step's time from torch's profiler on one "
            "training step; its per-operator cost counts against the products, so their share is a lower "
            "bound):\n\n" + "\n".join(lines))


def _peak_figure(ctx: Context, results: dict[str, dict]) -> str:
    from textgen.plots import plt

    labels, values = [], []
    for family, r in results.items():
        for row in r["rows"]:
            labels.append(f"{family}: {row['name'].split(' (')[0]}")  # the name without its parenthesis
            values.append(100 * row["peak_fraction"])
    mm = 100 * min(r["matmul_gflops"]["torch.mm"] / r["matmul_peak_gflops"] for r in results.values())
    fig, ax = plt.subplots(figsize=(7.0, 1.2 + 0.3 * len(labels)))
    ax.barh(labels[::-1], values[::-1], color="#4c72b0")
    ax.axvline(80, color="#c44e52", linestyle="--", label="target (80%)")
    if mm < 99.5:
        ax.axvline(mm, color="#55a868", linestyle=":", label=f"torch.mm's own rate ({mm:.0f}%)")
    ax.set_xlabel("% of the measured fp32 matmul peak")
    ax.set_xlim(0, max(100.0, *values))
    ax.legend(loc="lower right", fontsize=8, framealpha=0.95)
    return ctx.own_figure(fig, "performance_peak.png", "Training throughput as a share of the machine's fp32 "
                          "matmul peak, per model (each benchmark measures its own peak).")


def _value(v: float, unit: str) -> str:
    if unit == "fraction":
        return _percent(v)
    if unit == "s":
        return _seconds(v)
    return f"{v:.2f}x" if v < 10 else f"{v:.0f}x"  # 1.45x must not read as 1x


def _percent(fraction: float) -> str:
    return f"{100 * fraction:.0f}%"


def _seconds(s: float) -> str:
    if s < 0.1:
        return f"{1000 * s:.1f} ms"
    return f"{1000 * s:.0f} ms" if s < 1 else f"{s:.2f} s"


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{1000 * seconds:.0f}" if seconds >= 0.01 else f"{1000 * seconds:.1f}"
