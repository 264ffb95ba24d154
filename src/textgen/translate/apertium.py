"""`textgen apertium-baseline`: Apertium's rule-based Bokmål -> Nynorsk, scored like the models.

    textgen apertium-baseline --pairs data/interim/pairs/nb_nn --apertium data/raw/tools/apertium \\
        --out results/translate/scores/apertium_nb_nn.json

Apertium comes from one of two places, tried in order: the Debian packages in --apertium (what
`textgen fetch` downloads: apertium, apertium-nno-nob and their libraries, unpacked here with
`dpkg-deb -x` into a temporary folder, nothing installed), or an `apertium` on PATH. When neither
works, or the pair set is not Bokmål -> Nynorsk, the output says `available: false`, why, and how
to get Apertium, and the command still succeeds: the report then marks the baseline as absent.
A score is only ever computed from Apertium's own output.

Sentences go in separated by blank lines: Apertium treats a blank line as a paragraph end, so no
rule can move a word across it (with one sentence per line, multiword rules sometimes do, and the
output no longer lines up with the references). `-u` drops the `*` it puts before unknown words.

    >>> split_output("Boka mi.\\n\\nEin stol.\\n\\n", 2)
    ['Boka mi.', 'Ein stol.']
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from textgen.errors import TextgenError
from textgen.io import read_json, write_json
from textgen.translate.corpus import languages, read_split
from textgen.translate.score import corpus_scores, examples, read_max_pairs

DIRECTIONS = {("nb", "nn"): "nob-nno"}  # (source, target) language -> Apertium mode
HOW_TO_GET = ("install Debian's `apertium` and `apertium-nno-nob` (apt-get install apertium apertium-nno-nob), "
              "or let the pipeline fetch them (rule fetch_apertium, params translate.apertium.source)")
TIMEOUT_S = 1800
SYSTEM_DATA = "/usr/share/apertium"  # where the packages' mode files expect the language data


class Absent(Exception):
    """Apertium cannot be run here; the message says why."""


def split_output(text: str, expected: int) -> list[str]:
    """Apertium's output, one translation per blank-line-separated paragraph."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip("\n"))]
    if len(parts) != expected:
        raise Absent(f"Apertium returned {len(parts)} paragraphs for {expected} sentences")
    return parts


def unpacked(debs: Path, work: Path, direction: str) -> tuple[list[str], dict[str, str], str]:
    """Command, environment and description to run the Apertium of the .deb files in `debs`."""
    packages = sorted(debs.glob("*.deb"))
    if not packages:
        raise Absent(f"{debs}: no .deb files")
    root = work / "root"
    for deb in packages:
        try:
            done = subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise Absent("dpkg-deb not found (needed to unpack the fetched packages)") from None
        if done.returncode:
            raise Absent(f"dpkg-deb -x {deb.name} failed: {done.stderr.strip()[:200]}")
    mode = root / SYSTEM_DATA.lstrip("/") / "modes" / f"{direction}.mode"
    if not mode.exists():
        raise Absent(f"{debs}: the packages hold no {direction} mode")
    # The mode file names the data by absolute path; point it at the unpacked copy.
    (work / "data" / "modes").mkdir(parents=True)
    (work / "data" / "modes" / mode.name).write_text(
        mode.read_text(encoding="utf-8").replace(SYSTEM_DATA, str(root / SYSTEM_DATA.lstrip("/"))), encoding="utf-8")
    bin_dir, lib_dir = root / "usr" / "bin", root / "usr" / "lib" / "x86_64-linux-gnu"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "LD_LIBRARY_PATH": os.pathsep.join(filter(None, [str(lib_dir), os.environ.get("LD_LIBRARY_PATH")])),
        "APERTIUM_PATH": str(bin_dir),
        "APERTIUM_DATADIR": str(root / SYSTEM_DATA.lstrip("/")),
    }
    fetched = debs / "fetch.json"
    versions = ", ".join(f"{s['package']} {s['version']}" for s in read_json(fetched)["sources"]) if fetched.exists() \
        else ", ".join(p.name for p in packages)
    return ["bash", str(bin_dir / "apertium"), "-d", str(work / "data")], env, f"fetched Debian packages: {versions}"


def on_path() -> tuple[list[str], dict[str, str], str]:
    found = shutil.which("apertium")
    if found is None:
        raise Absent("no `apertium` on PATH")
    return [found], dict(os.environ), f"`apertium` on PATH ({found})"


def run_apertium(command: list[str], env: dict[str, str], direction: str, sources: list[str], work: Path) -> list[str]:
    source_file, output_file = work / "in.txt", work / "out.txt"
    source_file.write_text("\n\n".join(sources) + "\n", encoding="utf-8")
    try:
        done = subprocess.run([*command, "-u", direction, str(source_file), str(output_file)], env=env,
                              capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Absent(f"running Apertium failed: {exc}") from None
    if done.returncode or not output_file.exists():
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise Absent(f"Apertium exited with {done.returncode}: {(lines or ['no message'])[-1][:300]}")
    return split_output(output_file.read_text(encoding="utf-8"), len(sources))


def baseline(pairs_dir: Path, fetched: Path | None, max_pairs: int | None = None) -> dict[str, Any]:
    source_lang, target_lang = languages(pairs_dir)
    result: dict[str, Any] = {"pairs": pairs_dir.name, "split": "test",
                              "languages": {"source": source_lang, "target": target_lang}}
    direction = DIRECTIONS.get((source_lang, target_lang))
    if direction is None:
        return {**result, "available": False, "how_to_get": "",
                "reason": f"Apertium is used for nb -> nn only, not {source_lang} -> {target_lang}"}
    test = read_split(pairs_dir, "test")[:max_pairs]  # the pairs the models are scored on
    sources, references = [s for s, _ in test], [t for _, t in test]
    reasons = []
    for locate in ([lambda work: unpacked(fetched, work, direction)] if fetched else []) + [lambda work: on_path()]:
        with tempfile.TemporaryDirectory(prefix="textgen-apertium-") as name:
            try:
                command, env, tool = locate(Path(name))
                started = time.perf_counter()
                hypotheses = run_apertium(command, env, direction, sources, Path(name))
                seconds = time.perf_counter() - started
            except Absent as exc:
                reasons.append(str(exc))
                continue
        words = sum(len(s.split()) for s in sources)
        print(f"apertium {direction}: {words:,} words in {seconds:.1f} s ({words / seconds:,.0f} words/s) with {tool}")
        return {**result, "available": True, "tool": tool, "command": f"apertium -u {direction} in.txt out.txt",
                "apertium": corpus_scores(hypotheses, references), "copy": corpus_scores(sources, references),
                "examples": examples(test, hypotheses)}
    return {**result, "available": False, "reason": "; ".join(reasons), "how_to_get": HOW_TO_GET}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen apertium-baseline", description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", required=True, type=Path, help="pair set folder (test.tsv is scored)")
    parser.add_argument("--apertium", type=Path, help="folder of fetched Apertium .deb files (else: PATH)")
    parser.add_argument("--max-pairs", default="null", help="JSON: null (the whole test split) or its first N pairs")
    parser.add_argument("--out", required=True, type=Path, help="scores.json to write")
    args = parser.parse_args(argv)
    try:
        max_pairs = read_max_pairs(json.loads(args.max_pairs), "--max-pairs")
    except json.JSONDecodeError:
        raise TextgenError(f"--max-pairs: expected null or a positive integer, got {args.max_pairs!r}") from None
    if args.apertium is not None and not args.apertium.is_dir():
        raise TextgenError(f"--apertium {args.apertium}: not a folder")
    result = baseline(args.pairs, args.apertium, max_pairs)
    write_json(args.out, result)
    if result["available"]:
        scores = result["apertium"]
        print(f"apertium-baseline {args.pairs.name}: BLEU {scores['bleu']:.1f} chrF {scores['chrf']:.1f}")
    else:
        print(f"apertium-baseline {args.pairs.name}: absent ({result['reason']})"
              + (f"; to get it: {result['how_to_get']}" if result["how_to_get"] else ""))
    return 0
