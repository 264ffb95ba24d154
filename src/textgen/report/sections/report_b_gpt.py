"""Report B, decoder-only generators (seed 001): BPE vocabulary table, held-out comparison, and per
model its hyperparameters, architecture, loss curves and generation tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from textgen.io import read_json
from textgen.report.beside import configuration_beside_the_seed
from textgen.report.context import Context, Section
from textgen.report.markdown import literal, table
from textgen.report.seed_texts import SEED_001_SAMPLES, seed_note
from textgen.report.seeds import SEED_001_ITERATIONS, SEED_001_TOKENS_PER_ITERATION

BPE_TABLE = Path("results/gpt/bpe_vocab.csv")
BPE_LISTING = Path("results/gpt/bpe_listing.csv")
BPE_FIGURE = Path("results/gpt/bpe_vocab.png")
MODELS_DIR = Path("results/gpt/models")
SAMPLES_DIR = Path("results/gpt/samples")

# model -> (the seed notebook it reproduces, what is different here and why)
MODELS = {
    "quixote_small": (
        "Small version of the Don Quixote generative model",
        "Shakespeare's plays stand in for Don Quixote. Prompts: the seed's two, and one in the "
        "corpus's own play format (a speaker's name, then the line), since the seed's prompts name "
        "Don Quixote, who never speaks in Shakespeare.",
    ),
    "quixote_large": (
        "Large version of the Don Quixote generative model",
        "Wider and deeper than the small model and, like the seed's, stopped early: its cosine "
        "schedule was planned for lr_decay_iters steps and training ends at max_iters. Prompts: the "
        "seed's, and the same line in the corpus's play format.",
    ),
    "next_sentence": (
        "Small version of the Don Quixote generative model: next sentence(s)",
        "The author's next-sentence model is an encoder-decoder (sentence in, next sentence out); "
        "this one is decoder-only, trained on `sentence [SEP] sentence [SEP] ...`: the prompt is "
        "followed by [SEP] and the model writes until its next [SEP]. Checkpoints are training "
        "steps, not the seed's epochs. Decoding: the seed's notebook does not say; sampling at "
        "1.0 and greedy (temperature 0) are both shown.",
    ),
    "kafka": (
        "Kafka generative model",
        "Milton stands in for Kafka; decoder-only, in the next-sentence format (the author's model is "
        "an encoder-decoder). The seed's five prompts are all kept (they are plain sentences), plus "
        "one in Milton's manner.",
    ),
    "bible": (
        "Biblical generative model",
        "The World English Bible, as in the seed; decoder-only (the author's model is an "
        "encoder-decoder), continuing the seed's prompt for up to 150 tokens with top_k 75.",
    ),
    "lyrics": (
        "Lyrics generative model",
        "Titled poems (Shakespeare's sonnets, Milton's poems) stand in for song lyrics; decoder-only "
        "(the seed's lyrics model is an encoder-decoder), trained on `title, blank line, poem [SEP]`, "
        "so a title prompts a poem. Prompts: the seed's two song titles and two poem-like titles; "
        "line breaks are shown as ` / `.",
    ),
}


# The models whose seed notebook trains an encoder-decoder (their notes above say how the text is laid out instead).
ENCODER_DECODER_IN_SEED = ("next_sentence", "kafka", "bible", "lyrics")


def render(ctx: Context) -> Section | None:
    models = [m for m in MODELS if (ctx.root / MODELS_DIR / m / "config.json").exists()]
    if not (ctx.root / BPE_TABLE).exists() and not models:
        return None
    parts = [
        "Seed 001 trains byte-level BPE tokenizers and decoder-only Transformers (scaled token "
        "embedding + sinusoidal positions, pre-LayerNorm blocks of causal multi-head attention and a "
        "GELU MLP, a linear head) with AdamW (warmup, cosine decay, gradient clipping) and samples "
        "them with temperature and top-k. Every model here is decoder-only; where the author's model "
        "was an encoder-decoder, its section says so. Sizes and step counts follow the profile in "
        "params.yaml (each model's block below); the paper profile holds the seed's configurations "
        "(dropout 0.2, head tied to the embedding). Short CPU runs that see less than one epoch leave "
        "dropout at 0 (nothing to regularise yet) and untie the head, which learns several times faster at "
        "this scale."
    ]
    if (ctx.root / BPE_TABLE).exists():
        parts.append(_bpe(ctx))
    if (ctx.root / BPE_LISTING).exists():
        parts.append(_listing(ctx))
    if models:
        parts.append(_heldout(ctx, models))
        parts += [_model(ctx, m) for m in models]
    departures = ["Seed 001's BPE training listing has four defects (lines 2, 6, 9 and 10); the tokenizers here are "
                  "trained with Hugging Face `tokenizers`, and the listing, run as printed and fixed one defect at a "
                  "time, is measured beside them."] if (ctx.root / BPE_LISTING).exists() else []
    remade = [m for m in models if m in ENCODER_DECODER_IN_SEED]
    if remade:
        departures.append(f"{', '.join(remade)}: decoder-only, where seed 001's models are encoder-decoders; each "
                          "model's notes give the text layout that takes the encoder's place.")
    return Section("Report B: decoder-only generators", "\n\n".join(parts), part="Report B",
                   findings=_summary(ctx, models), departures=departures)


def _summary(ctx: Context, models: list[str]) -> list[str]:
    lines = _listing_summary(ctx)
    held = {m: read_json(ctx.root / MODELS_DIR / m / "heldout.json") for m in models
            if (ctx.root / MODELS_DIR / m / "heldout.json").exists()}
    if not held:
        return lines
    corpus = {m: read_json(ctx.root / MODELS_DIR / m / "config.json")["corpus"] for m in held}
    scores = ", ".join(f"{m} ({corpus[m]}) {h['bits_per_byte']:.3f}" for m, h in held.items())
    models = "1 decoder-only Transformer" if len(held) == 1 else f"{len(held)} decoder-only Transformers"
    return lines + [f"{models} trained from scratch, one run each; held-out bits per byte of text: {scores}."]


def _listing_summary(ctx: Context) -> list[str]:
    if not (ctx.root / BPE_LISTING).exists():
        return []
    frame = pd.read_csv(ctx.root / BPE_LISTING, dtype=str, keep_default_na=False)
    first, from_zero, fixed = frame.iloc[0], frame.iloc[-2], frame.iloc[-1]
    if not first.stops_with or fixed.stops_with or from_zero.stops_with:
        return []
    return [f"Seed 001's BPE training listing does not run as printed (it stops with {first.stops_with}); with its "
            f"new tokens numbered from 0, as printed, it reuses {from_zero.ids_shared_with_a_byte} byte ids and its "
            f"tokens {'no longer ' if from_zero.decodes_to_the_text == 'False' else ''}decode to the text; fully "
            f"fixed, its first {fixed.merges_equal_to_train_bpe} merges equal those of Hugging Face `tokenizers`."]


def _bpe(ctx: Context) -> str:
    frame = pd.read_csv(ctx.root / BPE_TABLE)
    wide = frame.pivot(index="vocab_size", columns="corpus", values="bytes_per_token")
    corpora = list(dict.fromkeys(frame["corpus"]))
    rows = [[int(size), *[float(wide.loc[size, c]) if pd.notna(wide.loc[size, c]) else None for c in corpora]]
            for size in wide.index]
    return (
        "### Tokenization: vocabulary size vs bytes per token\n\n"
        "The GPT-4 split pattern, then merges of the most frequent adjacent pair until the vocabulary "
        "(256 bytes + merges + [PAD], [CLS], [SEP]) is full, learned on each corpus's training split; "
        "bytes per token measured on its held-out text (higher: shorter sequences).\n\n"
        + table(["vocabulary", *corpora], rows) + "\n\n" + ctx.table_note(BPE_TABLE) + "\n\n"
        + ctx.figure(BPE_FIGURE, "Held-out UTF-8 bytes per token against BPE vocabulary size, per corpus.")
    )


# What each cumulative fix of the listing changes (textgen.bpe.listing names the lines).
LISTING_FIXES = {
    "none (as listed)": "the listing as printed",
    "counter": "+ line 10 counts into `stats` (it adds to `counts`, defined nowhere)",
    "pairs": "+ line 9 pairs the ids inside each chunk (it pairs consecutive chunks)",
    "vocabulary": "+ line 2 starts from the 256 bytes (it starts empty)",
    "ids": "+ line 6 numbers new tokens from 256 (it numbers them from 0, the bytes' ids)",
}


def _listing(ctx: Context) -> str:
    frame = pd.read_csv(ctx.root / BPE_LISTING, dtype=str, keep_default_na=False)
    first, fixed = frame.iloc[0], frame.iloc[-1]
    rows = []
    for r in frame.itertuples(index=False):
        fix = LISTING_FIXES.get(r.fixes.split(", ")[-1], r.fixes)
        if r.stops_with:
            rows.append([fix, f"stops: {r.stops_with} ({r.error})", "", "", "", "", ""])
        else:
            rows.append([fix, "runs", r.merges_learned, r.ids_shared_with_a_byte,
                         {"True": "yes", "False": "no"}.get(r.decodes_to_the_text, r.decodes_to_the_text),
                         r.merges_equal_to_fixed, r.merges_equal_to_train_bpe])
    tie = (f" Among the fixed listing's merges, the first with several pairs at the highest count is merge "
           f"{fixed.first_tie}: the listing takes the pair it counted first, `tokenizers` its own order."
           if fixed.first_tie else "")
    return (
        "### Seed 001's BPE training listing, run\n\n"
        f"The listing's loop, implemented step by step as printed and then with its defects fixed one at a time "
        f"(each row adds one fix), on the first {int(first.sample_bytes):,} bytes of the {first.corpus} training "
        f"split, with {fixed.merges_learned} merges. The last two columns count the merged tokens that agree, "
        "in order from the first, with the fully fixed listing's and with those of the tokenizer this report "
        f"trains (Hugging Face `tokenizers`).{tie}\n\n"
        + table(["listing", "run", "merges", "ids shared with a byte", "decodes back to the text",
                 "merges equal to the fixed listing's", "merges equal to this report's"], rows)
        + "\n\n" + ctx.table_note(BPE_LISTING)
        + "\n\nLine 6 also counts merges, not tokens: `vocabulary_size` merges make a vocabulary of 256 more tokens."
    )


def _heldout(ctx: Context, models: list[str]) -> str:
    rows = []
    for m in models:
        config = read_json(ctx.root / MODELS_DIR / m / "config.json")
        held = read_json(ctx.root / MODELS_DIR / m / "heldout.json")
        last = pd.read_csv(ctx.root / MODELS_DIR / m / "metrics.csv").iloc[-1]
        seconds = read_json(ctx.root / MODELS_DIR / m / "run.json")["seconds"]
        rows.append([m, config["corpus"], config["format"], config["tokenizer"]["vocab_size"], config["parameters"],
                     int(last["iter"]), int(last["tokens_seen"]), round(seconds, 1),
                     round(held["loss_per_token"], 3), round(held["bits_per_byte"], 3)])
    header = ["model", "corpus", "format", "vocabulary", "parameters", "steps", "tokens seen", "train s",
              "test loss (nats/token)", "test bits/byte"]
    return (
        "### Held-out loss of every model\n\n"
        "Cross-entropy of each final model on its corpus's test split (the last 5% of each text, "
        "never trained on; its first `gpt.test_bytes` bytes, the same for every model of the corpus and "
        "for the model fine-tuned on it), per token and per byte of text: bits per byte compares models whose "
        "tokenizers differ. Train s is the training time of the run that made the artifacts.\n\n"
        + table(header, rows) + "\n\n" + ctx.table_note(*(MODELS_DIR / m / "heldout.json" for m in models))
    )


def _model(ctx: Context, model: str) -> str:
    folder = MODELS_DIR / model
    config = read_json(ctx.root / folder / "config.json")
    seed_title, note = MODELS[model]
    parts = [
        f"### {model}: {seed_title}",
        note,
        "Hyperparameters:\n\n```\n" + hyperparameters(config) + "\n```",
        configuration_beside_the_seed(ctx.params_file, f"gpt.models.{model}", "Configuration"),
        "Architecture (the model printed):\n\n```\n"
        + (ctx.root / folder / "architecture.txt").read_text(encoding="utf-8").rstrip() + "\n```",
        ctx.figure(folder / "loss.png", f"{model}: train and validation loss (dotted: the checkpoints sampled below)."),
        _beside_the_seed(ctx, model, config),
    ]
    samples = ctx.root / SAMPLES_DIR / f"{model}.csv"
    if samples.exists():
        parts.append(_samples(pd.read_csv(samples, keep_default_na=False), config)
                     + "\n\n" + ctx.table_note(SAMPLES_DIR / f"{model}.csv"))
    parts.append(_seed_samples(model))
    return "\n\n".join(p for p in parts if p)


def _seed_samples(model: str) -> str:
    """The seed's own samples of the model this one reproduces: its data, its checkpoints."""
    entries = SEED_001_SAMPLES.get(model, [])
    if not entries:
        return ""
    rows = [[literal(e["prompt"]), f"{e['checkpoint']} {e['checkpoint_unit']}" + (" (?)" if "uncertain" in e else ""),
             "not printed" if e["temperature"] is None else _temperature(e["temperature"]), literal(e["text"])]
            for e in entries]
    uncertain = (" (?): the seed prints no header for that text; its checkpoint follows from the loop's order."
                 if any("uncertain" in e for e in entries) else "")
    return ("The seed's own samples for this model, for comparison (its corpus and checkpoints, so not the same "
            f"text or training length as ours):{uncertain}\n\n"
            + table(["seed: prompt", "seed: checkpoint", "seed: temperature", "seed: text"], rows, align="lrrl")
            + "\n\n" + seed_note("001", entries))


def _beside_the_seed(ctx: Context, model: str, config: dict) -> str:
    """Seed 001's training tokens (its loss plot's axis label) beside this run's."""
    if model not in SEED_001_ITERATIONS:
        return ""
    seed_iterations, ours = SEED_001_ITERATIONS[model], config["train"]["max_iters"]
    return ("Beside seed 001, the training tokens (the seed's large model was stopped at 1,000 iterations, its "
            "small one saved checkpoints up to 5,000):\n\n" + table(
        ["", "tokens per iteration", "iterations", "training tokens"],
        [["seed 001 (its plot's axis: 8 x 4 x 256 x 64)", f"{SEED_001_TOKENS_PER_ITERATION:,}", f"{seed_iterations:,}",
          f"{SEED_001_TOKENS_PER_ITERATION * seed_iterations:,}"],
         ["ours (batch x gradient accumulation x block)", f"{config['tokens_per_iter']:,}", f"{ours:,}",
          f"{config['tokens_per_iter'] * ours:,}"]])
        + "\n\n" + ctx.table_note(MODELS_DIR / model / "config.json") + " *Seed row: seed 001's loss plot.*")


def hyperparameters(config: dict) -> str:
    """The seed's block style: `name: type = value`, model first, then training.

    >>> config = {"gpt": {"n_layer": 2}, "train": {"betas": [0.9, 0.99]}, "parameters": 10, "tokens_per_iter": 64}
    >>> print(hyperparameters(config))
    n_layer: int = 2
    <BLANKLINE>
    betas: list = [0.9, 0.99]
    <BLANKLINE>
    parameters: int = 10
    tokens per iteration: int = 64
    """
    def block(values: dict) -> str:
        return "\n".join(f"{k}: {type(v).__name__} = {json.dumps(v)}" for k, v in values.items())

    extra = {"parameters": config["parameters"], "tokens per iteration": config["tokens_per_iter"]}
    return "\n\n".join([block(config["gpt"]), block(config["train"]), block(extra)])


def _samples(frame: pd.DataFrame, config: dict) -> str:
    fmt = config["format"]
    what = "the continuation" if fmt == "stream" else "what the model wrote after the prompt"
    out = [f"Generated text ({what}; top_k {frame['top_k'].iloc[0] or 'none'}; *end* = the model wrote [SEP], "
           "*…* = cut at the length limit):"]
    for prompt, rows in frame.groupby("prompt", sort=False):
        ordered = rows.sort_values(["temperature", "checkpoint"], ascending=[False, True])
        body = [[_temperature(r.temperature), int(r.checkpoint),
                 literal(r.text) + (" *end*" if r.stopped == "end marker" else " …")] for r in ordered.itertuples()]
        out.append(f"Prompt: **{literal(prompt)}**\n\n" + table(["temperature", "step", "text"], body, align="rrl"))
    return "\n\n".join(out)


def _temperature(value: float) -> str:
    return "greedy" if value <= 0 else f"{value:g}"
