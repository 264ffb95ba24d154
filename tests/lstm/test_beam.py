import itertools
import math

import pytest
import torch

from textgen.errors import TextgenError
from textgen.lstm.beam import beam_search, write_better_seed
from textgen.lstm.generate import write

VOCAB = 5
WORDS = ["a", "b", "c", "d", "e"]
WORD2IDX = {w: i for i, w in enumerate(WORDS)}


def exact_logprob(model, prompt, continuation):
    """log P(continuation | prompt), the sequence run through forward on its own."""
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([prompt + continuation]))[0].double(), dim=-1)
    return sum(float(logp[len(prompt) - 1 + i, w]) for i, w in enumerate(continuation))


def test_beam_search_equals_exhaustive_search(kind, make_model):
    model = make_model(kind, vocab_size=VOCAB)
    prompt, steps = [1, 3], 3
    k = VOCAB ** (steps - 1)  # keeps every prefix, so the top k must be exact
    every = sorted(((prompt + list(c), exact_logprob(model, prompt, list(c)))
                    for c in itertools.product(range(VOCAB), repeat=steps)), key=lambda r: -r[1])
    found = beam_search(model, prompt, max_new=steps, k=k)
    assert [ids for ids, _ in found] == [ids for ids, _ in every[:k]]
    assert all(abs(a - b) < 1e-5 for (_, a), (_, b) in zip(found, every[:k]))


def test_narrow_beams_are_sorted_and_scored_exactly(make_model):
    model = make_model("attention", vocab_size=VOCAB)
    found = beam_search(model, [2], max_new=4, k=3)
    assert len(found) == 3 and all(len(ids) == 5 and ids[0] == 2 for ids, _ in found)
    assert found[0][1] >= found[1][1] >= found[2][1]
    for ids, score in found:
        assert abs(score - exact_logprob(model, [2], ids[1:])) < 1e-5


def test_beam_of_one_is_greedy(kind, make_model):
    model = make_model(kind, vocab_size=VOCAB)
    (ids, _), = beam_search(model, [WORD2IDX["b"]], max_new=6, k=1)
    assert [WORDS[i] for i in ids] == write(model, WORD2IDX, WORDS, ["b"], max_words=6, greedy=True)


def test_the_seed_beam_search_reports_scores_of_no_returned_sequence(make_model):
    # Listing 6 on the listed attention model, the seed's setting.
    model = make_model("attention", vocab_size=VOCAB)
    texts, probs = write_better_seed(model, WORD2IDX, WORDS, ["b"], max_words=4, k=3)
    reported = torch.log(probs.double())  # the seed reports exp(sum of log10 p)
    gaps = []
    for text, score in zip(texts, reported):
        ids = [WORD2IDX[w] for w in text]
        true = 0.0  # log10 P(text) under the seed's own decoding, the text on its own
        with torch.no_grad():
            logits, state = model.listing_step(torch.tensor([ids[:1]]), None)
            for w in ids[1:]:
                true += float(torch.log10(torch.softmax(logits[0, -1].double(), -1)[w]))
                logits, state = model.listing_step(torch.tensor([[w]]), state)
        gaps.append(abs(float(score) - true))
        # Even read as the log10 sum it was built from, exp(.) is not a probability: 10**(.) would be.
        assert not math.isclose(float(probs[len(gaps) - 1]), 10 ** true, rel_tol=1e-3)
    assert max(gaps) > 0.05


def test_the_seed_beam_search_is_k_copies_of_greedy_on_independent_rows(make_model):
    model = make_model("simple", vocab_size=VOCAB)
    texts, probs = write_better_seed(model, WORD2IDX, WORDS, ["c"], max_words=5, k=3)
    greedy = write(model, WORD2IDX, WORDS, ["c"], max_words=5, greedy=True)
    assert texts == [greedy] * 3
    true = exact_logprob(model, [2], [WORD2IDX[w] for w in greedy[1:]]) / math.log(10)
    assert torch.allclose(torch.log(probs.double()), torch.full((3,), true, dtype=torch.float64), atol=1e-5)


def test_beam_arguments_are_checked(make_model):
    model = make_model("simple", vocab_size=VOCAB)
    with pytest.raises(TextgenError, match="k must be a positive integer"):
        beam_search(model, [1], max_new=2, k=0)
    with pytest.raises(TextgenError, match="prompt"):
        beam_search(model, [], max_new=2, k=2)
    with pytest.raises(TextgenError, match="'z' is not in the vocabulary"):
        write_better_seed(model, WORD2IDX, WORDS, ["z"], max_words=2, k=2)


@pytest.mark.parametrize("kind", ["attention", "multihead"])
def test_rows_alone_gives_each_row_what_a_batch_of_one_gives(kind, make_model):
    model = make_model(kind).eval()
    ids = torch.randint(0, 11, (3, 4), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits, (h, c) = model.step(ids[:, :2], None, rows_alone=True)
        logits2, _ = model.step(ids[:, 2:], (h, c), rows_alone=True)
        mixed, _ = model.step(ids, None)
        for row in range(3):
            alone, state = model.step(ids[row : row + 1, :2], None)
            alone2, _ = model.step(ids[row : row + 1, 2:], state)
            torch.testing.assert_close(logits[row], alone[0], rtol=1e-5, atol=1e-5)
            torch.testing.assert_close(logits2[row], alone2[0], rtol=1e-5, atol=1e-5)
            torch.testing.assert_close(h[:, row], state[0][:, 0], rtol=1e-5, atol=1e-5)
    assert not torch.allclose(mixed[:, 2:], logits2, atol=1e-4)  # the listed batch does mix rows
