"""Greedy decoding and beam search: agreement, optimality against exhaustive search, stopping."""

from __future__ import annotations

import itertools

import pytest
import torch

from textgen.errors import TextgenError
from textgen.translate import (
    Hypothesis,
    beam_search,
    greedy,
    sequence_logprob,
    translate,
)

SOURCES = ["abc", "j", "hgfedcba", "aabb", "cafe"]


def peaked(model, scale: float = 6.0):
    """Sharpen a random model's next-token distributions, so decoding choices are not coin flips."""
    with torch.no_grad():
        model.generator.weight.mul_(scale)
    return model


def greedy_hypothesis(model, chars, source, max_len):
    ids = greedy(model, [source], chars.bos, chars.eos, max_len)[0]
    length = len(ids) + 1 if len(ids) < max_len else max_len
    return Hypothesis(ids, sequence_logprob(model, source, ids, chars.bos, chars.eos, max_len), length)


@pytest.mark.parametrize("seed", range(3))
def test_beam_size_one_is_greedy(tiny_model, chars, seed):
    model = peaked(tiny_model(seed))
    for text in SOURCES:
        src = chars.encode(text)
        expected = greedy(model, [src], chars.bos, chars.eos, max_len=8)[0]
        assert [h.ids for h in beam_search(model, src, chars.bos, chars.eos, 8, beam_size=1)] == [expected]
        assert translate(model, src, chars.bos, chars.eos, 8, beam_size=1) == expected


def test_batched_greedy_equals_one_sentence_at_a_time(tiny_model, chars):
    model = peaked(tiny_model(1))
    sources = [chars.encode(t) for t in SOURCES]
    batched = translate(model, sources, chars.bos, chars.eos, max_len=8)
    assert batched == [translate(model, s, chars.bos, chars.eos, max_len=8) for s in sources]
    assert len({tuple(ids) for ids in batched}) > 1  # the sources really were decoded apart


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_beam_scores_at_least_as_well_as_greedy(tiny_model, chars, alpha):
    better = 0
    for seed in range(4):
        model = peaked(tiny_model(seed), scale=3.0)
        for text in SOURCES:
            src = chars.encode(text)
            best = beam_search(model, src, chars.bos, chars.eos, 6, beam_size=4, alpha=alpha)[0]
            baseline = greedy_hypothesis(model, chars, src, 6)
            assert best.score(alpha) >= baseline.score(alpha) - 1e-5
            better += best.score(alpha) > baseline.score(alpha) + 1e-5
    assert better > 0  # beam search does find something greedy misses


def test_hypothesis_logprob_is_the_teacher_forced_logprob(tiny_model, chars):
    model = peaked(tiny_model(2), scale=3.0)
    src = chars.encode("bead")
    hyps = beam_search(model, src, chars.bos, chars.eos, 5, beam_size=6)
    assert len(hyps) == 6
    for h in hyps:
        assert h.logprob == pytest.approx(sequence_logprob(model, src, h.ids, chars.bos, chars.eos, 5), abs=1e-4)
        assert h.length == (len(h.ids) + 1 if len(h.ids) < 5 else 5)


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_a_beam_as_large_as_the_output_space_is_exhaustive_search(tiny_model, chars, alpha):
    # vocabulary of 5 (PAD, BOS, EOS, a, b), at most 3 generated tokens: outputs are 0-2 non-EOS
    # tokens then EOS (1 + 4 + 16) or 3 non-EOS tokens cut off (64): 85 in all.
    model = peaked(tiny_model(0, vocab_size=5), scale=2.0)
    src, max_len = [3, 4, 4], 3
    non_eos = [t for t in range(5) if t != chars.eos]
    outputs = [list(o) for n in range(max_len + 1) for o in itertools.product(non_eos, repeat=n)]
    assert len(outputs) == 85
    exhaustive = {tuple(o): Hypothesis(o, sequence_logprob(model, src, o, chars.bos, chars.eos, max_len),
                                       len(o) + 1 if len(o) < max_len else max_len) for o in outputs}
    found = beam_search(model, src, chars.bos, chars.eos, max_len, beam_size=85, alpha=alpha)
    assert sorted(tuple(h.ids) for h in found) == sorted(exhaustive)
    # the documented normalisation, written out: L counts EOS, or is max_len for a cut-off output
    def length(o):
        return len(o) + 1 if len(o) < max_len else max_len

    best = max(outputs, key=lambda o: exhaustive[tuple(o)].logprob / length(o) ** alpha)
    assert found[0].ids == best
    assert found[0].score(alpha) == pytest.approx(exhaustive[tuple(best)].score(alpha), abs=1e-4)


def test_hypothesis_score_is_logprob_over_length_to_the_alpha():
    h = Hypothesis(ids=[5, 6, 7], logprob=-6.0, length=4)  # ended: 3 tokens + EOS
    assert (h.score(0.0), h.score(1.0), h.score(0.5)) == (-6.0, -1.5, -3.0)


def test_decoding_stops_at_eos(tiny_model, chars):
    model = tiny_model(0)
    with torch.no_grad():  # whatever the input, EOS is by far the likeliest next token
        model.generator.weight.zero_()
        model.generator.bias.zero_()
        model.generator.bias[chars.eos] = 10.0
    calls = 0
    decode = model.decode

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return decode(*args, **kwargs)

    model.decode = counting
    assert translate(model, [chars.encode("abc"), chars.encode("d")], chars.bos, chars.eos, max_len=20) == [[], []]
    assert calls == 1
    calls = 0
    hyps = beam_search(model, chars.encode("abc"), chars.bos, chars.eos, 20, beam_size=3)
    # step 1: EOS finishes, two others stay open; step 2: both finish with EOS
    assert calls == 2 and [len(h.ids) for h in hyps] == [0, 1, 1]


def test_max_len_caps_the_output(tiny_model, chars):
    model = tiny_model(0)
    with torch.no_grad():  # never EOS
        model.generator.bias[chars.eos] = -1e4
    out = translate(model, [chars.encode("ab"), chars.encode("c")], chars.bos, chars.eos, max_len=4)
    assert [len(ids) for ids in out] == [4, 4]
    hyps = beam_search(model, chars.encode("ab"), chars.bos, chars.eos, 4, beam_size=2)
    assert [h.length for h in hyps] == [4, 4]


def test_decoding_restores_training_mode(tiny_model, chars):
    model = tiny_model().train()
    translate(model, chars.encode("ab"), chars.bos, chars.eos, max_len=3, beam_size=2)
    assert model.training


@pytest.mark.parametrize("kwargs, named", [(dict(max_len=0), "max_len"), (dict(max_len=3, beam_size=0), "beam_size")])
def test_bad_decoding_arguments(tiny_model, chars, kwargs, named):
    with pytest.raises(TextgenError, match=named):
        translate(tiny_model(), chars.encode("ab"), chars.bos, chars.eos, **kwargs)
