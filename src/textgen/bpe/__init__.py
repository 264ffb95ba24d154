"""Byte-level BPE with the GPT-4 split pattern (seed 001, Tokenization)."""

from textgen.bpe.patterns import CL100K_PATTERN, GPT4_SPLIT_PATTERN
from textgen.bpe.tiktoken_ranks import load_tiktoken
from textgen.bpe.tokenizer import FORMAT_VERSION, SPECIAL_TOKENS, Tokenizer, bytes_per_token
from textgen.bpe.train import train_bpe

__all__ = [
    "CL100K_PATTERN", "FORMAT_VERSION", "GPT4_SPLIT_PATTERN", "SPECIAL_TOKENS", "Tokenizer",
    "bytes_per_token", "load_tiktoken", "train_bpe",
]
