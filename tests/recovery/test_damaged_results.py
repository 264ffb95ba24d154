"""A truncated file of every kind that the tiny run writes or fetches (data/, results/, report/), all
at once, as a full disk or a crash of a copy tool leaves them: DVC finds each one, and the README's
recovery step (`dvc checkout --force`) brings every file back byte for byte, with nothing rerun.

Snakemake does not read back the files of jobs it has finished (a directory output's time is its
`.snakemake_timestamp`), so it is DVC's record, dvc.lock's checksums, that finds the damage.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tinyrun import shell as run

pytestmark = pytest.mark.e2e

# kind -> a glob that finds files of that kind in the tiny run (the first, sorted, is damaged)
KINDS = {
    "token ids (.int32)": "data/processed/words/*.int32",
    "raw Debian package (.deb)": "data/raw/corpora/*/*.deb",
    "raw archive (.tar.gz)": "data/raw/corpora/*/*.tar.gz",
    "raw wheel (.whl)": "data/raw/corpora/*/*.whl",
    "base-model weights (.safetensors)": "data/raw/base_model/*.safetensors",
    "cleaned text (.txt)": "data/interim/corpora/*/texts/*.txt",
    "poems (.jsonl)": "data/interim/corpora/*/*.jsonl",
    "sentence pairs (.tsv)": "data/interim/pairs/*/*.tsv",
    "BPE tokenizer (.json)": "data/processed/bpe/*.json",
    "word-model weights (.pt)": "results/lstm/models/*/model.pt",
    "translation model (.pt)": "results/translate/*/final.pt",
    "metrics (.json)": "results/perf/*.json",
    "table (.csv)": "results/*/*/*.csv",
    "figure (.png)": "results/*/*.png",
    "report page (.html)": "report/index.html",
}
TREES = ("data", "results", "report")


def digests(work: Path) -> dict[str, str]:
    return {str(p.relative_to(work)): hashlib.sha256(p.read_bytes()).hexdigest()
            for tree in TREES for p in sorted((work / tree).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def work(tiny_run, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("damaged") / "textgen"
    shutil.copytree(tiny_run.path, work, symlinks=True)
    return work


def test_a_truncated_file_of_every_kind_is_found_and_restored(work):
    before = digests(work)
    damaged = {}
    for kind, pattern in KINDS.items():
        found = sorted(work.glob(pattern))
        assert found, f"{kind}: the tiny run wrote no {pattern}"
        path = found[0]
        size = path.stat().st_size
        assert size > 1, f"{kind}: {path} is empty"
        with open(path, "r+b") as f:
            f.truncate(size // 2)
        damaged[str(path.relative_to(work))] = kind

    # DVC names every damaged file's stage output (a file, or the folder that holds it).
    status = json.loads(run("dvc status --json", work).stdout)
    modified = {path for changes in status.values() for change in changes
                for section in ("changed outs",) for path, what in change.get(section, {}).items() if what == "modified"}
    missed = [f"{kind}: {path}" for path, kind in damaged.items()
              if not any(path == out or path.startswith(out.rstrip("/") + "/") for out in modified)]
    assert not missed, f"dvc status does not see these truncated files: {missed}\n{status}"

    # Plain `dvc checkout` refuses to overwrite files that are not in its cache, and names them.
    refused = run("dvc checkout", work, check=False)
    assert refused.returncode != 0
    assert all(path in refused.stdout + refused.stderr for path in damaged), refused.stderr[-3000:]

    run("dvc checkout --force", work)
    assert digests(work) == before, "dvc checkout --force did not restore the tree byte for byte"
    assert "Data and pipelines are up to date" in run("dvc status", work).stdout
    assert "Nothing to be done" in run("snakemake -n", work).stdout
