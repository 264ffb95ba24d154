"""generate_batch: every prompt of a batch gets the text it would get alone (greedy decoding, where
the batch cannot change the search), with its own length allowance; beams and samples run too."""

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer

from textgen.errors import TextgenError
from textgen.finetune.generate import generate_batch
from textgen.finetune.settings import CausalSettings

PROMPTS = ["the king", "my lord I will kill you here is the apple"]  # far apart in length: padding shows


@pytest.fixture(scope="module")
def lm(tiny_base):
    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return AutoModelForCausalLM.from_pretrained(tiny_base), tokenizer


def test_a_batch_writes_what_each_prompt_writes_alone(lm):
    model, tokenizer = lm
    greedy = CausalSettings(max_length=60, num_beams=1, no_repeat_ngram_size=0)
    alone = [generate_batch(model, tokenizer, [p], "beam", greedy, seed=0)[0] for p in PROMPTS]
    # Equal texts: the short prompt was allowed its own max_length - its length new tokens, not
    # the long one's (a random model seldom stops early: its text would be cut short).
    assert generate_batch(model, tokenizer, PROMPTS, "beam", greedy, seed=0) == alone


def test_beams_and_samples_of_a_batch_start_with_their_prompts_and_repeat_with_the_seed(lm):
    model, tokenizer = lm
    settings = CausalSettings(max_length=56)
    for decoding in ("beam", "sample"):
        texts = generate_batch(model, tokenizer, PROMPTS, decoding, settings, seed=3)
        assert [t[:len(p)] for t, p in zip(texts, PROMPTS, strict=True)] == PROMPTS
        assert generate_batch(model, tokenizer, PROMPTS, decoding, settings, seed=3) == texts
    assert tokenizer.padding_side == AutoTokenizer.from_pretrained(model.name_or_path).padding_side  # restored


def test_a_prompt_longer_than_max_length_is_named(lm):
    model, tokenizer = lm
    with pytest.raises(TextgenError, match="max_length: 12 tokens leave nothing.*my lord"):
        generate_batch(model, tokenizer, PROMPTS, "beam", CausalSettings(max_length=12), seed=0)
