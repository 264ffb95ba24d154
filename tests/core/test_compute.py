"""compute: settings -> Fabric, the Lightning Trainer and the Hugging Face Trainer."""

from __future__ import annotations

import pytest
import torch

from textgen.compute import DEFAULTS, describe, fabric_kwargs, hf_arguments, launch, resolve, shard
from textgen.errors import TextgenError


def test_override_for_one_job_only():
    block = {**DEFAULTS, "overrides": {"results/gpt/models/big": {"devices": 4, "precision": "bf16-mixed"}}}
    assert resolve(block, "results/gpt/models/big")["devices"] == 4
    assert resolve(block, "results/gpt/models/small") == DEFAULTS


def test_unknown_keys_are_named():
    with pytest.raises(TextgenError, match=r"--compute: unknown keys \['gpus'\]"):
        resolve({"gpus": 2}, "results/x")
    with pytest.raises(TextgenError, match=r"--compute.overrides.results/x: unknown keys \['gpu'\]"):
        resolve({"overrides": {"results/x": {"gpu": 1}}}, "results/x")


def test_auto_precision_on_cpu_is_fp32():
    assert fabric_kwargs({**DEFAULTS, "accelerator": "cpu"})["precision"] == "32-true"
    assert hf_arguments({**DEFAULTS, "accelerator": "cpu"}) == {"use_cpu": True, "bf16": False, "fp16": False}
    with pytest.raises(TextgenError, match="precision: bf16-true"):
        hf_arguments({**DEFAULTS, "precision": "bf16-true"})


def test_a_bad_setting_is_a_clear_error():
    with pytest.raises(TextgenError, match="--compute"):
        launch({**DEFAULTS, "accelerator": "cpu", "strategy": "no-such-strategy"}, threads=1)


def test_one_cpu_process_by_default():
    fabric = launch({**DEFAULTS, "accelerator": "cpu"}, threads=1)
    assert describe(fabric) == {"accelerator": "cpu", "devices": 1, "precision": "32-true",
                                "strategy": "SingleDeviceStrategy"}
    x = torch.arange(6).view(6, 1)
    assert torch.equal(shard((x,), fabric)[0], x)


def test_shard_needs_a_batch_that_divides():
    class Two:
        world_size, global_rank = 2, 0

        def to_device(self, t):
            return t

    with pytest.raises(TextgenError, match="batch size 3 does not divide among 2 processes"):
        shard((torch.zeros(3, 1),), Two())
