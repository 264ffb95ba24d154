"""A base model that needs no download and no data: a small Llama with seeded random weights and a
byte-level tokenizer (the 256 bytes and three special tokens, no merges, nothing learned). The tiny
profile and the tests fine-tune it in seconds; starting from random weights, that is training from
scratch, and base_model.json says so (`pretrained: false`).

Token ids are byte values (0-255), then <|bos|> 256, <|eos|> 257, <|pad|> 258; every text gets a
leading <|bos|>, and special-token text inside a text is encoded as its bytes, so any string
round-trips.

    >>> tokenizer = byte_tokenizer(model_max_length=64)
    >>> tokenizer("hé")["input_ids"]
    [256, 104, 195, 169]
    >>> tokenizer.decode(tokenizer("<|eos|> ∑")["input_ids"], skip_special_tokens=True)
    '<|eos|> ∑'
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from textgen.errors import TextgenError

BOS, EOS, PAD = "<|bos|>", "<|eos|>", "<|pad|>"


@dataclass
class RandomLlamaConfig:
    """LlamaConfig's size fields (their names), small enough to train in seconds on a CPU."""
    hidden_size: int = 32
    intermediate_size: int = 64  # the MLP's width
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_key_value_heads: int = 2  # grouped-query attention, as SmolLM2
    max_position_embeddings: int = 256  # the longest input: one token per byte, plus <|bos|>


def byte_symbols() -> list[str]:
    """The printable character that stands for each byte in byte-level BPE (GPT-2's mapping:
    printable Latin-1 bytes stand for themselves, the others are shifted past 255), in byte order."""
    printable = {*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)}
    shifted = iter(range(256, 512))
    return [chr(b) if b in printable else chr(next(shifted)) for b in range(256)]


def byte_tokenizer(model_max_length: int) -> PreTrainedTokenizerFast:
    """Bytes as tokens, through the same byte-level BPE machinery as GPT-2's tokenizer, minus merges."""
    vocab = {symbol: i for i, symbol in enumerate([*byte_symbols(), BOS, EOS, PAD])}
    bpe = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.post_processor = processors.TemplateProcessing(single=f"{BOS} $A", pair=f"{BOS} $A $B",
                                                       special_tokens=[(BOS, vocab[BOS])])
    bpe.add_special_tokens([BOS, EOS, PAD])
    # split_special_tokens: a text that contains "<|eos|>" is bytes, not the end of the text.
    return PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token=BOS, eos_token=EOS, pad_token=PAD,
                                   model_max_length=model_max_length, clean_up_tokenization_spaces=False,
                                   split_special_tokens=True)


def random_llama(config: RandomLlamaConfig, tokenizer: PreTrainedTokenizerFast, seed: int) -> LlamaForCausalLM:
    """A Llama of `config`'s size with weights drawn from `seed` (the global RNG is left as it was)."""
    if config.hidden_size % config.num_attention_heads or config.num_attention_heads % config.num_key_value_heads:
        raise TextgenError(f"random-llama config: hidden_size ({config.hidden_size}) must be a multiple of "
                           f"num_attention_heads ({config.num_attention_heads}), and that of num_key_value_heads "
                           f"({config.num_key_value_heads})")
    llama = LlamaConfig(vocab_size=len(tokenizer), bos_token_id=tokenizer.bos_token_id,
                        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
                        hidden_size=config.hidden_size, intermediate_size=config.intermediate_size,
                        num_hidden_layers=config.num_hidden_layers, num_attention_heads=config.num_attention_heads,
                        num_key_value_heads=config.num_key_value_heads,
                        max_position_embeddings=config.max_position_embeddings)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return LlamaForCausalLM(llama)
