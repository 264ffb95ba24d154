import doctest
import importlib

import pytest

MODULES = ["settings", "base_model", "model_source", "chunks", "lyrics", "spm_tokenizer", "resume", "generate",
           "history", "random_llama"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"textgen.finetune.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
