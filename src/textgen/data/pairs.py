"""`textgen prepare-pairs`: LibreOffice's UI translations become sentence pairs for translation.

The l10n packages ship compiled gettext catalogs (`resource/<lang>/LC_MESSAGES/*.mo`) whose
message ids are `CONTEXT\\x04English`; two languages' strings with the same (catalog, context,
English) are translations of each other. `libreoffice_nb_nn` pairs Bokmål with Nynorsk,
`libreoffice_en_nb` pairs the English id with Bokmål.

Output folder: `train.tsv`, `val.tsv`, `test.tsv` (header `source<TAB>target`) and manifest.json
with the counts kept per split and dropped per reason. A pair's split depends only on a hash of
its source string, so adding or removing other pairs never moves it.

>>> clean_string("~Close & Return", ui=False), clean_string("Page _height:", ui=True)
('Close & Return', 'Page height:')
>>> split_of("Insert personalized salutation", val=0.05, test=0.05)
'train'
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import polib

from textgen.data.args import json_arg
from textgen.data.clean import count_words
from textgen.data.raw import RawSource
from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file, write_json

EXTRACTORS = {"libreoffice_nb_nn": ("nb", "nn"), "libreoffice_en_nb": ("en", "nb")}  # -> (source, target)
OPTIONS = {"val": 0.05, "test": 0.05, "keep_identical": False}
SPLITS = ("train", "val", "test")
MO_PATH = re.compile(r"usr/lib/libreoffice/program/resource/([^/]+)/LC_MESSAGES/([^/]+\.mo)")

# Accelerator markers: "~Save" (VCL strings), "_Always" (GTK .ui strings), "&File" (Windows).
# A lone "~" or "_" is left alone: "(~)", "an underscore (_)".
_TILDE = re.compile(r"~(?=\w)")
_AMPERSAND = re.compile(r"(?:(?<=\s)|^)&(?=[^\W\d_])(?![A-Za-z]+;)")
_MNEMONIC = re.compile(r"_(?=[^\s)_])")
# Strings with slots filled at run time: %1 %s %PRODUCTNAME %LEVEL_CURRENT% $(ARG1) $name$ $NAME $1
# {0} #1 #PAGENUMBER# <wizard_name>. A model would learn to copy or mangle them; they are not language.
PLACEHOLDER = re.compile(r"%\d+|%[A-Z][A-Z0-9_]*%?|%[a-z]\b|\$\(\w+\)|\$\w+\$|\$[A-Z0-9_]+\b|\{\w*\}"
                         r"|#\d+|#[A-Z_]+#|<[a-z]+(?:_[a-z]+)+>")


def clean_string(text: str, ui: bool) -> str:
    """NFC, whitespace runs to one space, accelerator markers removed. `ui`: a GTK .ui string,
    where "_" marks the accelerator (only when it is the string's only underscore).

    >>> clean_string("Lo_gical\\n  view", ui=True), clean_string("OPT_PROB_HIT", ui=True)
    ('Logical view', 'OPT_PROB_HIT')
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    text = _AMPERSAND.sub("", _TILDE.sub("", text))
    if ui and text.count("_") == 1:
        text = _MNEMONIC.sub("", text)
    return text


def split_of(source: str, val: float, test: float) -> str:
    """train, val or test, from the first 8 bytes of the source string's sha256."""
    share = int.from_bytes(hashlib.sha256(source.encode("utf-8")).digest()[:8], "big") / 2**64
    return "test" if share < test else "val" if share < test + val else "train"


def read_catalogs(raw: RawSource) -> dict[str, dict[tuple[str, str, str], str | None]]:
    """{language: {(catalog, context, English id): translation}} over every fetched .deb; plural
    messages (a few, all with a count placeholder) map to None."""
    catalogs: dict[str, dict[tuple[str, str, str], str | None]] = {}
    for deb in raw.files(".deb"):
        for path, data in raw.members(deb, lambda p: MO_PATH.fullmatch(p) is not None).items():
            language, catalog = MO_PATH.fullmatch(path).groups()
            entries = catalogs.setdefault(language, {})
            try:
                mo = polib.mofile(data)
            except (OSError, ValueError) as err:
                raise TextgenError(f"{raw.where(path)}: not a gettext .mo catalog ({err})") from None
            for entry in mo:
                if entry.msgid:  # "" is the catalog header
                    entries[(catalog, entry.msgctxt or "", entry.msgid)] = None if entry.msgid_plural else entry.msgstr
    return catalogs


def prepare_pairs(name: str, extractor: str, raw_dir: Path, out_dir: Path, options: dict) -> dict:
    """Pair, clean, deduplicate and split one translation corpus; return the manifest."""
    if extractor not in EXTRACTORS:
        raise TextgenError(f"corpus '{name}': extractor {extractor!r} is unknown "
                           f"(expected one of {', '.join(sorted(EXTRACTORS))})")
    opts = _options(name, options)
    raw = RawSource.load(name, Path(raw_dir))
    source_lang, target_lang = EXTRACTORS[extractor]
    catalogs = read_catalogs(raw)
    for language in {source_lang, target_lang} - {"en"}:
        if language not in catalogs:
            raise TextgenError(f"{raw.where()}: no {language} catalogs in the fetched packages "
                               f"(found {sorted(catalogs) or 'none'})")
    targets = catalogs[target_lang]
    sources = {key: key[2] for key in targets} if source_lang == "en" else catalogs[source_lang]
    keys = sorted(sources.keys() & targets.keys())
    rows, dropped = _clean_pairs(keys, sources, targets, opts)
    dropped["unpaired"] = len(sources.keys() ^ targets.keys())
    with atomic_path(out_dir) as tmp:
        tmp.mkdir()
        files = {split: _write_tsv(tmp / f"{split}.tsv", rows[split]) for split in SPLITS}
        manifest = {
            "name": name,
            "extractor": extractor,
            "options": opts,
            "languages": {"source": source_lang, "target": target_lang},
            "sources": raw.info["sources"],
            "candidate_pairs": len(keys),
            "counts": {split: len(rows[split]) for split in SPLITS},
            "dropped": dict(sorted(dropped.items())),
            "source_words": sum(count_words(s) for split in SPLITS for s, _ in rows[split]),
            "target_words": sum(count_words(t) for split in SPLITS for _, t in rows[split]),
            "files": files,
        }
        write_json(tmp / "manifest.json", manifest)
    return manifest


def _clean_pairs(keys: list[tuple[str, str, str]], sources: dict, targets: dict,
                 opts: dict) -> tuple[dict[str, list[tuple[str, str]]], Counter]:
    """Clean each pair, drop (and count) the unusable ones, assign the rest to their split."""
    rows: dict[str, list[tuple[str, str]]] = {split: [] for split in SPLITS}
    dropped: Counter = Counter()
    seen: set[str] = set()
    for key in keys:  # sorted: which of two duplicates is kept never depends on read order
        if sources[key] is None or targets[key] is None:
            dropped["plural"] += 1
            continue
        ui = "|" in key[1] or key[1] == "stock"  # GTK .ui contexts: "dialog|widget"
        source, target = clean_string(sources[key], ui), clean_string(targets[key], ui)
        reason = ("empty" if not source or not target
                  else "placeholder" if PLACEHOLDER.search(source) or PLACEHOLDER.search(target)
                  else "identical" if source == target and not opts["keep_identical"]
                  else "duplicate" if source in seen
                  else None)
        if reason:
            dropped[reason] += 1
            continue
        seen.add(source)
        rows[split_of(source, opts["val"], opts["test"])].append((source, target))
    return rows, dropped


def _options(name: str, options: dict) -> dict:
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TextgenError(f"corpus '{name}': options {unknown} are unknown (valid: {sorted(OPTIONS)})")
    opts = {**OPTIONS, **options}
    for key in ("val", "test"):
        if not isinstance(opts[key], (int, float)) or isinstance(opts[key], bool) or not 0 <= opts[key] < 1:
            raise TextgenError(f"corpus '{name}': option {key} must be a fraction in [0, 1), got {opts[key]!r}")
    if opts["val"] + opts["test"] >= 1:
        raise TextgenError(f"corpus '{name}': options val + test must leave pairs for training, "
                           f"got {opts['val']} + {opts['test']}")
    if not isinstance(opts["keep_identical"], bool):
        raise TextgenError(f"corpus '{name}': option keep_identical must be true or false")
    return opts


def _write_tsv(path: Path, rows: list[tuple[str, str]]) -> dict:
    # clean_string already turned every tab and newline into a space: one pair, one line.
    data = "".join(f"{s}\t{t}\n" for s, t in [("source", "target"), *rows]).encode("utf-8")
    path.write_bytes(data)
    return {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "pairs": len(rows)}


def main(argv: list[str]) -> int:
    """textgen prepare-pairs --name NAME --extractor E --options JSON --raw DIR --out DIR"""
    parser = argparse.ArgumentParser(prog="textgen prepare-pairs", description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="pair-set name")
    parser.add_argument("--extractor", required=True, choices=sorted(EXTRACTORS))
    parser.add_argument("--options", default="{}", help="options as a JSON object (val, test, keep_identical)")
    parser.add_argument("--raw", required=True, type=Path, help="folder written by textgen fetch")
    parser.add_argument("--out", required=True, type=Path, help="folder to create")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = prepare_pairs(args.name, args.extractor, args.raw, args.out, json_arg(args.options, "--options"))
    counts, dropped = manifest["counts"], manifest["dropped"]
    print(f"prepare-pairs {args.name}: " + " / ".join(f"{s} {counts[s]:,}" for s in SPLITS)
          + f" pairs, dropped {', '.join(f'{k} {v:,}' for k, v in dropped.items())}, manifest sha256 "
          f"{sha256_file(args.out / 'manifest.json')[:12]} ({time.perf_counter() - started:.1f} s)")
    return 0
