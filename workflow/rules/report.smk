# The report: every section's artifacts (registered by the rule files in report_inputs), the
# provenance (params, sources, packages, hardware, wall time per job) -> report/.


rule report:
    """Assemble report/report.md and a self-contained report/index.html (figures embedded)."""
    input:
        params="params.yaml",
        seed_config=["params/default.yaml", "params/paper.yaml"],  # the paper profile: the seeds' configuration
        manifests=expand("data/interim/corpora/{name}", name=CORPORA)
        + expand("data/interim/pairs/{name}", name=PAIRS),
        artifacts=lambda wc: sorted({f for files in report_inputs.values() for f in files}),
        benchmarks=benchmarks,
    output:
        markdown="report/report.md",
        html="report/index.html",
        figures=directory("report/figures"),
    params:
        code=code("report", "plots"),
        title=param("report.title"),
        jobs=lambda wc: json.dumps({job["job"]: job for job in jobs_made}),  # captions name the job that made them
    log:
        f"{LOGS}/report.log",
    benchmark:
        f"{BENCHMARKS}/report.tsv"
    priority: SHORT_JOBS
    threads: resource("report", "threads")
    resources:
        mem_mb=resource("report", "mem_mb"),
        runtime=resource("report", "runtime"),
        gpu=resource("report", "gpu"),
    shell:
        "textgen report --title {params.title:q} --params-file {input.params} "
        "--sources {input.manifests} --benchmarks {input.benchmarks} --artifacts {input.artifacts} "
        "--jobs {params.jobs:q} --markdown {output.markdown} --html {output.html} > {log} 2>&1"
