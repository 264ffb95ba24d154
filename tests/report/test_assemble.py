import base64

from textgen.report.assemble import slug, summary, to_html, to_markdown
from textgen.report.context import Section
from textgen.report.markdown import table


def test_markdown_has_contents_linking_every_section():
    text = to_markdown("T", [Section("Corpora", "body"), Section("Report A: LSTMs", "x")])
    assert "1. [Corpora](#corpora)\n2. [Report A: LSTMs](#report-a-lstms)" in text
    assert "## Report A: LSTMs\n\nx" in text


def test_html_embeds_figures_and_links_the_contents(tmp_path):
    png = b"\x89PNG\r\n\x1a\nfake"
    (tmp_path / "plot.png").write_bytes(png)
    page = to_html("T", [Section("Loss <curves>", "![c](figures/plot.png)\n\n| a | b |\n|--|--|\n| 1 | 2 |")], tmp_path)
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in page
    assert '<a href="#loss-curves">Loss &lt;curves&gt;</a>' in page
    assert "<table>" in page and "figures/plot.png" not in page


def test_table_formats_numbers_and_escapes_pipes():
    assert table(["a", "n"], [["x|y", 1234567], ["z", 0.01234]]).splitlines() == [
        "| a | n |", "|:--|--:|", "| x\\|y | 1,234,567 |", "| z | 0.0123 |",
    ]



def test_generated_text_cannot_reorder_or_hide_the_page(tmp_path):
    """A right-to-left override or a zero-width space that a model emits reaches the HTML as a visible
    code point, like a NUL's control picture, never as the invisible character itself."""
    from textgen.report.markdown import literal

    sample = "safe\u202eevil\u200bhidden\u2066x\u2069\x00\ufeff\x85"
    page = to_html("T", [Section("Samples", table(["text"], [[literal(sample)]]))], tmp_path)
    for char in "\u202e\u200b\u2066\u2069\x00\ufeff\x85":
        assert char not in page, f"U+{ord(char):04X} reached the page"
    for shown in ("\u27e8U+202E\u27e9", "\u27e8U+200B\u27e9", "\u27e8U+FEFF\u27e9", "\u27e8U+0085\u27e9", "\u2400"):
        assert shown in page
    assert literal("Tú, naïve café — ok") == "Tú, naïve café — ok"  # ordinary letters and punctuation pass


def test_summary_comes_from_the_sections_and_links_each_line_to_its_section(tmp_path):
    sections = [Section("Corpora", "c", findings=["5 corpora."], not_reproduced=["The seeds' data: stand-ins."]),
                Section("Report A: LSTMs", "a", findings=["Attention weight 1.", "Perplexity 12.5."]),
                Section("Provenance", "p")]
    first = summary(sections)
    assert first.title == "Summary"
    lines = [line for line in first.markdown.splitlines() if line.startswith("- ")]
    assert lines == ["- 5 corpora. ([Corpora](#corpora))", "- Attention weight 1. ([Report A: LSTMs](#report-a-lstms))",
                     "- Perplexity 12.5. ([Report A: LSTMs](#report-a-lstms))",
                     "- The seeds' data: stand-ins. ([Corpora](#corpora))"]
    page = to_html("T", [first, *sections], tmp_path)
    for target in ("corpora", "report-a-lstms"):
        assert f'href="#{target}"' in page and f'id="{target}"' in page
    assert summary([Section("Provenance", "p")]) is None
    assert slug("Summary") == "summary"
