"""The benchmark's FLOP formula against torch's own FLOP counter, and a smoke run."""

from __future__ import annotations

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from textgen.translate import TranslationConfig, make_loss
from textgen.translate.bench import main, measure_training, train_flops
from textgen.translate.model import Seq2SeqTransformer


def test_train_flops_equals_torchs_count_of_forward_and_backward():
    cfg = TranslationConfig(vocab_size=50, n_embd=32, n_head=4, n_feedforward=48, n_encoder_layer=2, n_decoder_layer=3)
    model = Seq2SeqTransformer(cfg)
    batch, src_len, tgt_len = 3, 7, 5  # S != T, so mixing them up shows
    src = torch.randint(1, 50, (src_len, batch))
    tgt = torch.randint(1, 50, (tgt_len + 1, batch))
    with FlopCounterMode(display=False) as counter:
        logits = model(src, tgt[:-1])
        make_loss(cfg)(logits.reshape(-1, 50), tgt[1:].reshape(-1)).backward()
    assert train_flops(cfg, batch, src_len, tgt_len) == counter.get_total_flops()


def test_measure_training_reports_consistent_rates():
    cfg = TranslationConfig(vocab_size=40, n_embd=16, n_head=2, n_feedforward=32, n_encoder_layer=1, n_decoder_layer=1)
    r = measure_training(cfg, batch=4, src_len=6, tgt_len=5, steps=2)
    assert r["tgt_tokens_per_s"] * r["step_s"] == pytest.approx(4 * 5)
    assert r["gflops"] * 1e9 * r["step_s"] == pytest.approx(train_flops(cfg, 4, 6, 5))


def test_main_refuses_unknown_configs(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--configs", "gpt-5"])
    assert exit.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
