# Performance: one benchmark per model family, each on the whole machine (but BPE's), written
# to results/perf/<family>.json (the shape is in textgen.perf) and shown in the report's
# Performance section. Timings vary from run to run; only ratios measured within a run (share of
# the matmul peak, speedups) compare across machines.

PERF_FAMILIES = ["lstm", "bpe", "gpt", "translate", "finetune"]
# family -> {command-line flag: data it reads}
PERF_DATA = {
    "bpe": {"corpus": "data/interim/corpora/shakespeare"},
    "finetune": {"base": "data/raw/base_model"},
}
# Families timed on one core: BPE's reference is pure Python, and `tokenizers` is given the same
# one thread; the core left over runs another job meanwhile.
PERF_ONE_CORE = {"bpe"}
# Code digests per family, resolved here (code() names this file as the rule file).
PERF_CODE = {family: code("perf", family) for family in PERF_FAMILIES}


rule benchmark_speed:
    """Training tokens/s and share of the fp32 matmul peak, decoding and BPE times, against the speed targets."""
    input:
        data=lambda wc: list(PERF_DATA.get(wc.family, {}).values()),
    output:
        "results/perf/{family}.json",
    params:
        code=lambda wc: PERF_CODE[wc.family](wc),
        knobs=param("perf.{family}"),
        data=lambda wc: " ".join(f"--{flag} {path}" for flag, path in PERF_DATA.get(wc.family, {}).items()),
    log:
        f"{LOGS}/perf/{{family}}.log",
    benchmark:
        f"{BENCHMARKS}/perf/{{family}}.tsv"
    wildcard_constraints:
        family="|".join(PERF_FAMILIES),
    priority: SHORT_JOBS
    threads: lambda wc: 1 if wc.family in PERF_ONE_CORE else resource("benchmark_speed", "threads")
    resources:
        mem_mb=resource("benchmark_speed", "mem_mb"),
        runtime=resource("benchmark_speed", "runtime"),
        gpu=resource("benchmark_speed", "gpu"),
    shell:
        "textgen bench-{wildcards.family} --threads {threads} --params {params.knobs:q} {params.data} "
        "--out {output} > {log} 2>&1"


report_inputs["performance"] = expand("results/perf/{family}.json", family=PERF_FAMILIES)
register_jobs(rules.benchmark_speed, family=PERF_FAMILIES)
