"""`textgen report`: assemble report/report.md and a self-contained report/index.html.

Sections (textgen.report.sections) each render what exists; the HTML embeds every figure as a data
URI and opens with a table of contents, so the one file can be published as it is.
"""

from __future__ import annotations

import argparse
import base64
import html
import re
from pathlib import Path

from markdown_it import MarkdownIt

from textgen.config import project_root
from textgen.data.args import json_arg
from textgen.io import atomic_path
from textgen.report.context import Context, Section
from textgen.report.provenance import git_state
from textgen.report.sections import SECTIONS

# Readable on a phone: the page never scrolls sideways (a wide table scrolls inside itself, long
# words and hashes wrap); in print, tables are whole and figures are not cut across pages.
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
h1, h2, h3, p, li { overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; display: block; max-width: 100%; overflow-x: auto; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; overflow-wrap: break-word; }
th { background: #f3f3f3; }
img { max-width: 100%; height: auto; }
code { font-size: 0.85rem; word-break: break-all; }
pre { background: #f6f6f6; padding: 0.75rem; overflow-x: auto; }
nav { background: #fafafa; border: 1px solid #ddd; padding: 0.5rem 1rem; }
@media (max-width: 600px) { body { margin: 1rem auto; padding: 0 0.5rem; } h1 { font-size: 1.6rem; } table { font-size: 0.8rem; } }
@media print { body { max-width: none; margin: 0; } nav { display: none; } table { display: table; font-size: 0.75rem; }
  img, table, pre { break-inside: avoid; } h2, h3 { break-after: avoid; } }
"""


def slug(title: str) -> str:
    """GitHub-style heading anchor.

    >>> slug("Report A: the word-level corpus")
    'report-a-the-word-level-corpus'
    """
    return re.sub(r"[^\w\- ]", "", title.lower()).strip().replace(" ", "-")


def summary(sections: list[Section]) -> Section | None:
    """The Summary, first in the report: the sections' findings and what they could not reproduce,
    each line linked to its section. None when no section has anything to say.

    >>> s = summary([Section("Corpora", "...", findings=["5 corpora."], not_reproduced=["The seeds' data."],
    ...                      departures=["Listing 2 reads UTF-8."])])
    >>> print(s.markdown)
    What this run reproduced and found, each with its section:
    <BLANKLINE>
    - 5 corpora. ([Corpora](#corpora))
    <BLANKLINE>
    What could not be reproduced, and why:
    <BLANKLINE>
    - The seeds' data. ([Corpora](#corpora))
    <BLANKLINE>
    Where the code departs from the seeds' listings, each measured in its section:
    <BLANKLINE>
    - Listing 2 reads UTF-8. ([Corpora](#corpora))
    """
    def lines(attribute: str) -> str:
        return "\n".join(f"- {line} ([{s.title}](#{slug(s.title)}))" for s in sections for line in getattr(s, attribute))

    found, missing, departures = lines("findings"), lines("not_reproduced"), lines("departures")
    if not found and not missing and not departures:
        return None
    parts = [f"What this run reproduced and found, each with its section:\n\n{found}" if found else "",
             f"What could not be reproduced, and why:\n\n{missing}" if missing else "",
             f"Where the code departs from the seeds' listings, each measured in its section:\n\n{departures}"
             if departures else ""]
    return Section("Summary", "\n\n".join(p for p in parts if p))


def to_markdown(title: str, sections: list[Section]) -> str:
    toc = "\n".join(f"{i}. [{s.title}](#{slug(s.title)})" for i, s in enumerate(sections, 1))
    body = "\n\n".join(f"## {s.title}\n\n{s.markdown}" for s in sections)
    return f"# {title}\n\n## Contents\n\n{toc}\n\n{body}\n"


def to_html(title: str, sections: list[Section], figures_dir: Path, link_prefix: str = "figures") -> str:
    """The page; images linked as `link_prefix/NAME` in the Markdown are read from `figures_dir` and embedded."""
    renderer = MarkdownIt("commonmark", {"html": True}).enable("table")
    toc = "".join(f'<li><a href="#{slug(s.title)}">{html.escape(s.title)}</a></li>' for s in sections)
    body = "".join(
        f'<section><h2 id="{slug(s.title)}">{html.escape(s.title)}</h2>{renderer.render(s.markdown)}</section>'
        for s in sections
    )

    def embed(match: re.Match) -> str:
        name = Path(match.group(1)).name
        data = base64.b64encode((figures_dir / name).read_bytes()).decode("ascii")
        return f'src="data:image/png;base64,{data}"'

    body = re.sub(rf'src="{re.escape(link_prefix)}/([^"]+)"', embed, body)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<nav><strong>Contents</strong><ol>{toc}</ol></nav>{body}</body></html>\n"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen report", description=__doc__.splitlines()[0])
    parser.add_argument("--title", required=True)
    parser.add_argument("--params-file", type=Path, required=True)
    parser.add_argument("--sources", nargs="*", type=Path, default=[])
    parser.add_argument("--benchmarks", nargs="*", type=Path, default=[])
    parser.add_argument("--artifacts", nargs="*", type=Path, default=[], help="what the sections read")
    parser.add_argument("--jobs", default="{}", help="JSON: job name -> its rule, name, outputs and params keys")
    parser.add_argument("--markdown", type=Path, required=True)
    parser.add_argument("--html", type=Path, required=True)
    args = parser.parse_args(argv)

    figures_dir = args.markdown.parent / "figures"
    with atomic_path(figures_dir) as staged:
        ctx = Context(
            root=project_root(),
            params_file=args.params_file,
            source_dirs=args.sources,
            benchmark_files=args.benchmarks,
            figures_dir=figures_dir,
            staged_figures=staged,
            title=args.title,
            artifacts=args.artifacts,
            jobs=list(json_arg(args.jobs, "--jobs").values()),
            commit=git_state(project_root()),
        )
        staged.mkdir(parents=True)
        sections = [s for render in SECTIONS if (s := render(ctx)) is not None]
        sections = [s for s in [summary(sections)] if s] + sections
        markdown = to_markdown(args.title, sections)
        page = to_html(args.title, sections, staged, link_prefix=figures_dir.name)
        with atomic_path(args.markdown) as tmp_md, atomic_path(args.html) as tmp_html:
            tmp_md.write_text(markdown, encoding="utf-8")
            tmp_html.write_text(page, encoding="utf-8")
    print(f"{args.html}: {len(sections)} sections, {len(ctx.figures)} figures")
    return 0
