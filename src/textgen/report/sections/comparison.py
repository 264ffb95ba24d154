"""Every model in one table: size, tokenizer, training tokens and time, and held-out loss in bits per
byte of its corpus's test text beside the model's own unit.

The models are the ones the report rule hands over (ctx.artifacts): the word LSTMs scored by
`evaluate-lstm` (perplexity.csv), the decoder-only GPTs, the fine-tuned causal LMs (and each one's
base model before its first step, scored on the same bytes by the same job) and the translation
models, each read from the files its own job wrote.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from textgen.io import read_json
from textgen.report.context import Context, Section
from textgen.report.markdown import table

LSTM_SCORES = Path("results/lstm/evaluation/perplexity.csv")
LSTM_MODELS = Path("results/lstm/models")
WORDS_META = Path("data/processed/words/meta.json")


@dataclass
class Row:
    model: str
    family: str
    text: str  # the held-out text it is scored on
    tokenizer: str
    parameters: int
    train_tokens: int | None
    seconds: float | None
    bits_per_byte: float | None
    native: str  # the held-out loss in the model's own unit
    scored_bytes: int | None
    source: Path  # the file holding the held-out score

    @property
    def tokens_per_s(self) -> float | None:
        return self.train_tokens / self.seconds if self.train_tokens and self.seconds else None


def render(ctx: Context) -> Section | None:
    rows = _lstms(ctx) + _gpts(ctx) + _finetuned(ctx) + _translations(ctx)
    if not rows:
        return None
    header = ["model", "family", "held-out text", "tokenizer", "parameters", "training tokens", "train s",
              "tokens/s", "bits/byte", "native loss", "scored bytes"]
    body = [[r.model, r.family, r.text, r.tokenizer, r.parameters, r.train_tokens, r.seconds,
             None if r.tokens_per_s is None else round(r.tokens_per_s),
             None if r.bits_per_byte is None else round(r.bits_per_byte, 3), r.native, r.scored_bytes] for r in rows]
    parts = [
        "Each model's cross-entropy on held-out text of its corpus, converted to bits per byte of that text, "
        "so that models with different tokenizers compare; the model's own unit beside it. Models that share "
        "a corpus and a text format are scored on exactly the same bytes: the fine-tuned causal LM's training "
        "chunks come from the same train split as the GPTs of its corpus, and it is scored on the GPTs' test "
        "text in the stream format (the first `gpt.test_bytes` bytes of the last 5% of every text), byte for byte. Training tokens count "
        "the tokens of every training step (input positions; for translation the source tokens and the "
        "predicted target tokens, padding left out); train s is the wall time of training with its "
        "evaluations, summed over the runs a resumed model took, tokens/s their ratio. A fine-tuned model "
        "shows its time only when it was trained in one go (the Trainer's clock restarts on resume); "
        "the row after it is its base model scored on the same bytes before the first step.",
        table(header, body, align="llllrrrrrlr"),
        ctx.table_note(*dict.fromkeys(r.source for r in rows)),
        "How to read it: a word LSTM predicts words, not bytes. Its bits per byte divide the loss over the "
        "test words by the bytes of book text behind them (each word with the spaces and dropped quotation "
        "marks before it), but it never pays for the spelling of a word outside its vocabulary (one "
        "unknown-word token stands for all of them) nor for the marks it drops, so its figure is a lower "
        "bound and flatters it against the byte-level models. Translation models predict a sentence given "
        "its source: their loss per target token is conditional and has no bits per byte of free text. "
        "Models of different corpora differ in what they predict as much as in how well; compare within "
        "a corpus.",
    ]
    return Section("Every model compared", "\n\n".join(parts), findings=_findings(rows))


FINE_TUNED, BASE = "fine-tuned causal LM", "its base model, before fine-tuning"


def _findings(rows: list[Row]) -> list[str]:
    """Per corpus with at least two trained models scored on exactly the same bytes: the best and the
    worst; and per fine-tuned model, its score before and after fine-tuning."""
    lines = []
    by_text: dict[tuple[str, int], list[Row]] = {}
    for r in rows:
        if r.bits_per_byte is not None and r.family not in ("word LSTM", BASE):
            by_text.setdefault((r.text, r.scored_bytes), []).append(r)
    base = {r.model.removesuffix(", before fine-tuning"): r for r in rows if r.family == BASE}
    for r in rows:
        if r.model in base:
            lines.append(f"{r.model}: fine-tuning on {r.train_tokens:,} training tokens moved its score on the same "
                         f"{r.scored_bytes:,} held-out bytes of {r.text} from {base[r.model].bits_per_byte:.3f} "
                         f"bits/byte (its base model before the first step) to {r.bits_per_byte:.3f} (one run).")
    for (text, n_bytes), group in by_text.items():
        if len(group) < 2:
            continue
        group = sorted(group, key=lambda r: r.bits_per_byte)
        lines.append(f"On the same {n_bytes:,} held-out bytes of {text}, the best of {len(group)} models, "
                     f"{group[0].model} ({group[0].family}), reaches {group[0].bits_per_byte:.3f} bits/byte and the "
                     f"worst, {group[-1].model} ({group[-1].family}), {group[-1].bits_per_byte:.3f} (one run each).")
    return lines


def _artifact_dirs(ctx: Context, parent: str) -> list[Path]:
    """Folders directly under `parent` among the artifacts the report rule hands over, in order."""
    return [Path(a) for a in ctx.artifacts if Path(a).parent == Path(parent) and (ctx.root / a).is_dir()]


def _config_csv(path: Path) -> dict[str, str]:
    with open(path, newline="", encoding="utf-8") as f:
        return {row["key"]: row["value"] for row in csv.DictReader(f)}


def _lstms(ctx: Context) -> list[Row]:
    scores = ctx.root / LSTM_SCORES
    if not any(Path(a) == LSTM_SCORES.parent for a in ctx.artifacts) or not scores.exists():
        return []
    meta = read_json(ctx.root / WORDS_META) if (ctx.root / WORDS_META).exists() else {}
    corpus = ", ".join(w["title"] for w in meta.get("works", [])) or "the word corpus"
    vocab = f"words ({meta['vocab_size']:,})" if "vocab_size" in meta else "words"
    rows = []
    with open(scores, newline="", encoding="utf-8") as f:
        for s in csv.DictReader(f):
            folder = ctx.root / LSTM_MODELS / s["model"]
            config = _config_csv(folder / "config_data.csv")
            run = read_json(folder / "run.json")
            steps = int(config["iterations"]) if "iterations" in config else read_json(folder / "metrics.json")["steps"]
            tokens = steps * int(config["batch_size"]) * int(config["max_len"])
            rows.append(Row(s["model"], "word LSTM", f"{corpus} (test words)", vocab, int(s["parameters"]), tokens,
                            run["seconds"], float(s["test_bits_per_byte"]),
                            f"{float(s['test_loss']):.3f} nats/word", int(s["test_bytes"]), LSTM_SCORES))
    return rows


def _gpts(ctx: Context) -> list[Row]:
    rows = []
    for folder in _artifact_dirs(ctx, "results/gpt/models"):
        if not (ctx.root / folder / "heldout.json").exists():
            continue
        config = read_json(ctx.root / folder / "config.json")
        held = read_json(ctx.root / folder / "heldout.json")
        run = read_json(ctx.root / folder / "run.json")
        steps = config["train"]["max_iters"]
        rows.append(Row(folder.name, "decoder-only GPT", f"{config['corpus']} ({config['format']})",
                        f"BPE ({config['tokenizer']['vocab_size']:,})", config["parameters"],
                        steps * config["tokens_per_iter"], run["seconds"], held["bits_per_byte"],
                        f"{held['loss_per_token']:.3f} nats/token", held["bytes"], folder / "heldout.json"))
    return rows


def _finetuned(ctx: Context) -> list[Row]:
    rows = []
    for folder in _artifact_dirs(ctx, "results/finetune"):
        if not (ctx.root / folder / "heldout.json").exists():
            continue
        metrics = read_json(ctx.root / folder / "metrics.json")
        held = read_json(ctx.root / folder / "heldout.json")
        run = read_json(ctx.root / folder / "run.json")
        epochs = metrics["settings"]["epochs"]
        tokens = metrics["tokens_per_epoch"] * epochs
        seconds = run["wall_s"] - run.get("sampling_s", 0) if run.get("epochs_run") == epochs else None
        rows.append(Row(f"finetune/{folder.name}", FINE_TUNED, f"{metrics['corpus']} (stream)",
                        f"{metrics['base_model']}'s", metrics["parameters"], tokens, seconds, held["bits_per_byte"],
                        f"{held['loss_per_token']:.3f} nats/token", held["bytes"], folder / "heldout.json"))
        before = held.get("before_fine_tuning")
        if before:  # the same model before its first step: what fine-tuning changed
            rows.append(Row(f"finetune/{folder.name}, before fine-tuning", BASE, f"{metrics['corpus']} (stream)",
                            f"{metrics['base_model']}'s", metrics["parameters"], None, None, before["bits_per_byte"],
                            f"{before['loss_per_token']:.3f} nats/token", before["bytes"], folder / "heldout.json"))
    return rows


def _translations(ctx: Context) -> list[Row]:
    rows = []
    for folder in _artifact_dirs(ctx, "results/translate"):
        if not (ctx.root / folder / "metrics.csv").exists() or not (ctx.root / folder / "config.json").exists():
            continue
        config = read_json(ctx.root / folder / "config.json")
        with open(ctx.root / folder / "metrics.csv", newline="", encoding="utf-8") as f:
            last = list(csv.DictReader(f))[-1]
        loss = float(last["val_loss"])
        run = read_json(ctx.root / folder / "run.json") if (ctx.root / folder / "run.json").exists() else {}
        rows.append(Row(f"translate/{folder.name}", "encoder-decoder translation", f"{folder.name} pairs (val)",
                        f"BPE ({config['tokenizer']['vocab_size']:,}, joint)", config["parameters"], run.get("tokens"),
                        run.get("seconds"), None,
                        f"{loss:.3f} nats/target token" if math.isfinite(loss) else "", None, folder / "metrics.csv"))
    return rows
