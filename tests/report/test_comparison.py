"""The one table of every model: rows read from each family's own files, only the models the report
rule hands over, and a Summary line only where models share the scored bytes."""

from __future__ import annotations

import json
from pathlib import Path

from textgen.report.context import Context
from textgen.report.sections import comparison


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def held(bits: float, n_bytes: int, per_token: float) -> str:
    return json.dumps({"bits_per_byte": bits, "bytes": n_bytes, "loss_per_token": per_token, "tokens": 10})


def results(root: Path) -> list[Path]:
    write(root / "data/processed/words/meta.json", json.dumps({"works": [{"title": "Persuasion"}], "vocab_size": 1234}))
    write(root / "results/lstm/evaluation/perplexity.csv",
          "model,parameters,test_loss,test_bytes,test_bits_per_byte\nsimple,1000,5.5,4000,1.75\n")
    write(root / "results/lstm/models/simple/config_data.csv", "key,value\niterations,10\nbatch_size,4\nmax_len,20\n")
    write(root / "results/lstm/models/simple/run.json", json.dumps({"seconds": 2.0}))
    for name, bits in (("quixote_small", 2.5), ("quixote_large", 2.25)):
        folder = root / "results/gpt/models" / name
        write(folder / "config.json", json.dumps({"corpus": "shakespeare", "format": "stream", "parameters": 500,
                                                  "tokenizer": {"vocab_size": 300}, "tokens_per_iter": 128,
                                                  "train": {"max_iters": 6}}))
        write(folder / "heldout.json", held(bits, 9000, 4.0))
        write(folder / "run.json", json.dumps({"seconds": 4.0}))
    folder = root / "results/finetune/shakespeare"
    write(folder / "metrics.json", json.dumps({"corpus": "shakespeare", "base_model": "SmolLM2", "parameters": 7000,
                                               "tokens_per_epoch": 300, "settings": {"epochs": 2}}))
    write(folder / "heldout.json", json.dumps({**json.loads(held(1.5, 9000, 3.0)),
                                               "before_fine_tuning": json.loads(held(1.75, 9000, 3.5))}))
    write(folder / "run.json", json.dumps({"wall_s": 10.0, "sampling_s": 4.0, "epochs_run": 2}))
    folder = root / "results/translate/nb_nn"
    write(folder / "config.json", json.dumps({"parameters": 800, "tokenizer": {"vocab_size": 300}}))
    write(folder / "metrics.csv", "step,epoch,train_loss,val_loss\n1,1.0,4.5,4.25\n")
    write(folder / "run.json", json.dumps({"seconds": 5.0, "tokens": 2000, "tokens_per_second": 400.0}))
    write(root / "results/gpt/models/not_handed_over/heldout.json", held(9.0, 1, 9.0))
    return [Path(p) for p in ("data/processed/words", "results/lstm/evaluation", "results/lstm/models/simple",
                              "results/gpt/models/quixote_small", "results/gpt/models/quixote_large",
                              "results/finetune/shakespeare", "results/translate/nb_nn")]


def context(root: Path, artifacts: list[Path]) -> Context:
    return Context(root=root, params_file=root / "params.yaml", source_dirs=[], benchmark_files=[],
                   figures_dir=root / "report/figures", staged_figures=root / "staged", artifacts=artifacts)


def test_every_family_in_one_table_with_bits_per_byte_beside_its_own_unit(tmp_path):
    section = comparison.render(context(tmp_path, results(tmp_path)))
    md = section.markdown
    assert ("| simple | word LSTM | Persuasion (test words) | words (1,234) | 1,000 | 800 | 2 | 400 | 1.75 "
            "| 5.500 nats/word | 4,000 |") in md
    assert ("| quixote_small | decoder-only GPT | shakespeare (stream) | BPE (300) | 500 | 768 | 4 | 192 | 2.5 "
            "| 4.000 nats/token | 9,000 |") in md
    # fine-tuning: 2 epochs of 300 tokens over the training time, sampling left out
    assert ("| finetune/shakespeare | fine-tuned causal LM | shakespeare (stream) | SmolLM2's | 7,000 | 600 | 6 | 100 "
            "| 1.5 | 3.000 nats/token | 9,000 |") in md
    # translation: source plus predicted target tokens over its training time; no bits per byte
    assert ("| translate/nb_nn | encoder-decoder translation | nb_nn pairs (val) | BPE (300, joint) | 800 | 2,000 "
            "| 5 | 400 |  | 4.250 nats/target token |  |") in md
    assert "not_handed_over" not in md  # only what the report rule hands over
    # its base model before the first step, on the same bytes, in the row after it: no training of its own
    assert ("| finetune/shakespeare, before fine-tuning | its base model, before fine-tuning | shakespeare (stream) "
            "| SmolLM2's | 7,000 |  |  |  | 1.75 | 3.500 nats/token | 9,000 |") in md
    assert section.findings == [
        "finetune/shakespeare: fine-tuning on 600 training tokens moved its score on the same 9,000 held-out bytes of "
        "shakespeare (stream) from 1.750 bits/byte (its base model before the first step) to 1.500 (one run).",
        "On the same 9,000 held-out bytes of shakespeare (stream), the best of 3 models, finetune/shakespeare "
        "(fine-tuned causal LM), reaches 1.500 bits/byte and the worst, quixote_small (decoder-only GPT), 2.500 "
        "(one run each)."]


def test_nothing_handed_over_no_section(tmp_path):
    assert comparison.render(context(tmp_path, [])) is None
