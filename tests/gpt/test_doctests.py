import doctest

import pytest

import textgen.gpt.flops
import textgen.gpt.model
import textgen.gpt.sentences


@pytest.mark.parametrize("module", [textgen.gpt.model, textgen.gpt.flops, textgen.gpt.sentences])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
