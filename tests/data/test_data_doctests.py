import doctest

import pytest

import textgen.data.archive
import textgen.data.args
import textgen.data.clean
import textgen.data.extract
import textgen.data.extractors
import textgen.data.fetch
import textgen.data.pairs
import textgen.data.poems
import textgen.data.raw
import textgen.data.rlazyload

MODULES = [textgen.data.archive, textgen.data.args, textgen.data.clean, textgen.data.extract,
           textgen.data.extractors, textgen.data.fetch, textgen.data.pairs, textgen.data.poems,
           textgen.data.raw, textgen.data.rlazyload]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
