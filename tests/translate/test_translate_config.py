"""TranslationConfig: the seed's values, presets, validation."""

from __future__ import annotations

import dataclasses

import pytest

from textgen.errors import TextgenError
from textgen.translate import PRESETS, TranslationConfig, preset

# The seed's English -> Norwegian hyperparameter block (model and optimizer fields).
EN_NO_BLOCK = dict(vocab_size=65536, n_feedforward=512, n_encoder_layer=3, n_decoder_layer=3, n_head=8,
                   n_embd=512, dropout=0.1, epochs=50, batch_size=96, lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
# Its Bokmål -> Nynorsk block (no n_feedforward: nn.Transformer's default 2048 applied).
NB_NN_BLOCK = dict(vocab_size=50000, n_feedforward=2048, n_encoder_layer=8, n_decoder_layer=12, n_head=8,
                   n_embd=512, dropout=0.1, epochs=50, batch_size=128, lr=1e-4, betas=(0.9, 0.98), eps=1e-9)


def _subset(cfg: TranslationConfig, keys) -> dict:
    return {k: getattr(cfg, k) for k in keys}


def test_defaults_are_the_english_norwegian_block():
    assert _subset(TranslationConfig(), EN_NO_BLOCK) == EN_NO_BLOCK
    assert preset("en-no") == TranslationConfig()


def test_bokmal_nynorsk_presets_differ_only_in_layer_counts():
    assert _subset(preset("nb-nn-block"), NB_NN_BLOCK) == NB_NN_BLOCK
    printed = preset("nb-nn")
    assert (printed.n_encoder_layer, printed.n_decoder_layer) == (6, 8)
    assert dataclasses.replace(printed, n_encoder_layer=8, n_decoder_layer=12) == preset("nb-nn-block")
    assert PRESETS == ("en-no", "nb-nn", "nb-nn-block")


def test_preset_overrides_and_unknown_names():
    assert preset("nb-nn", pad_id=3).pad_id == 3
    with pytest.raises(TextgenError, match="'de-en'"):
        preset("de-en")


def test_from_params_accepts_yaml_lists_and_names_unknown_keys():
    cfg = TranslationConfig.from_params({"n_embd": 64, "n_head": 4, "betas": [0.9, 0.98]})
    assert cfg.betas == (0.9, 0.98) and cfg.n_embd == 64
    with pytest.raises(TextgenError, match="n_layers"):
        TranslationConfig.from_params({"n_layers": 3})


@pytest.mark.parametrize("fields, named", [
    (dict(n_embd=30, n_head=4), "n_embd"),
    (dict(n_embd=9, n_head=1), "n_embd"),
    (dict(n_head=0), "n_head"),
    (dict(vocab_size=2.5), "vocab_size"),
    (dict(dropout=1.0), "dropout"),
    (dict(vocab_size=10, pad_id=10), "pad_id"),
    (dict(betas=(0.9, 1.0)), "betas"),
])
def test_bad_values_raise_naming_the_field(fields, named):
    with pytest.raises(TextgenError, match=named):
        TranslationConfig(**fields)
