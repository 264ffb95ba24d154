"""`textgen score-translation`: BLEU and chrF (sacrebleu) of a trained model on the held-out test
split, next to the score of copying the source unchanged.

    textgen score-translation --model results/translate/nb_nn --pairs data/interim/pairs/nb_nn \\
        --params '{"beam_size": 1, "batch_size": 64}' --threads 2 --out scores.json

Copying is the floor a Bokmål -> Nynorsk model must clear: the two written standards share most
words, so the unchanged source already overlaps the reference a lot.

    >>> s = corpus_scores(["a b c d e"], ["a b c d f"])
    >>> round(s["bleu"], 2), s["sentences"]  # (4/5 * 3/4 * 2/3 * 1/2) ** (1/4) = 0.2 ** 0.25
    (66.87, 1)
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sacrebleu.metrics import BLEU, CHRF

from textgen.data.args import json_arg
from textgen.errors import TextgenError
from textgen.io import write_json
from textgen.translate.corpus import languages, read_split
from textgen.translate.translator import Translator
from textgen.training import add_run_arguments, start_run

EXAMPLES = 10  # test pairs shown with their translations


def corpus_scores(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, Any]:
    """Corpus BLEU and chrF (sacrebleu defaults: 13a tokenization, chrF with n=6, beta=2)."""
    if len(hypotheses) != len(references) or not references:
        raise TextgenError(f"scores: {len(hypotheses)} hypotheses for {len(references)} references")
    bleu, chrf = BLEU(), CHRF()
    return {
        "bleu": bleu.corpus_score(list(hypotheses), [list(references)]).score,
        "chrf": chrf.corpus_score(list(hypotheses), [list(references)]).score,
        "sentences": len(references),
        "signature": {"bleu": str(bleu.get_signature()), "chrf": str(chrf.get_signature())},
    }


def examples(pairs: Sequence[tuple[str, str]], hypotheses: Sequence[str]) -> list[dict[str, str]]:
    return [{"source": s, "reference": t, "hypothesis": h} for (s, t), h in zip(pairs[:EXAMPLES], hypotheses, strict=False)]


def read_max_pairs(value: Any, where: str) -> int | None:
    """How many test pairs to score: None (the whole split) or a positive integer.

    >>> read_max_pairs(None, "max_pairs"), read_max_pairs(64, "max_pairs")
    (None, 64)
    """
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise TextgenError(f"{where}: expected null or a positive integer, got {value!r}")
    return value


def options(params: dict[str, Any]) -> tuple[int, int, int | None]:
    """(beam_size, batch_size, max_pairs) from --params; max_pairs None scores the whole split."""
    unknown = sorted(set(params) - {"beam_size", "batch_size", "max_pairs"})
    if unknown:
        raise TextgenError(f"--params: unknown key(s) {', '.join(unknown)}; known: batch_size, beam_size, max_pairs")
    beam, batch = params.get("beam_size", 1), params.get("batch_size", 64)
    for key, value in (("beam_size", beam), ("batch_size", batch)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise TextgenError(f"--params: {key} must be a positive integer, got {value!r}")
    return beam, batch, read_max_pairs(params.get("max_pairs"), "--params.max_pairs")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen score-translation", description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path, help="folder written by train-translation")
    parser.add_argument("--pairs", required=True, type=Path, help="pair set folder (test.tsv is scored)")
    parser.add_argument("--params", default="{}", help='JSON: {"beam_size": 1 (greedy), "batch_size": 64, "max_pairs": null (all)}')
    add_run_arguments(parser, checkpoints_help=None, out_help="scores.json to write", seed=False)
    args = parser.parse_args(argv)
    start_run(args)
    beam_size, batch_size, max_pairs = options(json_arg(args.params, "--params"))
    started = time.perf_counter()
    translator = Translator.load(args.model)
    test = read_split(args.pairs, "test")[:max_pairs]
    sources, references = [s for s, _ in test], [t for _, t in test]
    hypotheses = translator(sources, beam_size=beam_size, batch_size=batch_size)
    source_lang, target_lang = languages(args.pairs)
    result = {
        "pairs": args.pairs.name, "split": "test", "languages": {"source": source_lang, "target": target_lang},
        "decoding": "greedy" if beam_size == 1 else f"beam search, beam {beam_size}",
        "model": corpus_scores(hypotheses, references),
        "copy": corpus_scores(sources, references),
        "examples": examples(test, hypotheses),
    }
    write_json(args.out, result)
    model, copy = result["model"], result["copy"]
    print(f"score-translation {args.pairs.name}: model BLEU {model['bleu']:.1f} chrF {model['chrf']:.1f}, "
          f"copy BLEU {copy['bleu']:.1f} chrF {copy['chrf']:.1f} on {len(test)} test pairs "
          f"({time.perf_counter() - started:.1f} s)")
    return 0
