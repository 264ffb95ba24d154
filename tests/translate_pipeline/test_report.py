"""The loss plot and the report section, from the tiny run's artifacts."""

from __future__ import annotations

import json
import shutil

from textgen.report.context import Context
from textgen.report.sections import report_b_translate as section


def context(root):
    return Context(root=root, params_file=root / "params.yaml", source_dirs=[], benchmark_files=[],
                   figures_dir=root / "report" / "figures", staged_figures=root / "staged")


def test_section_is_none_without_artifacts(tmp_path):
    assert section.render(context(tmp_path)) is None


def test_plot_and_section(trained, pairs, tmp_path, helpers):
    results = tmp_path / "results" / "translate"
    shutil.copytree(trained[1], results / "nb_nn")
    assert helpers.command("textgen.translate.plot", ["--models", results / "nb_nn", "--out", results / "loss.png"]) == 0
    assert (results / "loss.png").read_bytes().startswith(b"\x89PNG")
    assert helpers.command("textgen.translate.score", ["--model", results / "nb_nn", "--pairs", pairs,
                                               "--out", results / "scores" / "nb_nn.json"]) == 0
    absent = {"available": False, "reason": "no `apertium` on PATH", "how_to_get": "apt-get install apertium",
              "languages": {"source": "nb", "target": "nn"}, "pairs": "nb_nn", "split": "test"}
    (results / "scores" / "apertium_nb_nn.json").write_text(json.dumps(absent))

    ctx = context(tmp_path)
    rendered = section.render(ctx)
    text = rendered.markdown
    assert rendered.part == "Report B" and ctx.figures == ["translate-loss.png"]
    assert "### Bokmål -> Nynorsk (`nb_nn`)" in text
    assert "| Bokmål -> Nynorsk | copy the source |" in text
    assert "| Bokmål -> Nynorsk | Apertium (rule-based) | absent | absent |" in text
    assert "The Apertium baseline is absent: no `apertium` on PATH" in text
    assert "| prompt | untrained | epoch 2 |" in text and "| Universet |" in text
    # the seed's own models' translations of each prompt, in their own columns
    from textgen.report.seed_texts import SEED_001_TRANSLATIONS
    assert "| prompt | untrained | epoch 2 | seed: epoch 10 | seed: epoch 30 | seed: epoch 60 |" in text
    seed = {(e["prompt"], e["epoch"]): e["translation"] for e in SEED_001_TRANSLATIONS["nb_nn"]}
    assert f"| {seed['Universet', 10]} | {seed['Universet', 30]} | {seed['Universet', 60]} |" in text
    assert "*Seed 001's texts (its models, its data), lines 720-777 of the seed.*" in text
    assert "Seq2SeqTransformer(" in text and "n_embd: 16" in text
    scores = json.loads((results / "scores" / "nb_nn.json").read_text())
    assert rendered.findings == [f"Bokmål -> Nynorsk (one training run): test BLEU {scores['model']['bleu']:.1f}, against "
                                 f"{scores['copy']['bleu']:.1f} for copying the source unchanged, on "
                                 f"{scores['model']['sentences']:,} sentences."]  # Apertium absent: not named


def test_the_departures_state_the_paper_profiles_own_values():
    """The summary's translation departure names the paper profile's vocabularies and nb_nn's layers."""
    from textgen.profiles import render_profile
    from textgen.report.seeds import PAPER_DEPARTURES

    models = render_profile("paper")["translate"]["models"]
    (line,) = section.DEPARTURES
    for model, seed_vocab in (("nb_nn", "50,000"), ("en_nb", "65,536")):
        assert f"{models[model]['config']['vocab_size']:,}" in line and seed_vocab in line
        assert PAPER_DEPARTURES[f"translate.models.{model}.config.vocab_size"][0] == int(seed_vocab.replace(",", ""))
    nb_nn = models["nb_nn"]["config"]
    assert f"{nb_nn['n_encoder_layer']} encoder and {nb_nn['n_decoder_layer']} decoder layers" in line
