"""Text from a fine-tuned model, the two ways the report shows: the seed's beam search (5 beams,
no repeated 2-gram, `max_length` tokens) and sampling at a temperature (optionally top-k).

Sampling draws from a forked RNG seeded per call, so generating between epochs leaves the
training's random stream untouched and the same seed gives the same text.

`generate_batch` writes the texts of all prompts at once: on a CPU a decoding step reads every
weight once whatever the batch, so three prompts cost about what one does.
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
def generate_batch(model, tokenizer, prompts: list[str], decoding: str, settings: DecodingSettings,
                   seed: int) -> list[str]:
    """One text per prompt, all in one batch: for a causal LM the prompt and its continuation (as
    the seed printed them; prompts left-padded), for T5 the decoder's output. Each text keeps the
    length the seed allows one prompt (max_length counts its own prompt); a causal LM's beams and
    samples are searched for the whole batch, so they may differ from one-prompt runs."""
    if not prompts:
        return []
    was_training = model.training
    model.eval()
    causal = not model.config.is_encoder_decoder
    side = tokenizer.padding_side
    tokenizer.padding_side = "left" if causal else side  # a causal LM continues from the last column
    try:
        inputs = tokenizer(prompts, return_tensors="pt", padding=True).to(model.device)
    finally:
        tokenizer.padding_side = side
    kwargs = decoding_kwargs(decoding, settings)
    if causal:
        lengths = inputs["attention_mask"].sum(dim=1).tolist()
        for prompt, length in zip(prompts, lengths, strict=True):
            if length >= settings.max_length:
                raise TextgenError(f"max_length: {settings.max_length} tokens leave nothing to generate after the "
                                   f"prompt {prompt!r} ({length} tokens); max_length counts the prompt, as in the seed")
        width = inputs["input_ids"].shape[1]
        kwargs.pop("max_length")
        kwargs["max_new_tokens"] = settings.max_length - min(lengths)  # the shortest prompt's allowance
    with torch.random.fork_rng(devices=[model.device] if model.device.type == "cuda" else []):
        torch.manual_seed(seed)
        out = model.generate(**inputs, **kwargs, pad_token_id=tokenizer.pad_token_id)
    model.train(was_training)
    if causal:  # each row cut to its own allowance: its prompt and max_length - its length new tokens
        out = [row[:width + settings.max_length - length] for row, length in zip(out, lengths, strict=True)]
    return [tokenizer.decode(row, skip_special_tokens=True).strip() for row in out]
