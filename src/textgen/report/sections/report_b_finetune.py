"""Report B, fine-tuning pretrained models: per model its settings and losses, the seed's loss /
gradient-norm figure and the seed's prompts continued after each epoch."""

from __future__ import annotations

import csv
from pathlib import Path

from textgen.io import read_json
from textgen.report.beside import configuration_beside_the_seed
from textgen.report.context import Context, Section
from textgen.report.markdown import literal, table
from textgen.report.seed_texts import SEED_001_FINETUNE_TEXTS, seed_note
from textgen.report.seeds import SEED_001_FINETUNE

RESULTS = Path("results/finetune")
CAUSAL = {"shakespeare": "Don Quixote", "milton": "Kafka", "bible": "the Bible (the same World English Bible)"}
LYRICS = "lyrics"
MAX_EPOCHS_SHOWN = 3  # first, middle, last, as the seed showed epochs 1, 3, 5 and 1, 6, 10


def render(ctx: Context) -> Section | None:
    present = [name for name in [*CAUSAL, LYRICS] if (ctx.root / RESULTS / name / "metrics.json").is_file()]
    if not present:
        return None
    parts = [_intro(ctx, present), _beside_the_seed(ctx, present)]
    if any(name in CAUSAL for name in present):
        parts += [configuration_beside_the_seed(ctx.params_file, "finetune.base_model", "The causal base model"),
                  configuration_beside_the_seed(ctx.params_file, "finetune.causal", "The causal runs' settings")]
    if LYRICS in present:
        parts.append(configuration_beside_the_seed(ctx.params_file, "finetune.t5", "The T5 run's settings"))
    for name in present:
        parts.append(_model(ctx, name))
    departures = [f"Fine-tuning: {d}." for d in DEPARTURES]
    return Section("Fine-tuning pretrained models", "\n\n".join(p for p in parts if p), part="Report B",
                   departures=departures, **_summary(ctx, present))


def _summary(ctx: Context, present: list[str]) -> dict[str, list[str]]:
    metrics = {n: read_json(ctx.root / RESULTS / n / "metrics.json") for n in present}
    scratch = [n for n, m in metrics.items() if _starting_weights(m).startswith("random")]
    findings, missing = [], []
    for name, m in metrics.items():
        evals = [loss for _, loss in sorted(m["eval_loss_per_epoch"].items(), key=lambda item: int(item[0]))]
        held = f", held-out loss {evals[0]:.3f} after epoch 1 and {evals[-1]:.3f} after the last" if evals else ""
        start = "random weights" if name in scratch else "pretrained weights"
        findings.append(f"{name}, {literal(m['base_model'])} from {start} (one run): training loss "
                        f"{m['first_loss']:.3f} -> {m['final_loss']:.3f} over {m['steps']} steps{held}.")
    stand_in = sorted({m["base_model"] for n, m in metrics.items()
                       if n in CAUSAL and n not in scratch and "gpt2" not in m["base_model"].lower()})
    if stand_in:
        missing.append(f"GPT-2's own weights: the Hugging Face hub is out of reach, so the causal runs fine-tune "
                       f"{', '.join(literal(b) for b in stand_in)}, a pretrained model from a package, instead.")
    if scratch:
        missing.append(f"Fine-tuning pretrained GPT-2 and t5-small: the Hugging Face hub is out of reach, and "
                       f"{', '.join(scratch)} start from random weights in this profile, so they show training "
                       "from scratch, not fine-tuning.")
    return {"findings": findings, "not_reproduced": missing}


def _intro(ctx: Context, present: list[str]) -> str:
    causal = [read_json(ctx.root / RESULTS / n / "metrics.json") for n in present if n in CAUSAL]
    lines = ["Seed 001 fine-tunes GPT-2 with the Hugging Face `Trainer` on 1024-character chunks of a corpus "
             "(language-modelling collator without masking, batch 8, a checkpoint per epoch) and continues its "
             "prompts with beam search (5 beams, no repeated 2-gram) after each epoch; and it fine-tunes "
             "t5-small with `Seq2SeqTrainer` on `Create the lyrics of <title>` -> lyrics. The same code runs "
             "here; these machines cannot reach the Hugging Face hub, so:"]
    if causal:
        lines.append(_base_model_line(causal[0]))
        lines.append("- **Corpora**: " + "; ".join(f"{n} stands in for {CAUSAL[n]}" for n in CAUSAL if n in present)
                     + ". Prompts are the seed's.")
    if LYRICS in present:
        t5 = read_json(ctx.root / RESULTS / LYRICS / "metrics.json")
        if t5["base_model"].startswith("scratch"):
            lines.append(f"- **t5-small -> a small T5 trained from random weights** ({t5['parameters'] / 1e6:.2f}M "
                         f"parameters, a {t5['vocab_size']}-piece sentencepiece vocabulary trained on the poems): "
                         "no pretrained T5 is available offline, so this part is training from scratch, not "
                         "fine-tuning; titled poems (Shakespeare's sonnets, Milton's poems) stand in for song lyrics.")
        else:
            lines.append(f"- **T5**: `{t5['base_model']}` fine-tuned as in the seed; titled poems (Shakespeare's "
                         "sonnets, Milton's poems) stand in for song lyrics.")
    lines.append("- Differences from the seed's code: " + "; ".join(DEPARTURES) + ".")
    return "\n".join(lines)


# Where the fine-tuning code departs from seed 001's listings (the same code runs for every corpus).
DEPARTURES = [
    "checkpoints keep the optimizer state (the seed saved only the model) so a killed run resumes",
    "text is generated at the end of each epoch instead of from saved epoch checkpoints",
    "T5's labels are padded with -100 (the seed padded them with the end-of-sequence token, so its loss also "
    "counted padding)",
    "a sampled continuation (temperature, no top-k) is shown beside the seed's beam search, whose `temperature` "
    "argument had no effect without sampling",
    "the causal LM's chunks come from its corpus's train and val splits (the seed cut the whole corpus), so that "
    "the test split stays unseen and scores the fine-tuned model on the bytes the GPTs of that corpus are scored on "
    "(bits per byte in Every model compared)",
]


def _beside_the_seed(ctx: Context, present: list[str]) -> str:
    """Seed 001's run sizes (steps per epoch from its checkpoint names) beside ours."""
    rows, sources = [], []
    for name in present:
        if name not in SEED_001_FINETUNE:
            continue
        sources.append(RESULTS / name / "metrics.json")
        corpus, batch, steps, epochs, length = SEED_001_FINETUNE[name]
        m = read_json(ctx.root / RESULTS / name / "metrics.json")
        s = m["settings"]
        ours_steps = -(-m["train_examples"] // s["batch_size"])  # the Trainer keeps the last, smaller batch
        unit = f"chunks of {s['chunk_chars']} characters" if name in CAUSAL else "poems"
        seed_unit = "chunks of 1024 characters" if name in CAUSAL else "pairs"
        rows.append([name, corpus, batch, steps, f"{batch * (steps - 1) + 1:,}-{batch * steps:,} {seed_unit}", epochs,
                     length, s["batch_size"], ours_steps, f"{m['train_examples']:,} {unit}", s["epochs"],
                     s["max_length"]])
    if not rows:
        return ""
    return ("### Beside seed 001\n\nThe size of each run: the seed's steps per epoch, read from its checkpoint "
            "names (checkpoint-261 after the first epoch, and so on), imply how many training examples it had "
            "(one device: between batch x (steps - 1) + 1 and batch x steps); ours are this profile's. The "
            "generation length is the longest text generated, in tokens (prompt included for the causal runs).\n\n"
            + table(["run", "seed: corpus", "seed: batch", "seed: steps/epoch", "seed: implied examples",
                     "seed: epochs", "seed: generation length", "ours: batch", "ours: steps/epoch", "ours: examples",
                     "ours: epochs", "ours: generation length"], rows)
            + "\n\n" + ctx.table_note(*sources) + " *Seed columns: seed 001's checkpoint names and notebooks.*")


def _base_model_line(metrics: dict) -> str:
    """What the causal runs start from, as fetch-base-model recorded it (base_model.json)."""
    src = metrics.get("base_source", {})
    size = f"{metrics['parameters'] / 1e6:.2f}M parameters"
    hub = "`finetune.base_model.kind: hub` with `hub: {name: gpt2}` runs the seed's model where the hub is reachable."
    if src.get("pretrained") is False:
        return (f"- **GPT-2 -> {metrics['base_model']}, starting from random weights** ({size}, seed "
                f"{src['source']['seed']}): this profile downloads nothing, so the causal runs below train a "
                "small Llama from scratch, not fine-tune a pretrained model, and their text says little about "
                "fine-tuning; `finetune.base_model.kind: pypi-gguf` (the default profile) fine-tunes the "
                f"pretrained SmolLM2-135M. {hub}")
    gguf = src.get("gguf")
    where = (f"the GGUF file `{gguf['name']}` (sha256 `{gguf['sha256'][:12]}...`) of PyPI "
             f"`{src['source']['package']}=={src['source']['version']}`, de-quantized to fp32"
             if gguf else f"`{src.get('name', metrics['base_model'])}`")
    return (f"- **GPT-2 -> {metrics['base_model']}** ({size}), a pretrained causal LM (Llama architecture) "
            f"from {where}. {hub}")


def _model(ctx: Context, name: str) -> str:
    folder = RESULTS / name
    metrics = read_json(ctx.root / folder / "metrics.json")
    run = read_json(ctx.root / folder / "run.json")
    s = metrics["settings"]
    title = f"### {name}: {metrics['base_model']}" if name in CAUSAL else "### lyrics: T5"
    data = (f"{metrics['train_examples']} chunks of {s['chunk_chars']} characters"
            if name in CAUSAL else f"{metrics['train_examples']} poems")
    # JSON keys are strings, sorted as such ("10" before "2"): order them by epoch.
    evals = ", ".join(f"{loss:.3f}" for _, loss in sorted(metrics["eval_loss_per_epoch"].items(),
                                                          key=lambda item: int(item[0]))) or "none"
    rows = [["training data", f"{data}, {metrics['tokens_per_epoch']:,} tokens per epoch"],
            ["starting weights", _starting_weights(metrics)],
            ["held out", f"{metrics['val_examples']}, eval loss per epoch: {evals}"],
            ["epochs / batch / learning rate", f"{s['epochs']} / {s['batch_size']} / {s['learning_rate']:g}"],
            ["steps", metrics["steps"]],
            ["training loss, first -> last logged", f"{metrics['first_loss']:.3f} -> {metrics['final_loss']:.3f}"],
            ["throughput (this run)", f"{run['tokens_per_s']} tokens/s on {run['threads']} thread(s)"
                                      if run.get("tokens_per_s") else "resumed after the last epoch"]]
    sources = [folder / "metrics.json", folder / "run.json"]
    if (ctx.root / folder / "heldout.json").exists():
        held = read_json(ctx.root / folder / "heldout.json")
        rows.append(["test split (never trained on)", f"{held['bits_per_byte']:.3f} bits/byte, {held['loss_per_token']:.3f} "
                     f"nats/token on its first {held['bytes']:,} bytes, as the GPTs of the corpus"])
        if "before_fine_tuning" in held:
            before = held["before_fine_tuning"]
            rows.append(["the same bytes, before fine-tuning", f"{before['bits_per_byte']:.3f} bits/byte, "
                         f"{before['loss_per_token']:.3f} nats/token (the base model before its first step)"])
        sources.append(folder / "heldout.json")
    figure = ctx.figure(folder / "curves.png", f"{name}: training loss and gradient norm per logged step "
                                               "(epochs starred), eval loss per epoch.")
    return "\n\n".join(p for p in [title, table(["", ""], rows, align="ll") + "\n\n" + ctx.table_note(*sources),
                                     figure, _samples(ctx, folder, s["max_length"]), _seed_samples(name)] if p)


def _seed_samples(name: str) -> str:
    """The seed's own fine-tuned models' texts for the run this one stands in for."""
    entries = SEED_001_FINETUNE_TEXTS.get(name, [])
    if not entries:
        return ""
    corpus = SEED_001_FINETUNE[name][0] if name in SEED_001_FINETUNE else "its data"
    rows = [[e["epoch"], literal(e["prompt"]), literal(e["text"])] for e in entries]
    return (f"The seed's own texts for this run ({corpus}; beam search, 5 beams, no repeated bigram: its "
            "`temperature` has no effect without sampling), after the epochs shown:\n\n"
            + table(["seed: epoch", "seed: prompt", "seed: text"], rows, align="rll") + "\n\n" + seed_note("001", entries))


def _starting_weights(metrics: dict) -> str:
    if metrics["task"] == "seq2seq":
        return "random (trained from scratch)" if metrics["base_model"].startswith("scratch") else "pretrained"
    return "random (trained from scratch)" if metrics.get("base_source", {}).get("pretrained") is False else "pretrained"


def _samples(ctx: Context, folder: Path, max_length: int) -> str:
    with open(ctx.root / folder / "samples.csv", newline="", encoding="utf-8") as f:
        samples = list(csv.DictReader(f))
    epochs = sorted({int(r["epoch"]) for r in samples})
    if len(epochs) > MAX_EPOCHS_SHOWN:
        epochs = [epochs[0], epochs[len(epochs) // 2], epochs[-1]]
    rows = [[r["epoch"], r["decoding"], literal(r["prompt"]), literal(r["text"])] for r in samples if int(r["epoch"]) in epochs]
    return (f"Generated after each epoch (at most {max_length} tokens):\n\n"
            + table(["epoch", "decoding", "prompt", "text"], rows, align="llll")
            + "\n\n" + ctx.table_note(folder / "samples.csv"))
