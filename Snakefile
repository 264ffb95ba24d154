# textgen: regenerate both seed reports, from raw text to report/index.html.
#   snakemake --cores all          # everything, on the profile in params.yaml
#   textgen profile tiny           # switch params.yaml to another profile (tiny, default, paper)
# DVC runs the same DAG (dvc.yaml is generated from these rules: `textgen dvc-yaml`).

configfile: "params.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/lstm.smk"
include: "workflow/rules/gpt.smk"
include: "workflow/rules/finetune.smk"
include: "workflow/rules/translate.smk"
include: "workflow/rules/perf.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        "report/index.html",
        job_outputs,  # every job's outputs, so that a missing one is rebuilt (register_jobs)
    default_target: True


onsuccess:
    record_in_dvc_lock()
