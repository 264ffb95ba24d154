"""`textgen corpus-table`: one table and one figure over every prepared corpus and sentence-pair set."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from textgen.errors import TextgenError
from textgen.io import atomic_path, read_json

# What each corpus stands in for (DATA_SOURCES.md): the seeds' own data is copyrighted or hub-only.
STANDS_IN_FOR = {
    "austen": "seed 000: seven Harry Potter books",
    "shakespeare": "seed 001: Don Quixote",
    "milton": "seed 001: Kafka",
    "bible": "seed 001: the World English Bible (the same text)",
    "poems": "seed 001: song lyrics with titles",
    "nb_nn": "seed 001: NbAiLab/norwegian-paws-x (Bokmål -> Nynorsk)",
    "en_nb": "seed 001: Helsinki-NLP/opus-100 en-no",
}


def read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise TextgenError(f"{path}: missing (was the corpus prepared?)")
    return read_json(path)


def source_label(manifest: dict) -> str:
    """'package==version' for each package a corpus came from, or the URL / file."""
    labels = []
    for source in manifest.get("sources", []):
        if "package" in source:
            labels.append(f"{source['package']} {source.get('version', '')}".strip())
        else:
            labels.append(source.get("url") or source.get("path") or source.get("kind", "?"))
    return ", ".join(labels)


def corpus_rows(folders: list[Path]) -> list[dict]:
    rows = []
    for folder in folders:
        manifest = read_manifest(folder)
        works = manifest["works"]
        rows.append(
            {
                "kind": "corpus",
                "name": folder.name,
                "stands in for": STANDS_IN_FOR.get(folder.name, ""),
                "source": source_label(manifest),
                "works": len(works),
                "words": sum(w["words"] for w in works),
                "characters": sum(w["characters"] for w in works),
                "train pairs": None,
                "val pairs": None,
                "test pairs": None,
            }
        )
    return rows


def pair_rows(folders: list[Path]) -> list[dict]:
    rows = []
    for folder in folders:
        manifest = read_manifest(folder)
        counts = manifest["counts"]
        rows.append(
            {
                "kind": "pairs",
                "name": folder.name,
                "stands in for": STANDS_IN_FOR.get(folder.name, ""),
                "source": source_label(manifest),
                "works": None,
                "words": manifest.get("source_words"),
                "characters": None,
                "train pairs": counts["train"],
                "val pairs": counts["val"],
                "test pairs": counts["test"],
            }
        )
    return rows


def plot_sizes(table: pd.DataFrame, path: Path) -> None:
    from textgen.plots import plt, save_figure

    corpora = table[table["kind"] == "corpus"]
    pairs = table[table["kind"] == "pairs"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.6), gridspec_kw={"width_ratios": [3, 2]})
    left.barh(corpora["name"], corpora["words"] / 1000, color="#4c72b0")
    left.set_xlabel("thousand words")
    left.set_title("Text corpora")
    left.invert_yaxis()
    bottom = pd.Series(0, index=pairs.index, dtype=float)
    for split, colour in (("train pairs", "#4c72b0"), ("val pairs", "#dd8452"), ("test pairs", "#55a868")):
        right.barh(pairs["name"], pairs[split] / 1000, left=bottom / 1000, color=colour, label=split.split()[0])
        bottom = bottom + pairs[split]
    right.set_xlabel("thousand sentence pairs")
    right.set_title("Translation pairs")
    right.invert_yaxis()
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, fontsize=8, frameon=False)
    save_figure(fig, path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen corpus-table", description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", type=Path, required=True)
    parser.add_argument("--pairs", nargs="*", type=Path, default=[])
    parser.add_argument("--table", type=Path, required=True)
    parser.add_argument("--figure", type=Path, required=True)
    args = parser.parse_args(argv)
    table = pd.DataFrame(corpus_rows(args.corpora) + pair_rows(args.pairs))
    counts = ["works", "words", "characters", "train pairs", "val pairs", "test pairs"]
    table = table.astype({column: "Int64" for column in counts})  # integers with gaps, not floats
    with atomic_path(args.table) as tmp:
        table.to_csv(tmp, index=False)
    plot_sizes(table, args.figure)
    print(f"{args.table}: {len(table)} rows; {args.figure}")
    return 0
