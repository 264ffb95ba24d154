"""Report sections, in report order. Adding one: a module here with `render(ctx) -> Section | None`
(None when its artifacts do not exist), an entry in SECTIONS, and its files in the rule file's
`report_inputs` (workflow/rules/*.smk) so the report rule waits for them."""

from textgen.report.sections import (
    comparison,
    corpora,
    performance,
    provenance,
    report_a,
    report_a_noise,
    report_b_finetune,
    report_b_gpt,
    report_b_translate,
)

SECTIONS = [
    corpora.render,
    report_a.render,
    report_a_noise.render,
    report_b_gpt.render,
    report_b_translate.render,
    report_b_finetune.render,
    comparison.render,
    performance.render,
    provenance.render,
]
