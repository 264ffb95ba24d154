"""Decoder-only Transformer (seed 001): model, sampling, checkpoints, FLOP count."""

from textgen.gpt.checkpoint import FORMAT_VERSION, Checkpoint, load_checkpoint, save_checkpoint
from textgen.gpt.flops import estimate_flops_per_token, matmul_params
from textgen.gpt.model import GPT, GPTConfig, sinusoidal_encoding
from textgen.gpt.sentences import ends_sentence, next_sentences, sentence_end_ids

__all__ = [
    "FORMAT_VERSION", "GPT", "Checkpoint", "GPTConfig", "ends_sentence", "estimate_flops_per_token",
    "load_checkpoint", "matmul_params", "next_sentences", "save_checkpoint", "sentence_end_ids",
    "sinusoidal_encoding",
]
