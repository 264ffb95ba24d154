from __future__ import annotations

import pytest
import torch

from textgen.bpe import train_bpe
from textgen.errors import TextgenError
from textgen.gpt import GPT, GPTConfig, ends_sentence, next_sentences, sentence_end_ids

CONFIG = GPTConfig(block_size=8, vocab_size=40, n_layer=1, n_head=2, n_embd=16, dropout=0.1)


@pytest.fixture
def model() -> GPT:
    torch.manual_seed(0)
    return GPT(CONFIG)


def prompt(rows: int = 1, length: int = 3) -> torch.Tensor:
    return torch.randint(0, 40, (rows, length), generator=torch.Generator().manual_seed(5))


def test_seeded_generator_makes_sampling_reproducible(model):
    a = model.generate(prompt(2), 20, generator=torch.Generator().manual_seed(1))
    b = model.generate(prompt(2), 20, generator=torch.Generator().manual_seed(1))
    c = model.generate(prompt(2), 20, generator=torch.Generator().manual_seed(2))
    assert a.shape == (2, 23) and torch.equal(a[:, :3], prompt(2))
    assert torch.equal(a, b) and not torch.equal(a, c)


def greedy_by_hand(model: GPT, idx: torch.Tensor, n: int) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        for _ in range(n):
            logits, _ = model(idx[:, -CONFIG.block_size:])
            idx = torch.cat((idx, logits[:, -1].argmax(-1, keepdim=True)), dim=1)
    return idx


@pytest.mark.parametrize("temperature", [0.0, -1.0])
def test_temperature_zero_or_below_is_argmax(model, temperature):
    out = model.generate(prompt(2), 12, temperature=temperature, generator=torch.Generator().manual_seed(3))
    assert torch.equal(out, greedy_by_hand(model, prompt(2), 12))


def test_context_is_cropped_to_block_size(model):
    long = prompt(1, 20)
    out = model.generate(long, 5, temperature=0)
    assert out.shape == (1, 25)
    assert torch.equal(out[:, -5:], model.generate(long[:, -8:], 5, temperature=0)[:, -5:])


def test_top_k_beyond_vocab_is_clamped_and_top_1_is_greedy(model):
    unrestricted = model.generate(prompt(), 15, generator=torch.Generator().manual_seed(4))
    huge_k = model.generate(prompt(), 15, top_k=10**6, generator=torch.Generator().manual_seed(4))
    assert torch.equal(unrestricted, huge_k)
    assert torch.equal(model.generate(prompt(), 15, top_k=1, generator=torch.Generator().manual_seed(4)),
                       greedy_by_hand(model, prompt(), 15))


def test_top_k_only_samples_the_k_best(model):
    idx = prompt()
    model.eval()
    with torch.no_grad():
        best = set(model(idx)[0][0, -1].topk(3).indices.tolist())
    seen = {model.generate(idx, 1, temperature=5.0, top_k=3, generator=torch.Generator().manual_seed(s))[0, -1].item()
            for s in range(60)}
    assert seen == best


def test_bad_top_k_is_refused(model):
    with pytest.raises(TextgenError, match="top_k"):
        model.generate(prompt(), 1, top_k=0)


def test_generation_restores_training_mode(model):
    model.train()
    model.generate(prompt(), 2)
    assert model.training
    model.eval()
    model.generate(prompt(), 2)
    assert not model.training


def test_stop_ids_end_generation(model):
    greedy = model.generate(prompt(), 10, temperature=0)[0, 3:].tolist()
    stop = greedy[2]
    first = greedy.index(stop)
    out = model.generate(prompt(), 10, temperature=0, stop_ids=[stop])[0, 3:].tolist()
    assert out == greedy[:first + 1]


def test_stopped_rows_repeat_their_stop_id(model):
    rows = prompt(2)
    greedy = model.generate(rows, 10, temperature=0)[:, 3:].tolist()
    stops = {greedy[0][0], greedy[1][3]}
    firsts = [next(i for i, t in enumerate(row) if t in stops) for row in greedy]
    assert firsts[0] != firsts[1]
    end = max(firsts) + 1
    expected = [row[:f + 1] + [row[f]] * (end - f - 1) for row, f in zip(greedy, firsts, strict=True)]
    assert model.generate(rows, 10, temperature=0, stop_ids=stops)[:, 3:].tolist() == expected


def test_ends_sentence():
    assert [ends_sentence(t) for t in ["sat.", " now!", "why?", '."', "?)\n", "Mr", "3.5", "[SEP]"]] == [
        True, True, True, True, True, False, False, False]


TEXT = "The cat sat on the mat. The dog ran to the log! Why did the cat sit? The dog knew. " * 4


def test_next_sentences_after_memorising_a_text():
    torch.manual_seed(0)
    tok = train_bpe([TEXT], vocab_size=285)
    assert {i for i in sentence_end_ids(tok) if i < 256} == {ord("."), ord("!"), ord("?")}
    data = torch.tensor(tok.encode(TEXT))
    model = GPT(GPTConfig(block_size=24, vocab_size=tok.vocab_size, n_layer=2, n_head=2, n_embd=48, dropout=0.0))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    for _ in range(150):
        starts = torch.randint(0, len(data) - 25, (8,), generator=g)
        x = torch.stack([data[s:s + 24] for s in starts])
        y = torch.stack([data[s + 1:s + 25] for s in starts])
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    assert next_sentences(model, tok, "The cat sat", temperature=0) == " on the mat."
    two = next_sentences(model, tok, "The cat sat", n_sentences=2, temperature=0)
    assert two == " on the mat. The dog ran to the log!"
    assert next_sentences(model, tok, "The cat sat", n_sentences=3, max_new_tokens=4, temperature=0) == \
        tok.decode(tok.encode(" on the mat. The dog ran to the log!")[:4])
    on = tok.encode(" on")[0]
    assert next_sentences(model, tok, "The cat sat", temperature=0, stop_ids=[on]) == ""


def test_next_sentences_refuses_empty_prompt(model):
    tok = train_bpe([TEXT], vocab_size=285)
    with pytest.raises(TextgenError, match="prompt: empty"):
        next_sentences(model, tok, "")
