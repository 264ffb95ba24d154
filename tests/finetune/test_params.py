"""The finetune block of every profile is what the commands accept: the schema and the settings
dataclasses agree, and the tiny profile's prompts fit its byte-level model."""

import copy

import pytest

from textgen.config import validate_params
from textgen.errors import TextgenError
from textgen.finetune.base_model import chosen_source
from textgen.finetune.settings import CausalSettings, ScratchT5, Seq2SeqSettings, parse_settings
from textgen.profiles import NAMES, render_profile


@pytest.mark.parametrize("name", NAMES)
def test_every_profile_parses_as_the_commands_parse_it(name):
    finetune = render_profile(name)["finetune"]
    source = chosen_source(finetune["base_model"])
    causal = parse_settings(CausalSettings, finetune["causal"], "finetune.causal")
    t5 = parse_settings(Seq2SeqSettings, finetune["t5"], "finetune.t5")
    parse_settings(ScratchT5, t5.scratch, "finetune.t5.scratch")
    assert source["kind"] == ("random-llama" if name == "tiny" else "pypi-gguf")
    assert causal.epochs >= (1 if name == "tiny" else 2)  # per-epoch tables need two epochs
    assert set(finetune["prompts"]) == {"shakespeare", "milton", "bible"}


def test_tiny_prompts_and_chunks_fit_the_byte_level_model():
    finetune = render_profile("tiny")["finetune"]
    config = finetune["base_model"]["random-llama"]["config"]
    longest_prompt = max(len(p.encode("utf-8")) + 1 for prompts in finetune["prompts"].values() for p in prompts)
    assert longest_prompt < finetune["causal"]["max_length"] <= config["max_position_embeddings"]
    # Tokenizing truncates at max_position_embeddings; ASCII chunks (1 byte a character) are never cut.
    assert finetune["causal"]["chunk_chars"] + 1 <= config["max_position_embeddings"]


def test_the_schema_wants_the_block_the_kind_names():
    params = render_profile("default")
    broken = copy.deepcopy(params)
    broken["finetune"]["base_model"]["kind"] = "random-llama"
    with pytest.raises(TextgenError, match=r"finetune.base_model: 'random-llama' is a required property"):
        validate_params(broken)
    params["finetune"]["base_model"] |= {"kind": "random-llama", "random-llama": {"seed": 0, "config": {"hidden_size": 0}}}
    with pytest.raises(TextgenError, match=r"random-llama.config.hidden_size: 0 is less than the minimum of 1"):
        validate_params(params)
