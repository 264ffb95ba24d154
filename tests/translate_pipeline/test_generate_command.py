"""`textgen generate` on a translation model: the Translator's output, greedy and beam, in a pipe."""

from __future__ import annotations

import io
import sys

from textgen.generate import main
from textgen.translate.translator import Translator


def test_translates_like_the_translator_alone_and_in_a_pipe(trained, capsys, monkeypatch):
    _, out = trained
    translator = Translator.load(out)
    for beam in (0, 3):
        assert main([str(out), "Jeg liker boken.", "--beam", str(beam)]) == 0
        assert capsys.readouterr().out == translator("Jeg liker boken.", beam_size=beam or 1) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO("Jeg liker boken.\nHvem er på skolen?\n"))
    assert main([str(out)]) == 0
    assert capsys.readouterr().out.splitlines() == translator(["Jeg liker boken.", "Hvem er på skolen?"])
