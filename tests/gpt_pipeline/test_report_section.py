"""The Report B section renders from the rules' artifacts and stays out when they are missing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from textgen.bpe.cli import main_bpe_table
from textgen.gpt.sample import main as sample_main
from textgen.report.context import Context
from textgen.report.sections import report_b_gpt


def context(root: Path) -> Context:
    return Context(root=root, params_file=root / "params.yaml", source_dirs=[], benchmark_files=[],
                   figures_dir=root / "report" / "figures", staged_figures=root / "staged")


def test_missing_artifacts_give_no_section(tmp_path):
    assert report_b_gpt.render(context(tmp_path)) is None


def test_section(trained, tokenizer, corpus, split, tmp_path):
    models = tmp_path / "results" / "gpt" / "models"
    shutil.copytree(trained["out"], models / "lyrics")
    (tmp_path / "results" / "gpt" / "samples").mkdir(parents=True)
    sample_main(["--model", str(models / "lyrics"), "--tokenizer", str(tokenizer), "--params",
                 '{"prompts": ["A <b>*title*</b>"], "temperatures": [1.0, 0], "max_new_tokens": 5, "top_k": 75}',
                 "--seed", "1", "--out", str(tmp_path / "results" / "gpt" / "samples" / "lyrics.csv")])
    main_bpe_table(["--corpora", str(corpus), "--vocab-sizes", "[259, 280]", "--split", split, "--out",
                    str(tmp_path / report_b_gpt.BPE_TABLE), "--figure", str(tmp_path / report_b_gpt.BPE_FIGURE),
                    "--listing", str(tmp_path / report_b_gpt.BPE_LISTING)])
    ctx = context(tmp_path)
    section = report_b_gpt.render(ctx)
    assert section.part == "Report B"
    text = section.markdown
    for heading in ("### Tokenization", "### Seed 001's BPE training listing, run", "### Held-out loss of every model",
                    "### lyrics: Lyrics generative model"):
        assert heading in text
    assert "| the listing as printed | stops: NameError (name 'counts' is not defined) |" in text
    assert re.search(r"\| \+ line 6 numbers new tokens from 256 \(it numbers them from 0, the bytes' ids\) \| runs \| (\d+) \| 0 \| yes \| \1 \|", text)
    assert "n_layer: int = 1" in text and "GPT(" in text
    assert "Prompt: **A &lt;b&gt;\\*title\\*&lt;/b&gt;**" in text
    assert "| greedy | 10 |" in text and "| 1 | 20 |" in text
    held = json.loads((models / "lyrics" / "heldout.json").read_text())
    corpus = json.loads((models / "lyrics" / "config.json").read_text())["corpus"]
    assert section.findings[0].startswith("Seed 001's BPE training listing does not run as printed (it stops with "
                                          "NameError); with its new tokens numbered from 0, as printed, it reuses ")
    assert section.departures[0].startswith("Seed 001's BPE training listing has four defects (lines 2, 6, 9 and 10)")
    assert section.departures[1].startswith("lyrics: decoder-only, where seed 001's models are encoder-decoders")
    # the seed's own lyrics samples, with the one whose checkpoint the seed leaves unstated marked
    assert "| Hilbilly cowboy by Ulf G. Indahl | 200 epochs (?) | 1 | One, one, one, one, one |" in text
    assert "*Seed 001's texts (its models, its data), lines 1582-1610 of the seed.*" in text
    assert section.findings[1:] == [f"1 decoder-only Transformer trained from scratch, one run each; held-out bits per "
                                f"byte of text: lyrics ({corpus}) {held['bits_per_byte']:.3f}."]
    assert sorted(ctx.figures) == ["gpt-bpe_vocab.png", "lyrics-loss.png"]


def test_the_quixote_models_stand_beside_seed_001s_training_tokens(tmp_path):
    from textgen.report.context import Context

    ctx = Context(tmp_path, tmp_path / "params.yaml", [], [], tmp_path / "figures", tmp_path / "staged")
    config = {"train": {"max_iters": 10}, "tokens_per_iter": 64}
    text = report_b_gpt._beside_the_seed(ctx, "quixote_large", config)
    assert "| seed 001 (its plot's axis: 8 x 4 x 256 x 64) | 524,288 | 1,000 | 524,288,000 |" in text
    assert "| ours (batch x gradient accumulation x block) | 64 | 10 | 640 |" in text
    assert "*From `results/gpt/models/quixote_large/config.json`.* *Seed row: seed 001's loss plot.*" in text
    assert report_b_gpt._beside_the_seed(ctx, "kafka", config) == ""  # the seed states no size for it
