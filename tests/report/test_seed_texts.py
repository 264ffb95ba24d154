"""The seeds' texts the report sets beside ours: consistent with the seeds' numbers transcribed
separately (textgen.report.seeds), with the prompts the pipeline uses, and, where the seed files
are beside the checkout, found at the lines they name."""

from __future__ import annotations

from pathlib import Path

import pytest

from textgen.report import seed_texts as t
from textgen.report.sections import report_b_gpt
from textgen.report.seeds import SEED_000_TEXT_LOSSES, SEED_001_FINETUNE
from textgen.translate.prompts import prompts_for

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FILES = {"000": SEEDS / "000_338f0f0467d1ef34.txt", "001": SEEDS / "001_01d3645dde17b454.txt"}


def test_figures_15_to_17_agree_with_the_losses_transcribed_apart():
    for model, (figure, losses) in SEED_000_TEXT_LOSSES.items():
        entry = t.SEED_000_WRITE[model]
        assert entry["figure"] == figure
        assert [e["evaluation"] for e in entry["texts"]] == list(range(1, len(losses) + 1))
        printed = [float(e["loss"].split("/")[0]) for e in entry["texts"]]  # Figure 15's first: "9.297721862/92069"
        assert printed == pytest.approx(losses, abs=1e-9)
        assert all(e["text"].startswith("Spells") for e in entry["texts"])


def test_figure_21_is_two_epochs_of_three_texts_at_steps_63_and_127():
    assert [(e["epoch"], e["step"]) for e in t.SEED_000_FIGURE_21] == [("0", "63")] * 3 + [("1", "127")] * 3


def test_translations_are_of_the_prompts_the_pipeline_translates():
    for pairs, language, epochs in (("nb_nn", "nb", [10, 30, 60]), ("en_nb", "en", [5, 10])):
        entries = t.SEED_001_TRANSLATIONS[pairs]
        assert sorted({e["epoch"] for e in entries}) == epochs
        for epoch in epochs:
            assert [e["prompt"] for e in entries if e["epoch"] == epoch] == prompts_for(language)


def test_samples_belong_to_models_and_runs_the_report_has():
    assert set(t.SEED_001_SAMPLES) == set(report_b_gpt.MODELS)
    assert set(t.SEED_001_FINETUNE_TEXTS) == set(SEED_001_FINETUNE)
    for entries in [*t.SEED_001_SAMPLES.values(), *t.SEED_001_FINETUNE_TEXTS.values()]:
        assert all(e["text"].strip() for e in entries)


@pytest.mark.skipif(not all(f.exists() for f in FILES.values()), reason="the seed files are not beside the checkout")
def test_every_text_starts_on_the_line_it_names():
    lines = {seed: path.read_text(encoding="utf-8").splitlines() for seed, path in FILES.items()}
    entries = [("000", e) for m in t.SEED_000_WRITE.values() for e in m["texts"]]
    entries += [("000", e) for e in t.SEED_000_FIGURE_21]
    entries += [("001", e) for v in t.SEED_001_TRANSLATIONS.values() for e in v]
    entries += [("001", e) for v in [*t.SEED_001_SAMPLES.values(), *t.SEED_001_FINETUNE_TEXTS.values()] for e in v]
    for seed, e in entries:
        text = e.get("text", e.get("translation"))
        first = text.split("\n")[0][:30]
        assert first in lines[seed][e["line"] - 1], (seed, e["line"], first)


def test_seed_note():
    assert t.seed_note("000", [{"line": 12}]) == "*Seed 000's texts (its models, its data), line 12 of the seed.*"
