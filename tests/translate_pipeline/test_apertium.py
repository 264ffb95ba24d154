"""apertium-baseline: absent (with the reason and how to get it) or scored from Apertium's output."""

from __future__ import annotations

import json
import os
import stat

BASELINE = "textgen.translate.apertium"


def run(helpers, tmp_path, pairs, *extra):
    out = tmp_path / "apertium.json"
    assert helpers.command(BASELINE, ["--pairs", pairs, *extra, "--out", out]) == 0
    return json.loads(out.read_text())


def test_absent_without_apertium(pairs, tmp_path, monkeypatch, helpers):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run(helpers, tmp_path, pairs)
    assert result["available"] is False and "apertium" not in result
    assert result["reason"] == "no `apertium` on PATH"
    assert "apt-get install apertium apertium-nno-nob" in result["how_to_get"]


def test_absent_when_fetched_folder_has_no_packages(pairs, tmp_path, monkeypatch, helpers):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (tmp_path / "fetched").mkdir()
    result = run(helpers, tmp_path, pairs, "--apertium", tmp_path / "fetched")
    assert result["available"] is False
    assert result["reason"].startswith(f"{tmp_path / 'fetched'}: no .deb files; no `apertium` on PATH")


def test_other_language_pair_has_no_baseline(tmp_path, helpers):
    pairs = helpers.write_pairs(tmp_path / "en_nb")
    (pairs / "manifest.json").write_text(json.dumps({"languages": {"source": "en", "target": "nb"}}))
    result = run(helpers, tmp_path, pairs)
    assert result["available"] is False and "nb -> nn only" in result["reason"]


def test_scores_come_from_apertiums_output(pairs, tmp_path, monkeypatch, helpers):
    # A stand-in `apertium` that returns its input: the baseline must then score exactly as copying.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "apertium"
    fake.write_text('#!/bin/sh\n# apertium -u DIRECTION IN OUT\ncp "$3" "$4"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = run(helpers, tmp_path, pairs)
    assert result["available"] is True and result["command"] == "apertium -u nob-nno in.txt out.txt"
    assert result["apertium"] == result["copy"]
    assert result["examples"][0]["hypothesis"] == result["examples"][0]["source"]
    assert result["apertium"]["sentences"] == len((pairs / "test.tsv").read_text().splitlines()) - 1

    # --max-pairs scores the first pairs only, as score-translation's max_pairs does for the models
    limited = run(helpers, tmp_path, pairs, "--max-pairs", "2")
    assert limited["apertium"]["sentences"] == limited["copy"]["sentences"] == 2


def test_bad_max_pairs_is_an_error(pairs, tmp_path, capsys, helpers):
    for bad in ("0", "-1", "two", "1.5", "true"):
        assert helpers.command(BASELINE, ["--pairs", pairs, "--max-pairs", bad, "--out", tmp_path / "a.json"]) == 1
        assert "--max-pairs: expected null or a positive integer" in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()
