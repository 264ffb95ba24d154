"""`textgen finetune-causal`: seed 001's GPT-2 fine-tuning recipe with any causal LM.

The recipe: the corpus cut into 1024-character chunks, a language-modelling collator without
masking (labels are the inputs, padding ignored), a Trainer with a checkpoint per epoch, then
the seed's prompts continued by beam search (5 beams, no repeated 2-gram) and by sampling after
every epoch. The chunks come from the corpus's train and val splits (--split, the GPTs' split), and
the base model before training and the final model are scored on its test split, the bytes the
GPTs of the corpus are scored on (heldout.json). `--base` is a folder (offline, e.g. SmolLM2-135M from `fetch-base-model`) or a hub
name such as gpt2: the same `AutoModelForCausalLM.from_pretrained` either way.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorForLanguageModeling

from textgen.bpe.corpus import split_arg
from textgen.errors import TextgenError
from textgen.finetune import run
from textgen.finetune.chunks import causal_texts, tokenize_chunks
from textgen.finetune.generate import generate_batch
from textgen.finetune.heldout import heldout_loss
from textgen.finetune.model_source import ModelSource
from textgen.finetune.settings import CausalSettings, for_corpus, parse_prompts, parse_settings
from textgen.io import read_json, sha256_file
from textgen.linear import fast_layers
from textgen.compute import add_compute_argument
from textgen.training import add_run_arguments


def main(argv: list[str]) -> int:
    """textgen finetune-causal --base DIR|NAME --corpus DIR --prompts JSON --params JSON --seed S
    --threads T --checkpoints DIR --out DIR"""
    parser = argparse.ArgumentParser(prog="textgen finetune-causal", description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="base model: a folder (offline) or a hub name")
    parser.add_argument("--corpus", required=True, type=Path, help="data/interim/corpora/<name>")
    parser.add_argument("--prompts", required=True, help="JSON list of prompts, continued after every epoch")
    parser.add_argument("--params", required=True, help="finetune.causal as a JSON object")
    parser.add_argument("--split", required=True, help='gpt.split as a JSON object: {"val": 0.05, "test": 0.05}')
    parser.add_argument("--test-bytes", type=int, default=0,
                        help="gpt.test_bytes: held-out bytes scored, the first of the test split (0: all of it)")
    add_run_arguments(parser, "resumable checkpoints (not an output)", out_help="folder to create")
    add_compute_argument(parser)
    args = parser.parse_args(argv)
    settings = for_corpus(parse_settings(CausalSettings, args.params, "--params"), args.corpus.name)
    prompts = parse_prompts(args.prompts, "--prompts")
    split = split_arg(args.split)
    source = ModelSource.of(args.base, "--base (finetune.base_model)")
    compute = run.setup(args)

    tokenizer = source.load(AutoTokenizer)
    if tokenizer.pad_token is None:  # GPT-2 has none; the seed pads with end-of-text
        tokenizer.pad_token = tokenizer.eos_token
    # nn.Linear on the faster matmul library here (textgen.linear), for training and scoring alike
    model = fast_layers(source.load(AutoModelForCausalLM, dtype=torch.float32))
    if args.test_bytes < 0:
        raise TextgenError(f"--test-bytes (gpt.test_bytes): must be >= 0, got {args.test_bytes}")
    train_chunks, val_chunks, test_texts = causal_texts(args.corpus, split, settings.chunk_chars, settings.max_chunks,
                                                        settings.val_chunks, args.seed, args.test_bytes)
    # The base model on the same held-out bytes before any step: what fine-tuning changed (the final
    # model's score is taken after training, in heldout.json beside it).
    before = heldout_loss(model, tokenizer, test_texts)
    collator = DataCollatorForLanguageModeling(tokenizer=tokenizer, mlm=False,
                                               pad_to_multiple_of=settings.pad_to_multiple_of)

    def sampler(model, epoch: int) -> list[dict]:
        return [{"epoch": epoch, "decoding": decoding, "prompt": prompt, "text": text}
                for decoding in settings.decodings
                for prompt, text in zip(prompts, generate_batch(model, tokenizer, prompts, decoding, settings,
                                                                seed=args.seed + epoch), strict=True)]

    corpus = args.corpus.name
    describe = {"task": "causal", "corpus": corpus, "base_model": _base_name(source),
                "base_source": _base_source(source), "parameters": sum(p.numel() for p in model.parameters()),
                "settings": dataclasses.asdict(settings), "prompts": prompts, "seed": args.seed, "split": split}
    fingerprint = describe | {"base_sha256": _folder_digest(source),
                              "text_sha256": _sha("\0".join(train_chunks + ["", *val_chunks]))}
    run.train(run.Run(title=f"{corpus}: {describe['base_model']} fine-tuned", model=model, tokenizer=tokenizer,
                      train_set=tokenize_chunks(train_chunks, tokenizer),
                      val_set=tokenize_chunks(val_chunks, tokenizer), collator=collator, settings=settings,
                      sampler=sampler, fingerprint=fingerprint, describe=describe,
                      heldout=lambda trained: heldout_loss(trained, tokenizer, test_texts)
                      | {"before_fine_tuning": before},
                      base=Path(source.where) if source.local else None),
              args.seed, args.checkpoints, args.out, compute)
    return 0


def _base_name(source: ModelSource) -> str:
    """The base model's own name where fetch-base-model recorded it, else the folder or hub name."""
    record = Path(source.where) / "base_model.json"
    if source.local and record.is_file():
        return read_json(record)["name"]
    return Path(source.where).name if source.local else source.where


def _base_source(source: ModelSource) -> dict:
    """Where fetch-base-model got the weights (package, GGUF sha256) and whether they are
    pretrained, for the report."""
    record = Path(source.where) / "base_model.json"
    if not (source.local and record.is_file()):
        return {"name": source.where}
    return {key: value for key, value in read_json(record).items() if key in ("source", "pretrained", "gguf", "sdist")}


def _folder_digest(source: ModelSource) -> str:
    """sha256 over the base folder's files (or the hub name): another base model starts over.
    fetch-base-model's record already lists every file's sha256, so it stands for the folder."""
    if not source.local:
        return _sha(source.where)
    record = Path(source.where) / "base_model.json"
    if record.is_file():
        return sha256_file(record)
    files = sorted(p for p in Path(source.where).iterdir() if p.is_file())
    return _sha("\n".join(f"{p.name} {sha256_file(p)}" for p in files))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
