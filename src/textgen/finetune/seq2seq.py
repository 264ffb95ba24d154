"""`textgen finetune-t5`: seed 001's T5 fine-tuning, "Create the lyrics of <title>" -> the text,
with `T5ForConditionalGeneration` and `Seq2SeqTrainer` (batch 2, learning rate 1e-4 in the seed).

`base_model` in --params is a hub name (t5-small, as the seed), a local folder, or "scratch":
offline, no pretrained T5 exists, so a small T5 starts from random weights with a sentencepiece
vocabulary trained on the training poems. That is training from scratch, not fine-tuning, and
the report says so.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
from pathlib import Path

from transformers import (AutoTokenizer, DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments,
                          T5Config, T5ForConditionalGeneration)

from textgen.finetune import run
from textgen.finetune.generate import generate_batch
from textgen.finetune.lyrics import prompt, read_poems, split_poems, tokenize_poems
from textgen.finetune.model_source import ModelSource
from textgen.finetune.settings import ScratchT5, Seq2SeqSettings, parse_settings
from textgen.finetune.spm_tokenizer import t5_tokenizer, train_sentencepiece
from textgen.compute import add_compute_argument
from textgen.linear import fast_layers
from textgen.training import add_run_arguments

SCRATCH = "scratch"


def main(argv: list[str]) -> int:
    """textgen finetune-t5 --poems DIR --params JSON --seed S --threads T --checkpoints DIR --out DIR"""
    parser = argparse.ArgumentParser(prog="textgen finetune-t5", description=__doc__.splitlines()[0])
    parser.add_argument("--poems", required=True, type=Path, help="data/interim/corpora/poems (poems.jsonl)")
    parser.add_argument("--params", required=True, help="finetune.t5 as a JSON object")
    add_run_arguments(parser, "resumable checkpoints (not an output)", out_help="folder to create")
    add_compute_argument(parser)
    args = parser.parse_args(argv)
    settings = parse_settings(Seq2SeqSettings, args.params, "--params")
    scratch = parse_settings(ScratchT5, settings.scratch, "--params: scratch")
    compute = run.setup(args)

    train_poems, val_poems = split_poems(read_poems(args.poems), settings.val_poems, args.seed)
    if settings.base_model == SCRATCH:
        spm_model = train_sentencepiece([settings.prefix] + [line for p in train_poems
                                                             for line in (p.title, *p.text.splitlines())],
                                        scratch.vocab_size)
        tokenizer = t5_tokenizer(spm_model)
        model = _scratch_model(scratch, tokenizer)
        base = {"base_model": "scratch T5 (random init, sentencepiece trained on the poems)",
                "tokenizer_sha256": hashlib.sha256(spm_model).hexdigest(), "scratch": dataclasses.asdict(scratch)}
    else:
        source = ModelSource.of(settings.base_model, "finetune.t5.base_model")
        tokenizer = source.load(AutoTokenizer)
        model = source.load(T5ForConditionalGeneration)
        base = {"base_model": settings.base_model}
    fast_layers(model)  # nn.Linear on the faster matmul library here (textgen.linear)

    def sampler(model, epoch: int) -> list[dict]:
        texts = [prompt(settings.prefix, t) for t in settings.titles]
        return [{"epoch": epoch, "decoding": decoding, "prompt": text, "text": out}
                for decoding in settings.decodings
                for text, out in zip(texts, generate_batch(model, tokenizer, texts, decoding, settings,
                                                           seed=args.seed + epoch), strict=True)]

    def encode(poems):
        return tokenize_poems(poems, tokenizer, settings.prefix, settings.max_source_tokens, settings.max_target_tokens)

    describe = base | {"task": "seq2seq", "corpus": args.poems.name, "vocab_size": len(tokenizer),
                       "parameters": sum(p.numel() for p in model.parameters()),
                       "settings": dataclasses.asdict(settings), "seed": args.seed}
    poems_sha = hashlib.sha256("\n".join(f"{p.title}\t{p.text}" for p in train_poems + val_poems).encode()).hexdigest()
    collator = DataCollatorForSeq2Seq(tokenizer=tokenizer, model=model, pad_to_multiple_of=settings.pad_to_multiple_of)
    run.train(run.Run(title=f"lyrics: {'scratch T5' if settings.base_model == SCRATCH else settings.base_model}",
                      model=model, tokenizer=tokenizer, train_set=encode(train_poems), val_set=encode(val_poems),
                      collator=collator, settings=settings, sampler=sampler,
                      fingerprint=describe | {"poems_sha256": poems_sha}, describe=describe,
                      trainer_class=Seq2SeqTrainer, args_class=Seq2SeqTrainingArguments),
              args.seed, args.checkpoints, args.out, compute)
    return 0


def _scratch_model(scratch: ScratchT5, tokenizer) -> T5ForConditionalGeneration:
    """A T5 of the given size, randomly initialised (run.setup has seeded torch)."""
    config = T5Config(vocab_size=len(tokenizer), d_model=scratch.d_model, d_ff=scratch.d_ff, d_kv=scratch.d_kv,
                      num_heads=scratch.num_heads, num_layers=scratch.num_layers,
                      num_decoder_layers=scratch.num_layers, dropout_rate=scratch.dropout_rate,
                      pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
                      decoder_start_token_id=tokenizer.pad_token_id)
    return T5ForConditionalGeneration(config)
