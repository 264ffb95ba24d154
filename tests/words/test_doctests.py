import doctest
import importlib

import pytest

MODULES = ["textgen.words", "textgen.words.tokenizer", "textgen.words.vocab", "textgen.words.memmap",
           "textgen.words.dataset", "textgen.words.prepare"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
