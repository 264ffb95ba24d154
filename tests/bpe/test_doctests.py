import doctest

import pytest

import textgen.bpe.bench
import textgen.bpe.tiktoken_ranks
import textgen.bpe.tokenizer
import textgen.bpe.train


@pytest.mark.parametrize("module", [textgen.bpe.tokenizer, textgen.bpe.train, textgen.bpe.tiktoken_ranks,
                                    textgen.bpe.bench])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
