import pytest
import torch

from textgen.errors import TextgenError
from textgen.lstm import LSTMConfig, WordLSTM
from textgen.lstm.generate import write

WORDS = ["<unk>", "Spells", "Harry", "said", "Ron", ",", ".", "wand", "the", "owl", "Hermione"]
WORD2IDX = {w: i for i, w in enumerate(WORDS)}


def reference(model, prompt, n, pick):
    """Generation the slow, obviously right way: the whole text through forward for every word."""
    ids = [WORD2IDX[w] for w in prompt]
    with torch.no_grad():
        for _ in range(n):
            ids.append(pick(model(torch.tensor([ids]))[0, -1]))
    return [WORDS[i] for i in ids]


def test_greedy_write_carries_the_state(kind, make_model):
    model = make_model(kind)
    out = write(model, WORD2IDX, WORDS, ["Spells", "Harry"], max_words=8, greedy=True)
    assert out == reference(model, ["Spells", "Harry"], 8, lambda logits: int(logits.argmax()))
    assert len(out) == 10 and out[:2] == ["Spells", "Harry"]


def test_sampled_write_is_reproducible_and_matches_the_reference(kind, make_model):
    model = make_model(kind)
    out = write(model, WORD2IDX, WORDS, ["Spells"], max_words=12, temperature=0.8,
                generator=torch.Generator().manual_seed(7))
    again = write(model, WORD2IDX, WORDS, ["Spells"], max_words=12, temperature=0.8,
                  generator=torch.Generator().manual_seed(7))
    g = torch.Generator().manual_seed(7)
    expected = reference(model, ["Spells"], 12,
                         lambda logits: int(torch.multinomial(torch.softmax(logits / 0.8, -1), 1, generator=g)))
    assert out == again == expected
    others = {tuple(write(model, WORD2IDX, WORDS, ["Spells"], max_words=12, generator=torch.Generator().manual_seed(s)))
              for s in range(4)}
    assert len(others) > 1  # sampling does sample


def test_a_tiny_temperature_is_greedy(make_model):
    model = make_model("multihead_fixed")
    greedy = write(model, WORD2IDX, WORDS, ["Ron"], max_words=10, greedy=True)
    cold = write(model, WORD2IDX, WORDS, ["Ron"], max_words=10, temperature=1e-4,
                 generator=torch.Generator().manual_seed(0))
    assert cold == greedy


def test_write_restores_training_mode_and_kernels(make_model):
    model = make_model("simple")
    model.train()
    onednn = torch.backends.mkldnn.enabled
    write(model, WORD2IDX, WORDS, ["Ron"], max_words=2, greedy=True)
    assert model.training and torch.backends.mkldnn.enabled == onednn


def test_bad_prompts_and_parameters_are_named(make_model):
    model = make_model("simple")
    with pytest.raises(TextgenError, match=r"prompt word 'Dumbledore' is not in the vocabulary \(11 words\).*'<unk>'"):
        write(model, WORD2IDX, WORDS, ["Harry", "Dumbledore"], max_words=3)
    with pytest.raises(TextgenError, match="list of words"):
        write(model, WORD2IDX, WORDS, "Harry", max_words=3)
    with pytest.raises(TextgenError, match="at least one word"):
        write(model, WORD2IDX, WORDS, [], max_words=3)
    with pytest.raises(TextgenError, match="temperature must be positive"):
        write(model, WORD2IDX, WORDS, ["Harry"], max_words=3, temperature=0.0)
    with pytest.raises(TextgenError, match="max_words"):
        write(model, WORD2IDX, WORDS, ["Harry"], max_words=-1)
    assert write(model, WORD2IDX, dict(enumerate(WORDS)), ["Harry"], max_words=0) == ["Harry"]


def test_as_listed_decodes_with_autograd_on_and_torch_defaults():
    from textgen.lstm.generate import as_listed, evaluating

    model = WordLSTM(LSTMConfig(vocab_size=5, embedding_dim=4, hidden_size=4))
    with evaluating(model):  # textgen's decoding: no autograd, native LSTM kernels
        assert not torch.is_grad_enabled() and not model.training
        assert not torch.backends.mkldnn.enabled
    with as_listed(), evaluating(model):  # the listings' way: eval mode only
        assert torch.is_grad_enabled() and not model.training
        assert torch.backends.mkldnn.enabled == torch.backends.mkldnn.is_available()
    assert model.training
