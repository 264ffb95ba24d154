"""The provenance section's table of where each model trained, from the trainers' own records."""

from __future__ import annotations

import json

from textgen.report.provenance import compute_table


def test_one_row_per_recorded_run(tmp_path):
    gpt, lstm, corpus = tmp_path / "gpt", tmp_path / "lstm", tmp_path / "corpus"
    for folder in (gpt, lstm, corpus):
        folder.mkdir()
    (gpt / "config.json").write_text(json.dumps({"compute": {"accelerator": "cpu", "devices": 2,
                                                             "precision": "bf16-mixed", "strategy": "DDPStrategy"}}))
    (lstm / "metrics.json").write_text(json.dumps({"compute": {"accelerator": "cuda", "devices": 1,
                                                               "precision": "32-true", "strategy": "SingleDeviceStrategy"}}))
    (corpus / "manifest.json").write_text("{}")
    text = compute_table([gpt, lstm, corpus, tmp_path / "a.csv"], tmp_path)
    assert text.count("\n") == 3  # header, rule, two rows
    assert "| bf16-mixed | DDPStrategy |" in text and "| cuda | 1 | 32-true |" in text


def test_nothing_recorded_is_no_table(tmp_path):
    assert compute_table([tmp_path], tmp_path) is None
