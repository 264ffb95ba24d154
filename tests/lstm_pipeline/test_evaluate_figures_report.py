"""evaluate-lstm, lstm-figures and the report section on a tiny run of every Report A job, laid out
as the rules lay it out (results/lstm/...)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from textgen.io import read_json
from textgen.lstm.beam import beam_search
from textgen.lstm.data import load_model
from textgen.lstm.evaluate import main as evaluate_main
from textgen.lstm.figures import main as figures_main
from textgen.lstm.lightning import train_lightning
from textgen.lstm.optimizers import main as study_main
from textgen.lstm.train import train_custom
from textgen.report.markdown import literal
from textgen.report.context import Context
from textgen.report.sections import report_a

MODELS = ["simple", "attention", "multihead", "attention_fixed", "multihead_fixed", "figure18"]
HELDOUT = {"seq_len": 8, "batch_size": 4, "probe_windows": 4, "test_windows": None, "tree": {"model": "simple", "k": 2, "steps": 2, "children": 3}}
STUDY = {"model": {"kind": "simple", "embedding_dim": 8, "hidden_size": 16, "n_layers": 1, "bidirectional": False,
                   "n_heads": 1, "iterations": 6, "max_len": 8, "evaluate_interval": 2, "batch_size": 4},
         "val_windows": 4, "log_every": 6, "plateau": {"factor": 0.5, "patience": 0, "threshold": 0.01, "min_lr": 0.0},
         "runs": {name: {"optimizer": "adamw", "lr": lr, "weight_decay": 0.01, "momentum": 0.0, "schedule": "constant"}
                  for name, lr in (("adamw", 0.003), ("adamw_lr0.002", 0.002))}}


@pytest.fixture(scope="module")
def root(words, data, block, lightning_block, evaluation, tmp_path_factory) -> Path:
    """A checkout-like folder holding results/lstm/ of every job, tiny."""
    root = tmp_path_factory.mktemp("checkout")
    results = root / "results" / "lstm"
    for name in MODELS:
        kind = "multihead_fixed" if name == "figure18" else name
        changes = {"n_layers": 3, "n_heads": 2} if name == "figure18" else {}  # hidden 16 != 3 x 8: as Figure 18
        train_custom(name, block(kind, iterations=6, evaluate_interval=3, **changes), evaluation, data, 1,
                     root / "ckpt" / name, results / "models" / name)
    train_lightning("lightning", lightning_block(), evaluation, data, 1, root / "ckpt" / "lightning",
                    results / "models" / "lightning")
    assert study_main(["--words", str(words), "--params", json.dumps(STUDY), "--seed", "1",
                       "--checkpoints", str(root / "ckpt" / "optimizers"), "--out", str(results / "optimizers")]) == 0
    models = [str(results / "models" / name) for name in MODELS + ["lightning"]]
    assert evaluate_main(["--words", str(words), "--models", *models, "--params", json.dumps(HELDOUT),
                          "--evaluation", json.dumps(evaluation), "--seed", "1", "--out", str(results / "evaluation")]) == 0
    assert figures_main(["--models", *models[:-1], "--lightning", models[-1], "--evaluation",
                         str(results / "evaluation"), "--out", str(results / "figures")]) == 0
    return root


def test_perplexity_of_every_model(root):
    frame = pd.read_csv(root / "results/lstm/evaluation/perplexity.csv")
    assert list(frame["model"]) == MODELS + ["lightning"]
    assert (frame["test_perplexity"] > 1).all() and len(set(frame["test_tokens"])) == 1
    independent = frame[frame["batch_independent"]]
    assert (independent["test_loss"] == independent["alone_loss"]).all()


def test_test_windows_limits_the_perplexity_windows(root, words, evaluation, tmp_path):
    models = [str(root / "results/lstm/models" / name) for name in ("simple", "attention")]
    limited = {**HELDOUT, "test_windows": 3}
    assert evaluate_main(["--words", str(words), "--models", *models, "--params", json.dumps(limited),
                          "--evaluation", json.dumps(evaluation), "--seed", "1", "--out", str(tmp_path / "ev")]) == 0
    frame = pd.read_csv(tmp_path / "ev/perplexity.csv")
    assert list(frame["test_tokens"]) == [3 * HELDOUT["seq_len"]] * 2
    full = pd.read_csv(root / "results/lstm/evaluation/perplexity.csv")
    assert (full["test_tokens"] > 3 * HELDOUT["seq_len"]).all()


def test_listed_attention_is_a_no_op_and_the_fixed_one_attends(root, data):
    frame = pd.read_csv(root / "results/lstm/evaluation/findings.csv")
    value = {(r.check, r.model): r.value for r in frame.itertuples(index=False)}
    for listed in ("attention", "multihead", "lightning"):
        assert float(value["attention: smallest weight", listed]) == 1.0
        assert float(value["attention: keys per query (mean)", listed]) == 1.0
        assert float(value["gradient norm reaching attention Q and K", listed]) == 0.0
        assert float(value["largest logit change, row in a batch vs alone", listed]) > 1e-4
    for fixed in ("attention_fixed", "multihead_fixed"):
        assert float(value["attention: keys per query (mean)", fixed]) == pytest.approx(4.5)  # (8 + 1) / 2
        assert float(value["gradient norm reaching attention Q and K", fixed]) > 0
        assert float(value["largest logit change, row in a batch vs alone", fixed]) < 1e-4
    assert "crashes on its first step" in value["Figure 18 shape with the listed multi-head model", "figure18"]
    for model in MODELS:  # the correct beam search finds at least as likely a beam as the seed's
        # (up to fp32 rounding: the two score the same beam in batches of different shapes)
        assert float(value["beam search: best beam's log-probability (nats)", model]) >= \
            float(value["write_better: true log-probability of that beam (nats)", model]) - 1e-5
    # on a model whose batch rows do not interact the seed's k beams are k copies of greedy decoding,
    # so its reported score (in nats) is the true one
    assert float(value["write_better: its best beam's reported score, in nats (sum of log10 p x ln 10)", "simple"]) == \
        pytest.approx(float(value["write_better: true log-probability of that beam (nats)", "simple"]), abs=1e-4)
    assert value["write_better: distinct beams of k", "simple"] == "1"
    # Listing 9's bare torch.no_grad(): generation keeps activations for backward; the fixed one none
    bare = next(c for c in frame["check"] if "bare torch.no_grad()" in c)
    under = next(c for c in frame["check"] if "under with torch.no_grad()" in c)
    for model in MODELS + ["lightning"]:
        assert int(value[bare, model]) > 0 and int(value[under, model]) == 0
    # Listing 5's write decodes with another recurrence than training: the same probe windows score differently
    trained = "probe loss per word, decoded as trained (states averaged)"
    listed = "probe loss per word, decoded as Listing 5's write (first LSTM keeps its own state)"
    for model in ("attention", "multihead", "lightning"):
        assert 0 < float(value[trained, model]) and 0 < float(value[listed, model])
        assert float(value[trained, model]) != float(value[listed, model])
    assert (trained, "attention_fixed") not in value  # the fixed models decode as they train
    # ... and the texts it writes, greedy from the prompt, with each recurrence
    texts = pd.read_csv(root / "results/lstm/evaluation/recurrence_texts.csv")
    assert list(zip(texts["model"], texts["recurrence"])) == [
        (m, r) for m in ("attention", "multihead", "lightning") for r in ("training", "Listing 5")]
    from textgen.lstm.data import load_model
    from textgen.lstm.generate import write

    vocab = data.vocab
    _, model, _ = load_model(root / "results/lstm/models/attention/model.pt")
    prompt = texts["text"].iloc[0].split()[:1]
    for recurrence, decode in (("training", model.step), ("Listing 5", model.listing_step)):
        again = " ".join(write(model, vocab.word2idx, vocab.idx2word, prompt, len(texts["text"].iloc[0].split()) - 1,
                               greedy=True, decode=decode))
        assert again == texts[(texts["model"] == "attention") & (texts["recurrence"] == recurrence)]["text"].iloc[0]


def test_the_training_recurrence_scores_a_window_as_the_forward_pass_does():
    import torch.nn.functional as F

    from textgen.lstm import LSTMConfig, build_model
    from textgen.lstm.findings import recurrence_losses

    torch.manual_seed(0)
    model = build_model("attention", LSTMConfig(vocab_size=11, embedding_dim=4, hidden_size=8)).eval()
    windows = torch.randint(0, 11, (3, 7))
    trained, listed = recurrence_losses(model, windows)
    with torch.no_grad():  # each row alone, as the forward pass of training computes it
        forward = sum(float(F.cross_entropy(model(row[None, :-1])[0], row[1:])) for row in windows) / len(windows)
    assert trained == pytest.approx(forward, rel=1e-5)
    assert listed != trained  # the first LSTM does not continue from the averaged state


def test_bare_no_grad_keeps_every_further_words_activations():
    from textgen.lstm import LSTMConfig, build_model
    from textgen.lstm.findings import generation_graph_bytes

    torch.manual_seed(0)
    config = LSTMConfig(vocab_size=11, embedding_dim=4, hidden_size=6)

    def per_word(kind: str) -> list[int]:
        kept = [generation_graph_bytes(build_model(kind, config), torch.tensor([[1, 2, 3]]), n)[0] for n in range(2, 7)]
        return [b - a for a, b in zip(kept, kept[1:])]

    simple = per_word("simple")  # the state chains the graph word to word: the same bytes for each
    assert len(set(simple)) == 1 and simple[0] > 0, simple
    causal = per_word("attention_fixed")  # each word also attends over one more earlier word
    growth = {b - a for a, b in zip(causal, causal[1:])}
    assert len(growth) == 1 and growth.pop() > 0, causal


def test_beam_tree_is_the_beam_search(root, words, data):
    tree = read_json(root / "results/lstm/evaluation/beam_tree.json")
    _, model, _ = load_model(root / "results/lstm/models/simple/model.pt")
    found = beam_search(model, data.prompt_ids(["Elizabeth"]), max_new=2, k=2)
    finals = sorted(n["sequence"] for n in tree["nodes"] if n["final"])
    assert finals == sorted(seq for seq, _ in found)
    scores = sorted(n["cum"] for n in tree["nodes"] if n["final"])
    assert scores == pytest.approx(sorted(score for _, score in found))


def test_figures(root):
    assert sorted(p.name for p in (root / "results/lstm/figures").iterdir()) == [
        "lstm_beam_tree.png", "lstm_figure18_loss.png", "lstm_lightning_lr.png", "lstm_loss.png"]


def _context(root: Path) -> Context:
    """As the report rule hands over its inputs: every folder of results/lstm, relative to the root."""
    artifacts = sorted(p.relative_to(root) for p in (root / "results" / "lstm").glob("*/*") if p.is_dir())
    return Context(root=root, params_file=root / "params.yaml", source_dirs=[], benchmark_files=[],
                   figures_dir=root / "report" / "figures", staged_figures=root / "staged", artifacts=artifacts)


def test_report_section(root):
    ctx = _context(root)
    section = report_a.render(ctx)
    assert section.part == "Report A"
    for heading in ("Configurations (Figure 13)", "Loss (Figure 14)", "Figures 15-17", "The Figure 18 run",
                    "Training with Lightning", "Beam search", "worked attention examples", "Held-out perplexity",
                    "Listed versus fixed", "The optimizer study"):
        assert heading in section.markdown, heading
    assert "| hard query, hard keys | [0, 0, 1, 0, 0] | [0, 0, 1, 0, 0] | [3, 5] |" in section.markdown
    # Figure 13 values beside ours, key by key
    assert "| key | seed (Figure 13) | simple | attention | multihead | attention_fixed | multihead_fixed |" \
        in section.markdown
    assert "| iterations | 10000 | 6 | 6 | 6 | 6 | 6 |" in section.markdown
    # Figure 14's table: the custom-loop models handed over, not the Lightning run
    losses = section.markdown.split("### Loss (Figure 14)")[1].split("###")[0]
    assert "| simple | simple |" in losses and "| lightning |" not in losses
    assert "| bidirectional | False (simple), True (both attention models) | False | True | True | True | True |" \
        in section.markdown
    texts = pd.read_csv(root / "results/lstm/evaluation/recurrence_texts.csv")
    assert f"| attention | Listing 5 | {texts['text'].iloc[1]} |" in section.markdown
    assert sorted(ctx.figures) == sorted(p.name for p in ctx.staged_figures.iterdir())
    assert len(ctx.figures) == 6

    # The Summary's lines, with the numbers of this run's artifacts
    findings = "\n".join(section.findings)
    assert ("The listed attention is a no-op: in attention and multihead every attention weight is 1 (one key per "
            "query) and the gradient reaching Q and K is 0") in findings
    heldout = pd.read_csv(root / "results/lstm/evaluation/perplexity.csv")
    best = heldout.loc[heldout["test_perplexity"].idxmin()]
    assert f"{best.test_perplexity:,.1f} ({best.model})" in findings
    assert "crashes on its first step" in findings and "`write_better` reports a beam score up to" in findings

    # Every departure from the listings, with what the evaluation measured of it
    departures = "\n".join(section.departures)
    frame = pd.read_csv(root / "results/lstm/evaluation/findings.csv")
    value = {(r.check, r.model): r.value for r in frame.itertuples(index=False)}
    trained = float(value["probe loss per word, decoded as trained (states averaged)", "attention"])
    listed = float(value["probe loss per word, decoded as Listing 5's write (first LSTM keeps its own state)", "attention"])
    assert f"attention {trained:.3f} as trained, {listed:.3f} as listed" in departures
    bare = next(c for c in frame["check"] if "bare torch.no_grad()" in c)
    kept = max(int(float(v)) for (c, _), v in value.items() if c == bare)
    assert f"As listed, generating kept up to {kept:,} bytes" in departures
    assert "Listing 6's `write_better` is kept as listed" in departures and "Figure 18's configuration" in departures
    assert "Listings 10-14 (Lightning): the listing's `logots`" in departures  # the Lightning run is among the models
    # the seed's own texts beside ours: Figure 16 under the attention model's, Figure 21 under the Lightning run's
    from textgen.report.seed_texts import SEED_000_FIGURE_21, SEED_000_WRITE
    attention = section.markdown.split("**attention** (Figure 16)")[1].split("**multihead**")[0]
    first = SEED_000_WRITE["attention"]["texts"][0]
    assert f"| 1 | {first['loss']} | {literal(first['text'])} |" in attention
    assert "*Seed 000's texts (its models, its data), lines 1018-1025 of the seed.*" in attention
    assert f"| 1 | 127 | {SEED_000_FIGURE_21[-1]['prob']} | {literal(SEED_000_FIGURE_21[-1]['text'])} |" in section.markdown


def test_report_a_opens_with_the_books_and_the_prompt_it_was_given(root, words, evaluation, tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(root / "results", checkout / "results")
    shutil.copytree(words, checkout / "data/processed/words")
    intro = report_a.render(_context(checkout)).markdown.split("\n\n")[0]
    titles = [t for w, t in pd.read_csv(words / "stats.csv")[["work_id", "title"]].itertuples(index=False) if w != "TOTAL"]
    assert all(title in intro for title in titles), intro
    assert "Pride and Prejudice" not in intro or "Pride and Prejudice" in titles
    prompt = evaluation["prompt"]
    count = int((np.fromfile(words / "tokens_train.int32", dtype=np.int32)
                 == json.loads((words / "vocab.json").read_text())["tokens"].index(prompt[0])).sum())
    assert f'prompted with "{" ".join(prompt)}"' in intro and f"occurs {count:,} times" in intro


def test_report_section_without_artifacts(root, tmp_path):
    assert report_a.render(_context(tmp_path)) is None
    partial = tmp_path / "partial"
    shutil.copytree(root / "results/lstm/evaluation", partial / "results/lstm/evaluation")
    section = report_a.render(_context(partial))  # other artifacts missing: their parts are left out
    assert "Held-out perplexity" in section.markdown and "Loss (Figure 14)" not in section.markdown


def test_seed_000_stands_beside_ours_with_what_its_first_loss_implies(root, words, tmp_path):
    import math

    checkout = tmp_path / "checkout"
    shutil.copytree(root / "results", checkout / "results")
    shutil.copytree(words, checkout / "data" / "processed" / "words")
    markdown = report_a.render(_context(checkout)).markdown
    section = markdown.split("### Beside seed 000")[1].split("###")[0]
    # the seed's numbers, as its Figures 15-17 print them
    assert "| simple (Figure 15) | 9.298 | 1.247 | 9 |" in section
    assert "| attention (Figure 16) | 9.297 | 0.622 | 9 |" in section
    assert "| multihead (Figure 17) | 9.297 | 1.434 | 10 |" in section
    assert "e^9.298 = 10,913 words, not the 6,916 the seed states" in section
    # ours, from the run's own files
    stats = pd.read_csv(words / "stats.csv")
    vocabulary = int(stats.loc[stats["work_id"] == "TOTAL", "vocab_size"].iloc[0])
    assert f"V = {vocabulary:,} words (ln V = {math.log(vocabulary):.3f})" in section
    first = pd.read_csv(root / "results/lstm/models/simple/training_data.csv")["loss"]
    assert f"| simple (Figure 15) | 9.298 | 1.247 | 9 | {first.iloc[0]:.3f} | {first.iloc[-1]:.3f} | {len(first)} |" in section
    assert "### Beside seed 000" not in report_a.render(_context(root)).markdown  # no word corpus: left out


def test_seed_000_figure_19_stands_beside_our_lightning_log(root):
    markdown = report_a.render(_context(root)).markdown
    section = markdown.split("### Training with Lightning")[1].split("###")[0]
    # the seed's numbers, as its Figure 19 prints them (steps fused with the train losses)
    assert "| seed 000 (Figure 19, its books) | 8.825 (step 1) | 6.829 (step 15) | 7.064 (step 15) |" in section
    # ours, from the run's own log: train loss from step 1 to the first validation, and that validation
    metrics = pd.read_csv(root / "results/lstm/models/lightning/metrics.csv")
    first_val = metrics.dropna(subset=["val_loss"]).iloc[0]
    train = metrics.dropna(subset=["train_loss"])
    train = train[(train["step"] >= 1) & (train["step"] <= first_val["step"])].groupby("step").first()
    assert (f"| ours (this report's word corpus) | {train['train_loss'].iloc[0]:.3f} (step {train.index[0]}) | "
            f"{train['train_loss'].iloc[-1]:.3f} (step {train.index[-1]}) | {first_val['val_loss']:.3f} "
            f"(step {int(first_val['step'])}) |") in section
