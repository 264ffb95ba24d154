"""The examples in the translate modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest

import pytest

from textgen.translate import batch, bench, config, decode, masks, model, train


@pytest.mark.parametrize("module", [batch, bench, config, decode, masks, model, train], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
