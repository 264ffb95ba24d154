"""Text from a fine-tuned model, the two ways the report shows: the seed's beam search (5 beams,
no repeated 2-gram, `max_length` tokens) and sampling at a temperature (optionally top-k).

Sampling draws from a forked RNG seeded per call, so generating between epochs leaves the
training's random stream untouched and the same seed gives the same text.
"""

from __future__ import annotations

from typing import Protocol

import torch

from textgen.errors import TextgenError


class DecodingSettings(Protocol):
    max_length: int
    num_beams: int
    no_repeat_ngram_size: int
    temperature: float
    top_k: int


def decoding_kwargs(decoding: str, settings: DecodingSettings) -> dict:
    """`generate()` keyword arguments for "beam" or "sample".

    >>> from textgen.finetune.settings import CausalSettings
    >>> decoding_kwargs("beam", CausalSettings())
    {'max_length': 100, 'use_cache': True, 'do_sample': False, 'num_beams': 5, 'no_repeat_ngram_size': 2}
    """
    # use_cache: the Trainer switches the model's KV cache off for training; without it every new
    # token recomputes the whole sequence (20-60x slower beams).
    common = {"max_length": settings.max_length, "use_cache": True}
    if decoding == "beam":
        return common | {"do_sample": False, "num_beams": settings.num_beams,
                         "no_repeat_ngram_size": settings.no_repeat_ngram_size}
    # top_p=1.0 and an explicit top_k override whatever the model's generation_config carries.
    return common | {"do_sample": True, "num_beams": 1, "temperature": settings.temperature,
                     "top_k": settings.top_k, "top_p": 1.0}


@torch.no_grad()
def generate(model, tokenizer, prompt: str, decoding: str, settings: DecodingSettings, seed: int) -> str:
    """One text for `prompt`: for a causal LM the prompt and its continuation (as the seed printed
    them), for T5 the decoder's output."""
    was_training = model.training
    model.eval()
    inputs = tokenizer(prompt, return_tensors="pt").to(model.device)
    prompt_tokens = inputs["input_ids"].shape[1]
    if not model.config.is_encoder_decoder and prompt_tokens >= settings.max_length:
        raise TextgenError(f"max_length: {settings.max_length} tokens leave nothing to generate after the "
                           f"prompt {prompt!r} ({prompt_tokens} tokens); max_length counts the prompt, as in the seed")
    with torch.random.fork_rng(devices=[model.device] if model.device.type == "cuda" else []):
        torch.manual_seed(seed)
        out = model.generate(**inputs, **decoding_kwargs(decoding, settings), pad_token_id=tokenizer.pad_token_id)
    model.train(was_training)
    return tokenizer.decode(out[0], skip_special_tokens=True).strip()
