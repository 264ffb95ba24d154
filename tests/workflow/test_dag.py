"""The DAG itself: dvc.yaml agrees with the Snakemake rules, every rule is complete, lint is clean."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from textgen.workflow.dag import snakemake_dag, snakemake_jobs
from textgen.workflow.dvcgen import render

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def test_committed_dvc_yaml_is_generated_from_the_rules():
    assert (ROOT / "dvc.yaml").read_text() == render(snakemake_dag(ROOT)), "run `textgen dvc-yaml`"


def test_every_job_has_log_benchmark_and_code_but_no_code_inputs():
    for job in snakemake_jobs(ROOT):
        assert job.logs and job.benchmark, job.stage
        assert any(f.startswith("src/textgen/") for f in job.code), job.stage
        assert any(f.startswith("workflow/rules/") for f in job.code), job.stage
        assert not any(f.startswith(("src/", "workflow/")) for f in job.inputs), job.stage  # a digest in params


def test_every_stage_runs_its_job_through_snakemake():
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    for name, stage in stages.items():
        rule = name.split("-")[0]
        assert re.search(rf"snakemake .* --allowed-rules {rule} -- ", stage["cmd"]), name
        outs = {path: flags for out in stage["outs"] for path, flags in out.items()}
        assert set(outs) >= {o for o in stage["cmd"].split(" -- ")[1].split()}, name
        # DVC must not delete finished outputs before Snakemake has validated params.yaml
        assert all(flags == {"persist": True} for flags in outs.values()), name


def test_stage_params_are_the_keys_the_rule_reads():
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    assert stages["fetch-corpora-austen"]["params"] == ["corpora.austen.source"]
    assert stages["prepare_words"]["params"] == ["seed", "words"]
    assert "params.yaml" in stages["report"]["deps"]


def test_lint_finds_nothing_but_the_missing_conda_environments():
    # Rules run in the project's pinned .venv (requirements.lock), not per-rule conda environments.
    out = subprocess.run(["snakemake", "--lint"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    lints = set(re.findall(r"^\s+\* (.+?):$", out.stdout + out.stderr, flags=re.M))
    assert lints or out.returncode == 0, out.stderr[-2000:]  # lint ran (a crash finds no lints but fails)
    assert lints <= {"Specify a conda environment or container for each rule."}, lints


def test_every_rule_and_only_rules_have_resources():
    """params.yaml's resources block (and the schema's list of its keys) names exactly the rules."""
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "params.schema.yaml").read_text())
    listed = set(schema["properties"]["resources"]["required"])
    rules = set(re.findall(r"^rule (\w+):", "".join(p.read_text() for p in (ROOT / "workflow" / "rules").glob("*.smk")),
                           re.M))
    assert listed == rules
    assert set(yaml.safe_load((ROOT / "params.yaml").read_text())["resources"]) == rules
