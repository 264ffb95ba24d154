import doctest

import pytest

import textgen.bpe.corpus
import textgen.gpt.dataset
import textgen.gpt.heldout
import textgen.gpt.resume
import textgen.gpt.sample
import textgen.gpt.schedule
import textgen.report.sections.report_b_gpt

MODULES = [textgen.bpe.corpus, textgen.gpt.dataset, textgen.gpt.heldout, textgen.gpt.resume, textgen.gpt.sample,
           textgen.gpt.schedule, textgen.report.sections.report_b_gpt]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
