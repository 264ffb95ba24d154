"""`textgen bench-<family> --params '{}'` measures what the default profile's pipeline measures."""

from __future__ import annotations

import dataclasses

import pytest

from textgen.bpe.bench import BPEBenchSettings
from textgen.finetune.bench import FinetuneBenchSettings
from textgen.gpt.bench import GPTBenchSettings
from textgen.lstm.bench import LSTMBenchSettings
from textgen.profiles import render_profile
from textgen.translate.bench import TranslateBenchSettings

SETTINGS = {"lstm": LSTMBenchSettings, "bpe": BPEBenchSettings, "gpt": GPTBenchSettings,
            "translate": TranslateBenchSettings, "finetune": FinetuneBenchSettings}


@pytest.mark.parametrize("family", SETTINGS)
def test_code_defaults_equal_the_default_profile(family):
    knobs = render_profile("default")["perf"][family]
    defaults = dataclasses.asdict(SETTINGS[family]())
    assert {key: defaults[key] for key in knobs} == knobs
