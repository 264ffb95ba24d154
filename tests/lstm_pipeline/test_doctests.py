import doctest
import importlib

import pytest

MODULES = ["textgen.lstm.settings", "textgen.lstm.data", "textgen.lstm.state", "textgen.lstm.scoring",
           "textgen.lstm.loop", "textgen.lstm.texts", "textgen.lstm.lightning", "textgen.lstm.optimizers",
           "textgen.lstm.beamtree", "textgen.lstm.findings"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
