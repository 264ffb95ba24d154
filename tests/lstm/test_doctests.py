import doctest
import importlib

import pytest

MODULES = ["textgen.lstm", "textgen.lstm.config", "textgen.lstm.simple", "textgen.lstm.attention",
           "textgen.lstm.multihead", "textgen.lstm.causal", "textgen.lstm.generate", "textgen.lstm.beam",
           "textgen.lstm.worked_examples", "textgen.lstm.bench"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
