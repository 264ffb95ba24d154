"""The report section reads what the fine-tuning commands wrote."""

import json

from textgen.finetune.causal import main
from textgen.report.context import Context
from textgen.report.sections import report_b_finetune

PARAMS = {"chunk_chars": 128, "max_chunks": 4, "val_chunks": 1, "epochs": 1, "batch_size": 4,
          "pad_to_multiple_of": None, "logging_steps": 1, "max_length": 24}


def context(root):
    return Context(root=root, params_file=root / "params.yaml", source_dirs=[], benchmark_files=[],
                   figures_dir=root / "report" / "figures", staged_figures=root / "staged")


def test_section_shows_settings_figure_and_samples(tiny_base, corpus, tmp_path):
    out = tmp_path / "results" / "finetune" / "milton"
    prompts = json.dumps(["Where the hell are you?"])
    assert main(["--base", str(tiny_base), "--corpus", str(corpus), "--prompts", prompts, "--params", json.dumps(PARAMS),
                 "--checkpoints", str(tmp_path / "ck"), "--out", str(out)]) == 0
    ctx = context(tmp_path)
    section = report_b_finetune.render(ctx)
    assert section.part == "Report B"
    assert "milton stands in for Kafka" in section.markdown
    assert "| training data | 4 chunks of 128 characters" in section.markdown
    assert "| 1 | beam | Where the hell are you? | Where the hell are you?" in section.markdown
    assert ctx.figures == ["milton-curves.png"] and (tmp_path / "staged" / "milton-curves.png").is_file()


def test_no_artifacts_no_section(tmp_path):
    assert report_b_finetune.render(context(tmp_path)) is None
