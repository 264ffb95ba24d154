"""The Snakemake DAG as plain data: one `Job` per rule instance, read through Snakemake's API.

dvc.yaml is generated from these jobs (dvcgen) and dvc.lock is updated from them (dvcsync), so the
two front doors cannot drift apart: Snakemake's rules are the single source.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from textgen.workflow.params import CodeDigest, Param


@dataclass(frozen=True)
class Job:
    rule: str
    wildcards: tuple[tuple[str, str], ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    logs: tuple[str, ...]
    benchmark: str | None
    params: tuple[str, ...]  # dotted params.yaml keys the job reads
    code: tuple[str, ...]  # source files its command runs (its `code=` params entry)
    needs_run: bool  # Snakemake would (re)run it now

    @property
    def stage(self) -> str:
        """DVC stage name: the rule, then its wildcard values (DVC allows only letters, digits, - and _)."""
        return "-".join([self.rule, *(value for _, value in self.wildcards)])


@dataclass(frozen=True)
class Dag:
    jobs: list[Job]  # in topological order
    metrics: list[str]  # JSON files for `dvc metrics` (the rules' dvc_metrics)
    plots: list[dict]  # {csv: {x, y, title, ...}} for `dvc plots` (the rules' dvc_plots)


def snakemake_jobs(root: Path, targets: list[str] | None = None) -> list[Job]:
    """Every job needed for `targets` (default: the workflow's default target), in topological order.

    `needs_run` tells which of them Snakemake would run now (missing or outdated outputs).
    """
    return snakemake_dag(root, targets).jobs


def snakemake_dag(root: Path, targets: list[str] | None = None) -> Dag:
    """The jobs (as `snakemake_jobs`) and what the rules declare for DVC's metrics and plots."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import DAGSettings, OutputSettings, ResourceSettings

    previous = Path.cwd()
    quiet = io.StringIO()
    try:
        # Snakemake logs "Building DAG of jobs..." and the like; keep the caller's output clean.
        with contextlib.redirect_stderr(quiet), SnakemakeApi(OutputSettings()) as api:
            workflow_api = api.workflow(
                resource_settings=ResourceSettings(cores=1), snakefile=root / "Snakefile", workdir=root
            )
            dag_api = workflow_api.dag(DAGSettings(targets=set(targets or [])))
            workflow = workflow_api._workflow  # internal API: the DAG's jobs are not exposed otherwise
            workflow.dag_settings = dag_api.dag_settings
            workflow._prepare_dag(forceall=False, ignore_incomplete=True, lock_warn_only=True)
            workflow._build_dag()
            dag = workflow.dag
            jobs = []
            for layer in dag.toposorted():  # layers of independent jobs; sort within for stable output
                layer_jobs = [_as_job(job, dag.needrun(job)) for job in layer if job.output]
                jobs += sorted(layer_jobs, key=lambda j: j.stage)
            metrics, plots = list(workflow.globals["dvc_metrics"]), list(workflow.globals["dvc_plots"])
    finally:
        os.chdir(previous)
    return Dag(jobs, metrics, plots)


def _as_job(job, needs_run: bool) -> Job:
    return Job(
        rule=job.rule.name,
        wildcards=tuple((name, str(value)) for name, value in job.wildcards.items()),
        inputs=tuple(dict.fromkeys(str(f) for f in job.input)),
        outputs=tuple(str(f) for f in job.output),
        logs=tuple(str(f) for f in job.log),
        benchmark=str(job.benchmark) if job.benchmark else None,
        params=tuple(sorted(k for v in job.params if isinstance(v, Param) for k in v.keys)),
        code=next((v.files for v in job.params if isinstance(v, CodeDigest)), ()),
        needs_run=bool(needs_run),
    )
