"""The Performance section renders results/perf/*.json (fixtures in textgen.perf's shape) and says
plainly which targets are not met."""

from __future__ import annotations

from textgen.io import write_json
from textgen.report.context import Context
from textgen.report.sections import performance


def context(root):
    return Context(root=root, params_file=root / "params.yaml", source_dirs=[], benchmark_files=[],
                   figures_dir=root / "report" / "figures", staged_figures=root / "staged")


def result(family: str, rows=(), timings=(), targets=(), other=0.02, contended=False) -> dict:
    command = f"textgen bench-{family} --threads 2 --params '{{}}' --out results/perf/{family}.json"
    return {"family": family, "command": command,
            "settings": {}, "threads": 2, "torch": "2.13.0", "python": "3.11.7", "cpu": "AMD EPYC", "cores": 2,
            "malloc": "glibc.malloc.mmap_max=0", "matmul_peak_gflops": 465.2,
            "matmul_gflops": {"torch.mm": 208.4, "oneDNN": 465.2},
            "load_average": 0.3, "other_cores_busy": other, "contended": contended, "wall_seconds": 31.5,
            "flops_note": "2 per multiply-add", "rows": list(rows), "timings": list(timings), "targets": list(targets)}


def row(name, tokens_per_s, gflops, fraction, config="cfg"):
    return {"name": name, "config": config, "tokens_per_s": tokens_per_s, "flops_per_token": 1.0, "gflops": gflops,
            "peak_fraction": fraction}


def timing(model, decoder, seconds, listing=None):
    return {"name": f"{decoder}, {model}", "seconds": seconds, "model": model, "decoder": decoder, "words": 50,
            "beam_k": None if decoder == "write" else 3, "listing_seconds": listing}


def evaluation(model, grad, seconds, saved_bytes):
    return {"name": f"evaluate, {model}, {grad}", "seconds": seconds, "model": model, "decoder": "evaluate",
            "grad": grad, "saved_bytes": saved_bytes, "batch": [64, 20], "listing_seconds": None}


def target(what, measured, op, required, unit, met):
    return {"what": what, "measured": measured, "op": op, "required": required, "unit": unit, "met": met}


def write_fixtures(root):
    write_json(root / "results/perf/lstm.json", result(
        "lstm",
        rows=[row("simple", 10380.0, 167.2, 167.2 / 465.2), row("attention", 1605.0, 120.0, 120.0 / 465.2)],
        timings=[timing("simple", "write", 0.021, 0.137), timing("simple", "write_better", 0.0043),
                 timing("attention", "write", 0.21, 0.278), timing("attention", "write_better", 0.61, 0.519),
                 evaluation("simple", "as listed", 0.030, 2_500_000), evaluation("simple", "no_grad", 0.020, 0)],
        targets=[target("write, simple: under half the listing's 137 ms", 0.021, "<=", 0.0685, "s", True),
                 target("attention: training, share of the matmul peak", 120.0 / 465.2, ">=", 0.8, "fraction", False),
                 target("write, attention: under half the listing's 278 ms", 0.21, "<=", 0.139, "s", False)]))
    write_json(root / "results/perf/bpe.json", result(
        "bpe",
        timings=[{"name": "train_bpe (tokenizers), whole shakespeare", "seconds": 1.107, "bytes": 5_052_189,
                  "vocab_size": 2048},
                 {"name": "train_bpe (tokenizers), first 1.00 MB", "seconds": 0.25, "bytes": 1_000_000,
                  "vocab_size": 512},
                 {"name": "reference_train (pure Python), first 1.00 MB", "seconds": 52.0, "bytes": 1_000_000,
                  "vocab_size": 512, "speedup": 208.0, "identical_merges": True}],
        targets=[target("train_bpe vs the pure-Python reference on the same 1.00 MB (vocab 512)", 208.0, ">=", 100.0,
                        "x", True)]))
    write_json(root / "results/perf/finetune.json", result(
        "finetune", rows=[row("SmolLM2-135M", 190.0, 150.0, 0.72)], other=1.1, contended=True))


def test_tables_targets_commands_and_figure(tmp_path):
    write_fixtures(tmp_path)
    ctx = context(tmp_path)
    section = performance.render(ctx)
    md = section.markdown
    assert section.title == "Performance"
    assert "| simple | cfg | 10,380 | 167 | 36% | 80% |" in md  # % of the peak, % of torch.mm's 208
    assert "| attention | cfg | 1,605 | 120 | 26% | 58% |" in md
    # decoding in ms, one column per decoder
    assert "| model | write | write_better | listing write | listing write_better |" in md
    assert "| attention | 210 | 610 | 278 | 519 |" in md and "| simple | 21 | 4.3 | 137 |  |" in md
    # Listing 9's evaluation as listed and fixed, in its own table (not a decoder column)
    assert "| model | as listed | no_grad | listed / no_grad | MB kept, listed | MB kept, no_grad |" in md
    assert "| simple | 30 | 20 | 1.50x | 2.5 | 0.0 |" in md
    assert "Evaluating one batch (64 windows of 20 words, loss only)" in md
    # every unmet target says so plainly, next to the met ones
    assert "| attention: training, share of the matmul peak | 26% | >= 80% | **not met** |" in md
    assert "| write, attention: under half the listing's 278 ms | 210 ms | <= 139 ms | **not met** |" in md
    assert "| write, simple: under half the listing's 137 ms | 21.0 ms | <= 68.5 ms | met |" in md
    assert "| train_bpe vs the pure-Python reference on the same 1.00 MB (vocab 512) | 208x | >= 100x | met |" in md
    assert "| reference_train (pure Python), first 1.00 MB | 1.00 | 512 | 52.00 s |" in md
    assert "learns the same merges as the pure-Python reference 208x faster" in md
    assert "textgen bench-lstm --threads 2 --params '{}' --out results/perf/lstm.json" in md
    assert "| Word-level LSTMs (Report A) | 465 | 208 | 2 | 0.02 | 32 | 1 of 3 |" in md
    assert "On this CPU `torch.mm` reaches only 45% of the fastest library's rate" in md
    # a run disturbed by other processes is flagged, and fine-tuning's numbers have no target
    assert "**Measured on a busy machine:** other processes kept 1.10 of 2 cores busy" in md
    assert "| Causal LM fine-tuning (Report B) | 465 | 208 | 2 | 1.10 (busy machine) | 32 | none checked |" in md
    assert "Measured without a target." in md
    assert ctx.figures == ["performance_peak.png"] and (tmp_path / "staged" / "performance_peak.png").is_file()
    assert md.index("### Word-level LSTMs") < md.index("### BPE tokenizer training") < md.index("### Causal LM")


def test_run_off_the_target_config_checks_no_target(tmp_path):
    gpt = result("gpt", rows=[row("GPT", 900.0, 10.0, 0.05)])
    gpt["matmul_gflops"] = {"torch.mm": 465.2, "oneDNN": 400.0}
    write_json(tmp_path / "results/perf/gpt.json", gpt)
    md = performance.render(context(tmp_path)).markdown
    assert "No target checked: the targets are stated for another configuration than this run's." in md
    assert "not met" not in md and "On this CPU" not in md  # torch.mm at the peak: nothing to say


def test_no_results_no_section(tmp_path):
    assert performance.render(context(tmp_path)) is None


def test_stock_layer_rates_and_the_listings_decoding_beside_ours(tmp_path):
    gpt = row("GPT", 4200.0, 145.0, 145.0 / 465.2) | {"stock_tokens_per_s": 2800.0}
    write_json(tmp_path / "results/perf/gpt.json", result(
        "gpt", rows=[gpt], targets=[target("GPT: training, vs the same model on stock torch layers and glibc's "
                                           "default malloc", 1.5, ">=", 1.4, "x", True)]))
    write_json(tmp_path / "results/perf/lstm.json", result(
        "lstm", rows=[row("simple", 10380.0, 167.2, 0.36) | {"stock_tokens_per_s": 6920.0}],
        timings=[timing("simple", "write", 0.021, 0.137) | {"stock_seconds": 0.063},
                 timing("simple", "write_better", 0.0043) | {"stock_seconds": 0.0086}]))
    md = performance.render(context(tmp_path)).markdown
    assert "| GPT | cfg | 4,200 | 145 | 31% | 70% | 2,800 | 1.50x |" in md
    assert "| simple | cfg | 10,380 | 167 | 36% | 80% | 6,920 | 1.50x |" in md
    assert "built from nn.Linear and nn.LSTM and trained on glibc's default malloc" in md
    assert "| model | write | write_better | listing write | listing write_better | write as listed | " \
           "write_better as listed |" in md
    assert "| simple | 21 | 4.3 | 137 |  | 63 | 8.6 |" in md
    assert "Decoding short of 2x" not in md  # 3x and 2x: both met (targets are the benchmark's to set)
    write_json(tmp_path / "results/perf/lstm.json", result(
        "lstm", rows=[], timings=[timing("simple", "write", 0.050, 0.137) | {"stock_seconds": 0.055}]))
    md = performance.render(context(tmp_path)).markdown
    assert "- Decoding short of 2x the listings' way, in ms per word here vs as listed: write, simple 1.00 vs 1.10." in md
    assert "| GPT: training, vs the same model on stock torch layers and glibc's default malloc | 1.50x | >= 1.40x | met |" \
        in md


def test_an_unmet_share_of_the_peak_says_where_the_step_time_goes(tmp_path):
    rows = [row("attention", 1300.0, 126.0, 0.58) | {"product_time_share": 0.8},
            row("attention_fixed", 1900.0, 184.0, 0.85) | {"product_time_share": 0.9}]
    write_json(tmp_path / "results/perf/lstm.json", result("lstm", rows=rows, targets=[
        target("attention: training, share of the matmul peak", 0.58, ">=", 0.8, "fraction", False),
        target("attention_fixed: training, share of the matmul peak", 0.85, ">=", 0.8, "fraction", True)]))
    md = performance.render(context(tmp_path)).markdown
    assert ("- attention: matrix products take 80% of its step's time and run at 72% of the peak meanwhile; "
            "the other 20%") in md
    assert "attention_fixed does the same products over whole sequences" in md and "reaches 85% of the peak" in md
    assert "- attention_fixed:" not in md  # met: nothing to explain
    # the GPT's target names it "GPT training"; a missed stock ratio says what bounds it here
    gpt = row("GPT", 4500.0, 157.0, 0.73) | {"product_time_share": 0.85, "stock_tokens_per_s": 3700.0}
    write_json(tmp_path / "results/perf/gpt.json", result("gpt", rows=[gpt], targets=[
        target("GPT training, share of the matmul peak", 0.73, ">=", 0.8, "fraction", False),
        target("GPT: training, vs the same model on stock torch layers and glibc's default malloc", 1.22, ">=", 1.4,
               "x", False)]))
    md = performance.render(context(tmp_path)).markdown
    assert "- GPT: matrix products take 85% of its step's time and run at 86% of the peak meanwhile" in md
    assert ("- GPT: short of 1.4x the stock layers. On this CPU torch.mm, which stock nn.Linear calls, runs at 45% "
            "of the fastest library's rate, so moving the products to oneDNN can make them at most 2.23x faster") in md
