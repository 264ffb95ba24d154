"""Report A, word-level LSTM generators (seed 000): configurations, losses, generated texts per
evaluation, the Figure 18 run, the Lightning run, beam search, the worked attention examples,
held-out perplexity, the seed's defects measured and the optimizer study."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd

from textgen.io import read_json
from textgen.report.context import Context, Section
from textgen.report.markdown import literal, table
from textgen.report.seed_texts import SEED_000_FIGURE_21, SEED_000_WRITE, seed_note
from textgen.report.seeds import (SEED_000_FIGURE_13, SEED_000_FIGURE_19_TRAIN_LOSS, SEED_000_FIGURE_19_VAL_LOSS,
                                  SEED_000_TEXT_LOSSES, SEED_000_VOCABULARY)
from textgen.words.memmap import open_tokens
from textgen.words.vocab import Vocab

WORDS = Path("data/processed/words")
RESULTS = Path("results/lstm")
MODELS = RESULTS / "models"
EVALUATION = RESULTS / "evaluation"
FIGURES = RESULTS / "figures"
OPTIMIZERS = RESULTS / "optimizers"
SEED_MODELS = ["simple", "attention", "multihead"]  # Figure 13's three
FIXED = ["attention_fixed", "multihead_fixed"]
SEED_FIGURE = {"simple": 15, "attention": 16, "multihead": 17}
# Figure 18a as the seed lists it, next to the scaled run.
FIGURE18_SEED = {"iterations": 100000, "max_len": 20, "evaluate_interval": 10000, "embedding_dim": 256,
                 "hidden_size": 512, "n_layers": 4, "lr": 0.003, "batch_size": 4, "bidirectional": True, "n_heads": 4}


def render(ctx: Context) -> Section | None:
    if not (ctx.root / EVALUATION / "perplexity.csv").exists():
        return None
    parts = [
        _intro(ctx),
        _configs(ctx), _losses(ctx), _beside_the_seed(ctx), _texts(ctx), _figure18(ctx), _lightning(ctx), _beams(ctx),
        _worked_examples(ctx), _heldout(ctx), _findings(ctx), _optimizers(ctx),
    ]
    return Section("Report A: word-level LSTM generators", "\n\n".join(p for p in parts if p), part="Report A",
                   findings=_summary(ctx), departures=_departures(ctx))


def _departures(ctx: Context) -> list[str]:
    """Each place this code departs from seed 000's listings, with what the evaluation measured of it."""
    findings = _read(ctx, EVALUATION / "findings.csv")
    if findings is None:
        return []
    value = {(r.check, r.model): r.value for r in findings.itertuples(index=False)}
    models = list(dict.fromkeys(findings["model"]))
    lines = []
    if any(m in models for m in FIXED):
        lines.append("Listings 3-4's attention (one key per query) is kept as listed; beside it, the fixed models "
                     f"({', '.join(m for m in FIXED if m in models)}) attend causally over every earlier word.")
    if any(check == REPORTED for check, _ in value):
        lines.append("Listing 6's `write_better` is kept as listed; beside it, a beam search that reorders the "
                     "histories and scores with the states gives each beam's true log-probability.")
    if any(check.startswith("Figure 18 shape") for check, _ in value):
        lines.append("Figure 18's configuration, which crashes the listed multi-head model, is trained with the "
                     "fixed one.")
    trained = "probe loss per word, decoded as trained (states averaged)"
    listed = "probe loss per word, decoded as Listing 5's write (first LSTM keeps its own state)"
    pairs = [(m, float(value[trained, m]), float(value[listed, m])) for m in models if (trained, m) in value]
    if pairs:
        scores = "; ".join(f"{m} {a:.3f} as trained, {b:.3f} as listed" for m, a, b in pairs)
        lines.append("Listing 5's `write` lets the first LSTM carry its own state; this report's `write` decodes as "
                     f"the model was trained (both LSTMs' states averaged). Probe loss per word: {scores}.")
    bare = next((c for c, _ in value if "bare torch.no_grad()" in c), None)
    if bare:
        kept = max(int(float(value[bare, m])) for m in models if (bare, m) in value)
        lines.append(f"Listing 9 calls `torch.no_grad()` as a bare statement, which does nothing; here evaluation and "
                     f"generation run under `with torch.no_grad()`. As listed, generating kept up to {kept:,} bytes "
                     "of activations for a backward pass; fixed, none (Performance times an evaluation both ways).")
    if "lightning" in models:
        lines.append("Listings 10-14 (Lightning): the listing's `logots` (a NameError at the first validation) is "
                     "corrected, and checkpoints keep the optimizer and scheduler state (the seed: "
                     "`save_weights_only=True`) and are written after each validation rather than every 16 steps "
                     "before it, so a killed run resumes where it stopped.")
    return lines


def _summary(ctx: Context) -> list[str]:
    """The seed's defects as measured on the trained models (they hold for any training seed: they
    follow from the listed code), and the held-out perplexities as measured."""
    lines = []
    findings = _read(ctx, EVALUATION / "findings.csv")
    findings = findings if findings is not None else pd.DataFrame(columns=["check", "model", "value"])
    value = {(r.check, r.model): r.value for r in findings.itertuples(index=False)}
    models = list(dict.fromkeys(findings["model"]))
    listed = [m for m in ("attention", "multihead") if m in models]
    fixed = [m for m in FIXED if m in models]
    if listed:
        weights = [float(value["attention: smallest weight", m]) for m in listed]
        grads = [float(value["gradient norm reaching attention Q and K", m]) for m in listed]
        line = (f"The listed attention is a no-op: in {' and '.join(listed)} every attention weight is "
                f"{min(weights):g} (one key per query) and the gradient reaching Q and K is {max(grads):g}")
        if fixed:
            keys = [float(value["attention: keys per query (mean)", m]) for m in fixed]
            span = f"{min(keys):g}" if min(keys) == max(keys) else f"{min(keys):g}-{max(keys):g}"
            line += f"; the fixed variants attend over {span} keys per query on average"
        change = max(float(value["largest logit change, row in a batch vs alone", m]) for m in listed)
        lines.append(line + f". Its state reshape also mixes batch rows: a row's logits change by up to {change:.3g} "
                     "when other rows share its batch.")
    reported = [(abs(float(value[REPORTED, m]) - float(value[TRUE, m])), m) for m in models
                if (REPORTED, m) in value and (TRUE, m) in value]
    if reported:
        gap, model = max(reported)
        lines.append(f"The seed's `write_better` reports a beam score up to {gap:.3g} nats away from the true "
                     f"log-probability of the text it returns ({model}): histories and scores are not reordered "
                     "with the states.")
    crash = next((v for (check, _), v in value.items() if check.startswith("Figure 18 shape")), None)
    if crash:
        lines.append(f"Figure 18's configuration with the listed multi-head model: {literal(str(crash))}.")
    heldout = _read(ctx, EVALUATION / "perplexity.csv")
    if heldout is not None and not heldout.empty:
        low, high = heldout.loc[heldout["test_perplexity"].idxmin()], heldout.loc[heldout["test_perplexity"].idxmax()]
        lines.append(f"Held-out perplexity of the {len(heldout)} word models, one training run each: "
                     f"{low.test_perplexity:,.1f} ({low.model}) to {high.test_perplexity:,.1f} ({high.model}) "
                     f"on {int(heldout['test_tokens'].iloc[0]):,} test words.")
    return lines


REPORTED = "write_better: its best beam's reported score, in nats (sum of log10 p x ln 10)"
TRUE = "write_better: true log-probability of that beam (nats)"


def _intro(ctx: Context) -> str:
    """What Report A trains, on which books and from which prompt: read from the word corpus and the
    evaluation, so a corpus or prompt swapped in params.yaml shows here as it is."""
    text = ("Seed 000 trains word-level generators: a multi-layer LSTM (Listing 1), an LSTM with attention "
            "(Listings 3-4) and one with multi-head attention (Listings 7-8), with its own loop (Listing 9) "
            "and with Lightning (Listings 10-14). Here each is trained")
    stats = _read(ctx, WORDS / "stats.csv")
    if stats is not None:
        titles = [t for w, t in stats[["work_id", "title"]].itertuples(index=False) if w != "TOTAL"]
        text += f" on {literal(titles[0] if len(titles) == 1 else ', '.join(titles[:-1]) + ' and ' + titles[-1])}"
    text += (" (the stand-in for the seed's Harry Potter books) at Figure 13's shapes scaled to a laptop, next to "
             "fixed variants of the two attention models (`*_fixed`: causal attention over all earlier words).")
    tree = ctx.root / EVALUATION / "beam_tree.json"
    if tree.exists():
        prompt = read_json(tree)["prompt"]
        text += f" Every text is prompted with \"{literal(' '.join(prompt))}\" (the seed used \"Spells\")"
        if (ctx.root / WORDS / "vocab.json").exists():
            train = np.asarray(open_tokens(ctx.root / WORDS / "tokens_train.int32"))
            first = Vocab.load(ctx.root / WORDS / "vocab.json").encode(prompt[:1])[0]
            text += (f"; \"{literal(prompt[0])}\" occurs {int((train == first).sum()):,} times in the "
                     f"{len(train):,} training tokens")
        text += "."
    return text


def _config(ctx: Context, model: str) -> dict[str, str]:
    path = ctx.root / MODELS / model / "config_data.csv"
    return dict(pd.read_csv(path, dtype=str).itertuples(index=False)) if path.exists() else {}


def _configs(ctx: Context) -> str:
    models = [m for m in SEED_MODELS + FIXED if _config(ctx, m)]
    if not models:
        return ""
    configs = {m: _config(ctx, m) for m in models}
    keys = [k for k in configs[models[0]] if k != "model"]
    return ("### Configurations (Figure 13)\n\nThe keys of Figure 13, the seed's values beside this profile's "
            "(the seed lists no kind and no n_heads). Where they differ, the profile is scaled to its machine; "
            "the listed attention only runs when hidden_size = n_layers x embedding_dim, so the scaled shapes keep "
            "that ratio.\n\n"
            + table(["key", "seed (Figure 13)", *models],
                    [[k, SEED_000_FIGURE_13.get(k, ""), *(configs[m].get(k, "") for m in models)] for k in keys])
            + "\n\n" + ctx.table_note(*(MODELS / m / "config_data.csv" for m in models)))


def _losses(ctx: Context) -> str:
    path = ctx.root / FIGURES / "lstm_loss.png"
    if not path.exists():
        return ""
    rows, sources = [], []
    # The custom-loop models the report rule hands over (the Lightning run has its own part below).
    for folder in (Path(a) for a in ctx.artifacts if Path(a).parent == MODELS):
        metrics = ctx.root / folder / "metrics.json"
        if metrics.exists() and (m := read_json(metrics)).get("loop") == "custom":
            sources.append(folder / "metrics.json")
            run = read_json(metrics.with_name("run.json"))
            rows.append([folder.name, m["kind"], m["parameters"], m["iterations"], round(m["final_train_loss"], 3),
                         round(m["final_val_loss"], 3), round(run["seconds"], 1), round(run["tokens_per_second"])])
    return ("### Loss (Figure 14)\n\n" + ctx.figure(path, "Train loss (moving average) and validation loss of the "
                                                     "custom-loop models; the fixed variants dashed.")
            + "\n\n" + table(["model", "kind", "parameters", "iterations", "final train loss", "final val loss",
                              "seconds", "tokens/s"], rows)
            + "\n\n" + ctx.table_note(*sources)
            + "\n\nUntrained, every model starts near ln V (the vocabulary's size in nats).")


def _vocabulary(ctx: Context) -> int | None:
    meta = ctx.root / "data/processed/words/meta.json"  # the word corpus, as the Corpora section reads it
    return int(read_json(meta)["vocab_size"]) if meta.exists() else None


def _beside_the_seed(ctx: Context) -> str:
    """Seed 000's logged losses (Figures 15-17) beside ours, and what its first loss implies."""
    rows, firsts, sources = [], [], []
    for model, (figure, seed_losses) in SEED_000_TEXT_LOSSES.items():
        ours = _read(ctx, MODELS / model / "training_data.csv")
        if ours is None or ours.empty:
            continue
        sources.append(MODELS / model / "training_data.csv")
        firsts.append(float(ours["loss"].iloc[0]))
        rows.append([f"{model} (Figure {figure})", f"{seed_losses[0]:.3f}", f"{seed_losses[-1]:.3f}", len(seed_losses),
                     f"{firsts[-1]:.3f}", f"{float(ours['loss'].iloc[-1]):.3f}", len(ours)])
    vocabulary = _vocabulary(ctx)
    if not rows or vocabulary is None:
        return ""
    seed_first = SEED_000_TEXT_LOSSES["simple"][1][0]
    ours_first = sum(firsts) / len(firsts)
    return ("### Beside seed 000\n\nThe loss printed before each generated text, at the first and the last "
            "evaluation: the seed's (its figures, Harry Potter books) and ours (this report's word corpus, at the "
            "active profile's shapes and iterations; the seed trained for 10,000 iterations at Figure 13's shapes).\n\n"
            + table(["model", "seed: first", "seed: last", "seed: evaluations", "ours: first", "ours: last",
                     "ours: evaluations"], rows)
            + "\n\n" + ctx.table_note(*sources) + " *Seed columns: seed 000's Figures 15-17.*"
            + f"\n\nAn untrained model predicts nearly uniformly, so its first loss is close to ln V. Ours starts at "
            f"{ours_first:.3f} nats with V = {vocabulary:,} words (ln V = {math.log(vocabulary):.3f}). The seed's "
            f"models start at {seed_first:.3f} nats, which implies V near e^{seed_first:.3f} = "
            f"{math.exp(seed_first):,.0f} words, not the {SEED_000_VOCABULARY:,} the seed states "
            f"(ln {SEED_000_VOCABULARY:,} = {math.log(SEED_000_VOCABULARY):.3f}): the logged runs point to a larger "
            "dictionary than the one the seed describes.")


def _texts(ctx: Context) -> str:
    parts = []
    for model in SEED_MODELS + FIXED:
        path = ctx.root / MODELS / model / "training_data.csv"
        if not path.exists():
            continue
        frame = pd.read_csv(path)
        figure = f" (Figure {SEED_FIGURE[model]})" if model in SEED_FIGURE else ""
        parts.append(f"**{model}**{figure}\n\n" + table(
            ["iteration", "loss", "val loss", "generated text"],
            [[int(r["iteration"]), round(float(r["loss"]), 3), round(float(r["val_loss"]), 3),
              literal(r["generated text"])] for _, r in frame.iterrows()])
            + "\n\n" + ctx.table_note(MODELS / model / "training_data.csv"))
        if model in SEED_000_WRITE:
            seed = SEED_000_WRITE[model]
            parts.append(f"The seed's own texts for {model} (Figure {seed['figure']}: its books, its prompt \"Spells\", "
                         f"{len(seed['texts'])} evaluations printed of a 10,000-iteration run), with the loss it printed "
                         "before each:\n\n"
                         + table(["evaluation", "seed: loss", "seed: generated text"],
                                 [[t["evaluation"], t["loss"], literal(t["text"])] for t in seed["texts"]], align="rrl")
                         + "\n\n" + seed_note("000", seed["texts"]))
    if not parts:
        return ""
    return ("### Generated texts per evaluation (Figures 15-17)\n\nThe seed's `write` (sampled at temperature 1) "
            "after each evaluation, with the last batch's loss as the seed logs it and the validation loss.\n\n"
            + "\n\n".join(parts))


def _figure18(ctx: Context) -> str:
    config, figure = _config(ctx, "figure18"), ctx.root / FIGURES / "lstm_figure18_loss.png"
    if not config or not figure.exists():
        return ""
    findings = _read(ctx, EVALUATION / "findings.csv")
    crash = findings[(findings["model"] == "figure18") & findings["check"].str.startswith("Figure 18")]["value"]
    keys = list(FIGURE18_SEED)
    return ("### The Figure 18 run, with the fixed model\n\n"
            "The listed multi-head model cannot run Figure 18's configuration: its attention's Q is sized "
            "n_directions x n_layers x embedding_dim = 2 x 4 x 256 = 2048 inputs while the first LSTM gives "
            "n_directions x hidden_size = 2 x 512 = 1024 features (Figure 13 works only because 2 x 2 x 128 = "
            "2 x 256). At the scaled shape the same holds"
            + (f": *{crash.iloc[0]}*" if len(crash) else "")
            + ". The run below is therefore the fixed multi-head model (`multihead_fixed`) at Figure 18's "
            "shape, scaled.\n\n"
            + table(["key", "seed (Figure 18a)", "here"], [[k, FIGURE18_SEED[k], config.get(k, "")] for k in keys])
            + "\n\n" + ctx.table_note(MODELS / "figure18" / "config_data.csv")
            + "\n\n" + ctx.figure(figure, "The figure18 run: train loss per batch and its moving average, "
                                          "validation loss (Figure 18b)."))


def _lightning(ctx: Context) -> str:
    folder = ctx.root / MODELS / "lightning"
    if not (folder / "metrics.csv").exists():
        return ""
    config = _config(ctx, "lightning")
    metrics = _by_step(pd.read_csv(folder / "metrics.csv"))
    lr_column = next(c for c in metrics.columns if c.startswith("lr-"))
    columns = [c for c in ["epoch", lr_column, "num_train_items", "num_val_items", "step", "train_loss", "val_loss"]
               if c in metrics.columns]
    every = int(config.get("scheduler.frequency", 16))
    head = metrics[metrics["step"] <= every][columns]
    rates = metrics.dropna(subset=[lr_column])
    change = rates[rates[lr_column] < rates[lr_column].iloc[0]]
    scheduler = ", ".join(f"{k.removeprefix('scheduler.')} {v}" for k, v in config.items()
                          if k.startswith("scheduler.") and k != "scheduler.frequency")
    parts = ["### Training with Lightning (Figures 19-20)\n\n"
             f"The listed {config.get('kind', '')} model in a LightningModule (Listing 10) with CSVLogger, "
             f"ModelCheckpoint (val_loss, top 2, last), LearningRateMonitor and ReduceLROnPlateau on val_loss every "
             f"{every} steps ({scheduler}; Listing 10: mode min, min_lr 0.001, patience 3, threshold 0.4, factor "
             f"0.98), on a seeded random split of the training windows. Its log, as Figure 19 shows it, for the "
             f"first {every} steps:\n\n" + _log_table(head) + "\n\n" + ctx.table_note(MODELS / "lightning" / "metrics.csv"),
             _beside_figure_19(ctx, metrics)]
    if len(change):
        step = int(change["step"].iloc[0])
        around = metrics[(metrics["step"] >= step - 3) & (metrics["step"] <= step + 2)][columns]
        parts.append(f"The first learning-rate change, at step {step} (the seed's Figure 20 shows one at "
                     "step 80): with a threshold of 0.4 a validation loss counts as better only when it is 40% "
                     "below the best so far, so the rate is cut after every patience + 1 validations.\n\n"
                     + _log_table(around) + "\n\n" + ctx.table_note(MODELS / "lightning" / "metrics.csv"))
    else:
        parts.append("ReduceLROnPlateau did not lower the learning rate in this run.")
    figure = ctx.root / FIGURES / "lstm_lightning_lr.png"
    if figure.exists():
        parts.append(ctx.figure(figure, "The Lightning run: train and validation loss, and the learning rate "
                                        "ReduceLROnPlateau set."))
    beams = folder / "generated_texts_write_better.csv"
    if beams.exists():
        frame = pd.read_csv(beams, sep="\t")
        parts.append(f"Written every {config.get('generate_every_n_steps', '')} steps by the text-generation "
                     "callback (Listing 12) into generated_texts_write_better.csv (Figure 21): `prob` is what the "
                     "seed's write_better reports, exp(sum of log10 p), `log_prob` the true log-probability of "
                     "the beam's words; the correct beam search follows the seed's beams.\n\n"
                     + table(["epoch", "step", "method", "rank", "prob", "log_prob", "generated text"],
                             [[int(r.epoch), int(r.step), r.method, int(r.rank), f"{r.prob:.3g}",
                               round(float(r.log_prob), 2), literal(r.generated_text)] for r in frame.itertuples(index=False)])
                     + "\n\n" + ctx.table_note(MODELS / "lightning" / "generated_texts_write_better.csv"))
        parts.append("The seed's Figure 21, for comparison (its multi-head model on its books, 25 words after "
                     "\"Spells\"; step and prob as the seed prints them run together, read here as step 63 or 127 "
                     "and the rest):\n\n"
                     + table(["epoch", "step", "seed: prob", "seed: generated text"],
                             [[t["epoch"], t["step"], t["prob"], literal(t["text"])] for t in SEED_000_FIGURE_21],
                             align="rrrl")
                     + "\n\n" + seed_note("000", SEED_000_FIGURE_21))
    return "\n\n".join(p for p in parts if p)


def _beside_figure_19(ctx: Context, metrics: pd.DataFrame) -> str:
    """Seed 000's Figure 19 (its first validation and the train losses before it) beside ours."""
    seed_step, seed_val = SEED_000_FIGURE_19_VAL_LOSS
    validations = metrics.dropna(subset=["val_loss"]) if "val_loss" in metrics else metrics.iloc[0:0]
    train = metrics.dropna(subset=["train_loss"]) if "train_loss" in metrics else metrics.iloc[0:0]
    if validations.empty or train.empty:
        return ""
    val_step = int(validations["step"].iloc[0])
    before = train[(train["step"] >= 1) & (train["step"] <= val_step)]
    if before.empty:
        return ""
    seed_first, seed_last = SEED_000_FIGURE_19_TRAIN_LOSS[1], SEED_000_FIGURE_19_TRAIN_LOSS[seed_step]
    rows = [["seed 000 (Figure 19, its books)", f"{seed_first:.3f} (step 1)", f"{seed_last:.3f} (step {seed_step})",
             f"{seed_val:.3f} (step {seed_step})"],
            ["ours (this report's word corpus)", f"{float(before['train_loss'].iloc[0]):.3f} (step {int(before['step'].iloc[0])})",
             f"{float(before['train_loss'].iloc[-1]):.3f} (step {int(before['step'].iloc[-1])})",
             f"{float(validations['val_loss'].iloc[0]):.3f} (step {val_step})"]]
    return ("Beside the seed's log (Figure 19 prints each train loss with its step number in front, \"18.825…\" "
            "for step 1; read here as step and value): train loss from the first step to the first validation, and "
            "that validation's loss, in nats per word. Each starts near ln V of its own vocabulary, so the two rows "
            "compare how far the loss fell, not its level.\n\n"
            + table(["run", "train loss, first", "train loss, last", "first val loss"], rows)
            + "\n\n" + ctx.table_note(MODELS / "lightning" / "metrics.csv") + " *Seed row: seed 000's Figure 19.*")


def _by_step(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per step for training values (Lightning logs the learning rate in a row of its own)
    and one per validation, as Figure 19 prints them."""
    validation = metrics["val_loss"].notna() if "val_loss" in metrics else pd.Series(False, index=metrics.index)
    train = metrics[~validation].groupby("step", as_index=False, sort=True).first()
    return pd.concat([train, metrics[validation]]).sort_values(["step", "val_loss"], na_position="first",
                                                                 kind="stable").reset_index(drop=True)


def _log_table(frame: pd.DataFrame) -> str:
    rows = [["" if pd.isna(v) else (f"{v:.6g}" if isinstance(v, float) else v) for v in row]
            for row in frame.astype(object).itertuples(index=False)]
    return table(list(frame.columns), rows)


def _beams(ctx: Context) -> str:
    parts = []
    tree = ctx.root / FIGURES / "lstm_beam_tree.png"
    if tree.exists():
        spec = read_json(ctx.root / EVALUATION / "beam_tree.json")
        parts.append(ctx.figure(tree, f"Beam search with width {spec['k']} on the trained {spec['model']} model "
                                      f"from \"{' '.join(spec['prompt'])}\" (Figure 12 drawn from a real run): each "
                                      "node shows the word's log-probability and the path's; pruned hypotheses "
                                      "dashed, the final ones dark."))
    beams = _read(ctx, EVALUATION / "beam.csv")
    if beams is not None:
        rows = [[r.model, r.method, int(r.rank), f"{r.probability:.3g}", round(r.log10_score, 2),
                 round(r.log10_score * math.log(10), 2), round(r.log_prob, 2), literal(r.text)] for r in beams.itertuples(index=False)]
        parts.append("The final models' beams from the prompt. The seed's `write_better` reports exp(sum of "
                     "log10 p), the sum of its log10 probabilities, of a row whose words may come from different "
                     "beams (histories and scores are not reordered with the states); `in nats` is that sum in "
                     "natural-log units, `true log p` the log-probability the model gives the words shown. The "
                     "correct beam search's score is that log-probability. On a model whose batch rows do not "
                     "interact, the seed's k beams are k copies of greedy decoding.\n\n"
                     + table(["model", "method", "rank", "reported", "log10 sum", "in nats", "true log p", "text"], rows)
                     + "\n\n" + ctx.table_note(EVALUATION / "beam.csv"))
    return "### Beam search (Figures 12 and 21)\n\n" + "\n\n".join(parts) if parts else ""


def _worked_examples(ctx: Context) -> str:
    frame = _read(ctx, EVALUATION / "worked_examples.csv")
    if frame is None:
        return ""
    rows = [[r.example, _vector(r.q), _vector(r._2), _vector(r._3)] for r in frame.itertuples(index=False)]
    return ("### The worked attention examples\n\nValues v are five 2-d rows; keys the identity (hard) or with "
            "feature 1 shared by keys 1 and 2 (soft). Computed, not copied: in the third example the seed prints "
            "q . k^T unchanged from the second.\n\n" + table(["example", "q", "q . k^T", "q . k^T . v"], rows)
            + "\n\n" + ctx.table_note(EVALUATION / "worked_examples.csv"))


def _vector(text: str) -> str:
    return "[" + ", ".join(f"{v:g}" for v in ast.literal_eval(text)) + "]"


def _heldout(ctx: Context) -> str:
    frame = _read(ctx, EVALUATION / "perplexity.csv")
    rows = [[r.model, r.kind, r.loop, int(r.parameters), round(r.test_loss, 3), round(r.test_perplexity, 1),
             round(r.alone_perplexity, 1)] for r in frame.itertuples(index=False)]
    return ("### Held-out perplexity\n\nEvery model on the same test split (never trained on), in non-overlapping "
            f"windows ({int(frame['test_tokens'].iloc[0]):,} predicted words). The listed attention models mix "
            "batch rows through their state reshape, so they are also scored one window at a time (`alone`).\n\n"
            + table(["model", "kind", "loop", "parameters", "test loss", "perplexity", "perplexity, alone"], rows)
            + "\n\n" + ctx.table_note(EVALUATION / "perplexity.csv"))


def _findings(ctx: Context) -> str:
    frame = _read(ctx, EVALUATION / "findings.csv")
    models = [m for m in ["attention", "attention_fixed", "multihead", "multihead_fixed", "simple"]
              if m in set(frame["model"])]
    frame = frame[frame["model"].isin(models)]
    checks = list(dict.fromkeys(frame["check"]))
    cell = {(r.check, r.model): r.value for r in frame.itertuples(index=False)}
    rows = [[check, *(_number(cell.get((check, m), "")) for m in models)] for check in checks]
    return ("### Listed versus fixed\n\nMeasured on the trained models and a test batch. In the listed attention "
            "each query sees one key, so every weight is exactly 1 and no gradient reaches Q and K: the block "
            "reduces to V(embedding). The fixed models attend causally over all earlier words. Listing 9 calls "
            "`torch.no_grad()` as a statement, which builds a context manager and drops it: its `write` keeps the "
            "activations of every generated word for a backward pass that never comes (the rows of bytes kept "
            "for backward; a parameter saved is not counted), where `with torch.no_grad()` keeps none. Listing 5's "
            "`write` decodes the listed attention models with another recurrence than training: its first LSTM "
            "carries its own state, where training hands it the average of both LSTMs' states; the two probe-loss "
            "rows score the same test windows, each from its first word, both ways (this report's `write` "
            "decodes as the model was trained).\n\n"
            + table(["check", *models], rows) + "\n\n" + ctx.table_note(EVALUATION / "findings.csv")
            + _recurrence_texts(ctx))


def _recurrence_texts(ctx: Context) -> str:
    """Greedy texts of the listed attention models with both recurrences, from the same prompt."""
    frame = _read(ctx, EVALUATION / "recurrence_texts.csv")
    if frame is None or frame.empty:
        return ""
    return ("\n\nThe same prompt, decoded greedily with each recurrence (the texts differ where the recurrences "
            "do):\n\n" + table(["model", "recurrence", "text"],
                               [[r.model, r.recurrence, literal(r.text)] for r in frame.itertuples()])
            + "\n\n" + ctx.table_note(EVALUATION / "recurrence_texts.csv"))


def _number(value: object) -> object:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return round(number, 4)


def _optimizers(ctx: Context) -> str:
    frame = _read(ctx, OPTIMIZERS / "table.csv")
    if frame is None:
        return ""
    timings = read_json(ctx.root / OPTIMIZERS / "run.json")["runs"]
    rows = [[r.run, r.optimizer, r.lr, r.weight_decay, r.momentum, r.schedule, round(r.final_train_loss, 3),
             round(r.final_val_loss, 3), round(r.best_val_loss, 3), int(r.val_rises), round(r.largest_val_rise, 3),
             round(timings[r.run]["seconds"], 1)] for r in frame.itertuples(index=False)]
    evaluations = _read(ctx, OPTIMIZERS / "evaluations.csv")
    n_evals = int((evaluations["run"] == frame["run"].iloc[0]).sum())
    parts = [("### The optimizer study\n\nThe seed's optimizer chapter measured: one model, the same data, initial "
             "weights and batches for every run; Adam with weight_decay adds the decay to the gradient (L2), "
             "AdamW applies it to the weights directly."),
             ctx.figure(ctx.root / OPTIMIZERS / "optimizer_loss.png", "Train loss (moving average) and validation loss of "
                                                             "every optimizer run."),
             ctx.figure(ctx.root / OPTIMIZERS / "optimizer_lr.png", "Learning rate of every run."),
             table(["run", "optimizer", "lr", "weight decay", "momentum", "schedule", "final train", "final val",
                    "best val", "val rises", "largest rise", "seconds"], rows),
             ctx.table_note(OPTIMIZERS / "table.csv", OPTIMIZERS / "run.json"),
             _oscillation(frame, n_evals)]
    return "\n\n".join(parts)


def _oscillation(frame: pd.DataFrame, n_evals: int) -> str:
    """Whether the seed's oscillation appears: validation loss rising between evaluations, and the
    like-for-like comparison of lr 0.003 and 0.002 (runs that differ in nothing else)."""
    text = (f"Oscillation, as the seed saw it at lr 0.003: a run's validation loss rising between two of its "
            f"{n_evals} evaluations. ")
    rising = frame[frame["val_rises"] > 0]
    if rising.empty:
        return text + "No run's validation loss rose at any evaluation: the oscillation does not appear at this scale."
    listed = ", ".join(f"{r.run} ({int(r.val_rises)}x, up to {r.largest_val_rise:.3f})" for r in rising.itertuples())
    text += f"It rose in {listed}; the largest rise is {rising['largest_val_rise'].max():.3f} nats."
    same = ["optimizer", "weight_decay", "momentum", "schedule"]
    for _, group in frame.groupby(same):
        by_lr = {float(r.lr): r for r in group.itertuples()}
        if 0.003 in by_lr and 0.002 in by_lr:
            high, low = by_lr[0.003], by_lr[0.002]
            text += (f" Lowering the rate alone ({high.run} vs {low.run}, this one seed): {int(high.val_rises)} rises at 0.003, "
                     f"{int(low.val_rises)} at 0.002, largest {high.largest_val_rise:.3f} vs "
                     f"{low.largest_val_rise:.3f} nats; final validation loss {high.final_val_loss:.3f} vs "
                     f"{low.final_val_loss:.3f}.")
    return text


def _read(ctx: Context, path: Path) -> pd.DataFrame | None:
    full = ctx.root / path
    return pd.read_csv(full) if full.exists() else None
