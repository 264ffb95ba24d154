"""Report sections, in report order. Adding one: a module here with `render(ctx) -> Section | None`
(None when its artifacts do not exist), an entry in SECTIONS, and its files in the rule file's
`report_inputs` (workflow/rules/*.smk) so the report rule waits for them."""

from textgen.report.sections import corpora, provenance, report_b_translate

SECTIONS = [corpora.render, report_b_translate.render, provenance.render]
