"""score-translation and the sacrebleu scores it reports."""

from __future__ import annotations

import json

import pytest
import sacrebleu

from textgen.translate.score import corpus_scores
from textgen.translate.translator import Translator


def test_scores_equal_a_hand_checked_case():
    # unigram 4/5, bigram 3/4, trigram 2/3, 4-gram 1/2, equal lengths (no brevity penalty):
    # BLEU = 100 * (4/5 * 3/4 * 2/3 * 1/2) ** (1/4) = 100 * 0.2 ** 0.25
    scores = corpus_scores(["a b c d e"], ["a b c d f"])
    assert scores["bleu"] == pytest.approx(100 * 0.2**0.25)
    same = corpus_scores(["Boka mi er på bordet."], ["Boka mi er på bordet."])
    assert same["bleu"] == pytest.approx(100) and same["chrf"] == pytest.approx(100)
    assert corpus_scores(["xyz"], ["abc"])["chrf"] == 0


def test_score_translation(trained, pairs, tmp_path, helpers):
    out = tmp_path / "scores.json"
    assert helpers.command("textgen.translate.score", ["--model", trained[1], "--pairs", pairs, "--out", out]) == 0
    result = json.loads(out.read_text())
    test = [line.split("\t") for line in (pairs / "test.tsv").read_text().splitlines()[1:]]
    sources, references = [s for s, _ in test], [t for _, t in test]
    hypotheses = Translator.load(trained[1])(sources)
    assert result["decoding"] == "greedy" and result["model"]["sentences"] == len(test)
    assert result["model"]["chrf"] == pytest.approx(sacrebleu.corpus_chrf(hypotheses, [references]).score)
    assert result["copy"]["bleu"] == pytest.approx(sacrebleu.corpus_bleu(sources, [references]).score)
    assert [e["hypothesis"] for e in result["examples"]] == hypotheses[:len(result["examples"])]


def test_unknown_score_param_is_an_error(trained, pairs, tmp_path, capsys, helpers):
    args = ["--model", trained[1], "--pairs", pairs, "--params", '{"beam": 2}', "--out", tmp_path / "s.json"]
    assert helpers.command("textgen.translate.score", args) == 1
    assert "unknown key(s) beam" in capsys.readouterr().err


def test_max_pairs_scores_the_first_test_pairs(trained, pairs, tmp_path, helpers):
    test = [line.split("\t") for line in (pairs / "test.tsv").read_text().splitlines()[1:]]
    assert len(test) > 2
    out = tmp_path / "first2.json"
    args = ["--model", trained[1], "--pairs", pairs, "--params", '{"max_pairs": 2}', "--out", out]
    assert helpers.command("textgen.translate.score", args) == 0
    result = json.loads(out.read_text())
    sources, references = [s for s, _ in test[:2]], [t for _, t in test[:2]]
    assert result["model"]["sentences"] == result["copy"]["sentences"] == 2
    assert result["copy"]["bleu"] == pytest.approx(sacrebleu.corpus_bleu(sources, [references]).score)


@pytest.mark.parametrize("bad", ['{"max_pairs": 0}', '{"max_pairs": 1.5}', '{"max_pairs": true}'])
def test_bad_max_pairs_is_an_error(trained, pairs, tmp_path, capsys, helpers, bad):
    args = ["--model", trained[1], "--pairs", pairs, "--params", bad, "--out", tmp_path / "s.json"]
    assert helpers.command("textgen.translate.score", args) == 1
    assert "--params.max_pairs: expected null or a positive integer" in capsys.readouterr().err
    assert not (tmp_path / "s.json").exists()


def test_the_seeds_long_english_prompt_translates(trained):
    """The English notebook's eighth prompt, far longer than any training pair, decodes within the
    length limit instead of failing on the positions."""
    from textgen.translate.prompts import prompts_for

    prompts = prompts_for("en")
    assert len(prompts) == 8 and prompts[-1].startswith("Yes, well how do you, as an AI,")
    translation = Translator.load(trained[1])(prompts[-1:])
    assert len(translation) == 1 and isinstance(translation[0], str)
