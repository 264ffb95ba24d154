"""Every docstring example in the textgen package runs and gives what it shows."""

import doctest
import importlib
import pkgutil

import pytest

import textgen


def modules_with_examples() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(textgen.__path__, "textgen.") if not m.name.endswith("__main__")]
    finder = doctest.DocTestFinder()
    return [name for name in ["textgen", *names]
            if any(test.examples for test in finder.find(importlib.import_module(name)))]


MODULES = modules_with_examples()


def test_examples_are_found():
    assert {"textgen.linear", "textgen.gpt.model", "textgen.lstm.beam", "textgen.perf"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
