"""`textgen prepare-corpus`: a fetched source becomes clean texts, one file per work, + manifest.json.

Output folder (written under a temporary name, renamed when complete):

- ``texts/<work id>.txt``: UTF-8, NFC, ``\\n`` line ends, boilerplate removed, no trailing spaces,
  at most one blank line in a row (two between the poems of a poem collection), final newline;
- ``manifest.json``: corpus, extractor, options, the fetched packages with their sha256, and per
  work its title, source file in the package and that file's sha256, the clean text's sha256,
  characters and words (whitespace split); totals; extractor facts (duplicates, poem counts);
- ``poems.jsonl`` (titled_poems only): one {"title", "text", "source"} per poem.

>>> import tempfile
>>> from textgen.data.fetch import fetch_source
>>> tmp = Path(tempfile.mkdtemp()); _ = (tmp / "book.txt").write_text("A  Book \\r\\n\\r\\n\\r\\nThe end.")
>>> _ = fetch_source("demo", {"kind": "file", "path": str(tmp / "book.txt")}, tmp / "raw")
>>> manifest = prepare_corpus("demo", "plain_text", tmp / "raw", tmp / "out", {})
>>> (tmp / "out/texts/demo.txt").read_text(), manifest["totals"]
('A  Book\\n\\nThe end.\\n', {'works': 1, 'characters': 18, 'words': 4})
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from textgen.data.args import json_arg
from textgen.data.clean import clean_text, count_words
from textgen.data.extractors import EXTRACTORS, Extraction, Work
from textgen.data.raw import RawSource
from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file, write_json


def prepare_corpus(name: str, extractor: str, raw_dir: Path, out_dir: Path, options: dict) -> dict:
    """Extract, clean, check and write every work of one corpus; return the manifest."""
    if extractor not in EXTRACTORS:
        raise TextgenError(f"corpus '{name}': extractor {extractor!r} is unknown "
                           f"(expected one of {', '.join(sorted(EXTRACTORS))})")
    extract, extra_options = EXTRACTORS[extractor]
    unknown = sorted(set(options) - extra_options - {"works"})
    if unknown:
        raise TextgenError(f"corpus '{name}': options {unknown} are unknown to extractor {extractor!r} "
                           f"(it takes {sorted(extra_options | {'works'})})")
    raw = RawSource.load(name, Path(raw_dir))
    extraction = extract(raw, options)
    works = _select(raw, extraction.works, options.get("works"))
    with atomic_path(out_dir) as tmp:
        (tmp / "texts").mkdir(parents=True)
        records = [_write_work(raw, work, tmp) for work in works]
        manifest = {
            "name": name,
            "extractor": extractor,
            "options": options,
            "sources": raw.info["sources"],
            "works": records,
            "totals": {"works": len(records),
                       "characters": sum(r["characters"] for r in records),
                       "words": sum(r["words"] for r in records)},
            "facts": extraction.facts,
        }
        if extraction.poems:
            manifest["poems"] = _write_poems(extraction, {w.id for w in works}, tmp / "poems.jsonl")
        write_json(tmp / "manifest.json", manifest)
    return manifest


def _select(raw: RawSource, works: list[Work], wanted: list[str] | None) -> list[Work]:
    ids = [w.id for w in works]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise TextgenError(f"{raw.where()}: several works map to the ids {repeated}")
    if wanted is None:
        return sorted(works, key=lambda w: w.id)
    if not isinstance(wanted, list) or not wanted or not all(isinstance(w, str) for w in wanted):
        raise TextgenError(f"{raw.where()}: option works must be a non-empty list of work ids, got {wanted!r}")
    unknown = sorted(set(wanted) - set(ids))
    if unknown:
        raise TextgenError(f"{raw.where()}: option works names unknown works {unknown} (valid: {sorted(ids)})")
    return sorted((w for w in works if w.id in wanted), key=lambda w: w.id)


def _write_work(raw: RawSource, work: Work, folder: Path) -> dict:
    text = clean_text(work.text, work.max_blank_lines)
    if not text:
        member = f" object {work.member!r}" if work.member else ""
        raise TextgenError(f"{raw.where(work.source_file)}:{member} work {work.id!r} is empty after cleaning")
    data = text.encode("utf-8")
    relative = f"texts/{work.id}.txt"
    (folder / relative).write_bytes(data)
    record = {
        "id": work.id,
        "title": work.title,
        "file": relative,
        "source_file": work.source_file,
        "source_sha256": work.source_sha256,
        "text_sha256": hashlib.sha256(data).hexdigest(),
        "characters": len(text),
        "words": count_words(text),
        "gutenberg_boilerplate_removed": work.boilerplate_removed,
    }
    if work.member:
        record["source_member"] = work.member
    return record


def _write_poems(extraction: Extraction, work_ids: set[str], path: Path) -> dict:
    poems = [p for p in extraction.poems if p["work"] in work_ids]
    lines = [json.dumps({k: p[k] for k in ("title", "text", "source")}, ensure_ascii=False, sort_keys=True)
             for p in poems]
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    path.write_bytes(data)
    return {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "count": len(poems),
            "per_work": {w: sum(p["work"] == w for p in poems) for w in sorted(work_ids)}}


def main(argv: list[str]) -> int:
    """textgen prepare-corpus --name NAME --extractor E --options JSON --raw DIR --out DIR"""
    parser = argparse.ArgumentParser(prog="textgen prepare-corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="corpus name")
    parser.add_argument("--extractor", required=True, choices=sorted(EXTRACTORS))
    parser.add_argument("--options", default="{}", help="extractor options as a JSON object")
    parser.add_argument("--raw", required=True, type=Path, help="folder written by textgen fetch")
    parser.add_argument("--out", required=True, type=Path, help="folder to create")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = prepare_corpus(args.name, args.extractor, args.raw, args.out, json_arg(args.options, "--options"))
    totals = manifest["totals"]
    poems = f", {manifest['poems']['count']} poems" if "poems" in manifest else ""
    print(f"prepare-corpus {args.name}: {totals['works']} works, {totals['words']:,} words, "
          f"{totals['characters']:,} characters{poems}, manifest sha256 "
          f"{sha256_file(args.out / 'manifest.json')[:12]} ({time.perf_counter() - started:.1f} s)")
    return 0
