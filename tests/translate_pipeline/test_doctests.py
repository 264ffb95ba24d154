"""The examples in the new translate modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest

import pytest

from textgen.translate import (
    apertium,
    checkpoint,
    corpus,
    pipeline,
    prompts,
    score,
    translator,
    vocab,
)

MODULES = [apertium, checkpoint, corpus, pipeline, prompts, score, translator, vocab]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
