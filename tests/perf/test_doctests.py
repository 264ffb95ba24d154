import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["textgen.perf", "textgen.gpt.bench", "textgen.lstm.bench", "textgen.bpe.bench"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
