# Shared by all the .smk files: parameter validation, parameter plumbing, code inputs, the report's
# registry of artifacts, and the hand-over to DVC after a successful run.
import itertools
import json
import logging
import os
import shutil
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.iocontainers import Wildcards

from textgen.checks import check_params
from textgen.errors import TextgenError
from textgen.io import FULL_BELOW, FULL_DISK_ADVICE
from textgen.workflow.locks import release_stale_locks
from textgen.workflow.params import CodeDigest, Param, code_files

# Under `dvc repro` (one Snakemake job per stage) a lock that a killed run left behind is released
# when its owner is gone; a Snakemake user runs `snakemake --unlock`, as Snakemake says.
if os.environ.get("TEXTGEN_FROM_DVC"):
    release_stale_locks(Path.cwd())

# A full disk: Snakemake could not even write its lock; say so instead of its traceback.
if shutil.disk_usage(Path.cwd()).free < FULL_BELOW:
    logging.raiseExceptions = False  # Snakemake's log file cannot take the message either: no traceback
    raise WorkflowError(f"the disk that holds {Path.cwd()} is full ({shutil.disk_usage(Path.cwd()).free:,} bytes "
                        f"free): no job can write its outputs or log; {FULL_DISK_ADVICE}")

# Fail before any job runs: a typo, a bad value or an impossible combination names its key.
try:
    check_params(config, source="params.yaml")
except TextgenError as err:
    raise WorkflowError(str(err)) from None


def param(key):
    """A rule's `params:` entry for a params.yaml value: JSON text that remembers its dotted key
    (which dvc.yaml lists). `key` may hold wildcards: param("corpora.{name}.source")."""
    return lambda wildcards: Param.of(config, key.format(**wildcards))


def params_each(key, names):
    """A `params:` entry for some entries of the mapping at `key`, as one JSON object: the job
    depends on those entries alone. params_each("lstm.models", ["attention", "multihead"])."""
    return lambda wildcards: Param.each(config, key, names)


def resource(rule_name, key):
    """A rule's threads / mem_mb / runtime / gpu from params.yaml's resources block ("all" threads:
    every core Snakemake was given)."""
    try:
        value = config["resources"][rule_name][key]
    except KeyError:
        raise WorkflowError(f"params.yaml: resources.{rule_name}.{key} is missing (every rule needs an entry)") from None
    if value != "all":
        return value
    try:
        return workflow.cores
    except WorkflowError:  # no --cores: `snakemake --unlock`, `-n` and the like run no job
        return 1


def code(*packages):
    """The `code=` params entry for the calling .smk file's rules, a digest of the source
    files their commands run (textgen.workflow.params.CodeDigest). A params entry, not inputs: the job
    reruns when that code changes, and the console does not list ~50 files for every job. A function
    of the wildcards: Snakemake would format a plain value as a wildcard pattern, losing its files."""
    digest = CodeDigest.of(code_files(*packages, rule_file=workflow.included_stack[-1].get_path_or_uri(secret_free=True)))
    return lambda wildcards: digest


def local_source_file(wildcards):
    # A `file:` source is a real input: editing the file reruns what depends on it.
    source = config[wildcards.group][wildcards.name]["source"]
    return [source["path"]] if source["kind"] == "file" else []


LOGS = "results/logs"
# Job order. Snakemake starts the ready jobs of highest priority, and a rule's priority does not pass
# to the jobs it waits for. Longest first, so that short jobs fill both cores at the end instead of
# one long job running alone while the other core idles:
INPUTS_FIRST = 20  # the short jobs that make the long jobs' inputs (data, BPE tokenizers, base model)
LONG_JOBS = 10  # 1.5-3.5 min each on the default profile: replicates, optimizer study, GPTs, translation, fine-tuning
MEDIUM_JOBS = 5  # 0.5-1.5 min: the LSTMs, scoring, T5, the BPE table, the LSTM evaluation
SHORT_JOBS = 1  # the rest. A speed benchmark takes every core but the BPE one: Snakemake prefers
# more jobs at once, so it starts the ones on every core when nothing else is ready beside them.
BENCHMARKS = "results/benchmarks"
CORPORA = list(config["corpora"])
PAIRS = list(config["pairs"])

# Each .smk file registers what the report shows, report_inputs[section] = files, and its jobs
# (register_jobs): their benchmark files give the provenance section its wall times, and their
# outputs are targets of the default run.
report_inputs = {}
benchmarks = []
job_outputs = []
jobs_made = []  # per job: its rule, benchmark name, outputs and dotted params keys (the report's captions)


# What `dvc metrics` and `dvc plots` show: each model's metrics JSON and its loss curve (dvc.yaml's
# top-level metrics: and plots:, generated from these lists).
dvc_metrics = []
dvc_plots = []


def loss_curves(pattern, x, y, title, **wildcards):
    """dvc_plots entries for a loss-curve CSV per combination of wildcard values; `title` may hold
    the wildcards too: loss_curves("results/gpt/models/{model}/metrics.csv", "iter", ["train_loss"],
    "GPT {model}", model=GPT_MODELS)."""
    return [{path: {"x": x, "y": list(y), "title": expand(title, **values)[0], "x_label": x, "y_label": "loss (nats)"}}
            for values in [dict(zip(wildcards, combo)) for combo in itertools.product(*wildcards.values())]
            for path in expand(pattern, **values)]


def register_jobs(rule, **wildcards):
    """Record every job of `rule`, one per combination of the wildcard values (lists), for instance
    register_jobs(rules.train_gpt, model=GPT_MODELS). Their outputs become targets of the default run:
    Snakemake rebuilds a missing output only of a target job or of a job whose consumer reruns, so
    without this a deleted intermediate file (a job killed after it cleared its outputs) would stay
    missing while DVC reports it deleted."""
    benchmarks.extend(expand(str(rule.benchmark), **wildcards))
    job_outputs.extend(expand([str(out) for out in rule.output], **wildcards))
    for combo in itertools.product(*wildcards.values()):
        values = dict(zip(wildcards, combo))
        given = [p(Wildcards(fromdict=values)) if callable(p) else p for p in rule.rule.params]
        jobs_made.append({"rule": rule.rule.name,
                          "job": expand(str(rule.benchmark), **values)[0].removeprefix(f"{BENCHMARKS}/").removesuffix(".tsv"),
                          "outputs": expand([str(out) for out in rule.output], **values),
                          "params": sorted({key for p in given for key in getattr(p, "keys", ())})})


def record_in_dvc_lock():
    # DVC runs our rules through Snakemake with TEXTGEN_FROM_DVC set; it records dvc.lock itself.
    if os.environ.get("TEXTGEN_FROM_DVC"):
        return
    shell("textgen dvc-commit")
