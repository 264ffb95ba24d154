# Report B, decoder-only generators (seed 001): a byte-level BPE tokenizer per corpus and its
# vocabulary-size table, six models trained on the stand-in corpora, generation tables per checkpoint.
# Resumable state lives in checkpoints/gpt/<model>/ (not an output: reruns resume from it).

# model -> (corpus, format): the stand-in corpora (Shakespeare for Don Quixote, Milton for
# Kafka, the World English Bible, titled poems for lyrics); formats in textgen.bpe.corpus.
GPT_MODELS = {
    "quixote_small": ("shakespeare", "stream"),
    "quixote_large": ("shakespeare", "stream"),
    "next_sentence": ("shakespeare", "sentences"),
    "kafka": ("milton", "sentences"),
    "bible": ("bible", "stream"),
    "lyrics": ("poems", "poems"),
}
# corpus -> the format its tokenizer reads (poems: poems.jsonl, so titles are in its training text)
BPE_CORPORA = {"shakespeare": "stream", "milton": "stream", "bible": "stream", "poems": "poems"}


rule train_bpe:
    """Byte-level BPE (GPT-4 split pattern) learned on a corpus's training split."""
    input:
        corpus="data/interim/corpora/{corpus}",
    output:
        "data/processed/bpe/{corpus}.json",
    params:
        code=code("bpe"),
        vocab_size=param("gpt.bpe.vocab_size.{corpus}"),
        split=param("gpt.split"),
        format=lambda wc: BPE_CORPORA[wc.corpus],
    log:
        f"{LOGS}/gpt/train_bpe_{{corpus}}.log",
    benchmark:
        f"{BENCHMARKS}/gpt/train_bpe_{{corpus}}.tsv"
    wildcard_constraints:
        corpus="|".join(BPE_CORPORA),
    priority: INPUTS_FIRST
    threads: resource("train_bpe", "threads")
    resources:
        mem_mb=resource("train_bpe", "mem_mb"),
        runtime=resource("train_bpe", "runtime"),
        gpu=resource("train_bpe", "gpu"),
    shell:
        "textgen train-bpe --corpus {input.corpus} --format {params.format} --vocab-size {params.vocab_size} "
        "--split {params.split:q} --threads {threads} --out {output} > {log} 2>&1"


rule bpe_table:
    """Held-out bytes per token for each vocabulary size, per corpus (table + figure)."""
    input:
        corpora=expand("data/interim/corpora/{corpus}", corpus=BPE_CORPORA),
    output:
        table="results/gpt/bpe_vocab.csv",
        figure="results/gpt/bpe_vocab.png",
        listing="results/gpt/bpe_listing.csv",
    params:
        code=code("bpe", "plots"),
        vocab_sizes=param("gpt.bpe.table_vocab_sizes"),
        split=param("gpt.split"),
    log:
        f"{LOGS}/gpt/bpe_table.log",
    benchmark:
        f"{BENCHMARKS}/gpt/bpe_table.tsv"
    priority: MEDIUM_JOBS
    threads: resource("bpe_table", "threads")
    resources:
        mem_mb=resource("bpe_table", "mem_mb"),
        runtime=resource("bpe_table", "runtime"),
        gpu=resource("bpe_table", "gpu"),
    shell:
        "textgen bpe-table --corpora {input.corpora} --vocab-sizes {params.vocab_sizes:q} "
        "--split {params.split:q} --threads {threads} --out {output.table} --figure {output.figure} --listing {output.listing} > {log} 2>&1"


rule train_gpt:
    """One decoder-only model: config, architecture, metrics, loss plot, held-out loss, checkpoints."""
    input:
        corpus=lambda wc: f"data/interim/corpora/{GPT_MODELS[wc.model][0]}",
        tokenizer=lambda wc: f"data/processed/bpe/{GPT_MODELS[wc.model][0]}.json",
    output:
        directory("results/gpt/models/{model}"),
    params:
        code=code("gpt", "bpe", "plots", "training"),
        compute=param("compute"),
        arch=param("gpt.models.{model}.arch"),
        train=param("gpt.models.{model}.train"),
        split=param("gpt.split"),
        test_bytes=param("gpt.test_bytes"),
        seed=param("seed"),
        format=lambda wc: GPT_MODELS[wc.model][1],
    log:
        f"{LOGS}/gpt/train_{{model}}.log",
    benchmark:
        f"{BENCHMARKS}/gpt/train_{{model}}.tsv"
    wildcard_constraints:
        model="|".join(GPT_MODELS),
    priority: LONG_JOBS
    threads: resource("train_gpt", "threads")
    resources:
        mem_mb=resource("train_gpt", "mem_mb"),
        runtime=resource("train_gpt", "runtime"),
        gpu=resource("train_gpt", "gpu"),
    shell:
        "textgen train-gpt --corpus {input.corpus} --format {params.format} --tokenizer {input.tokenizer} "
        "--arch {params.arch:q} --train {params.train:q} --split {params.split:q} --test-bytes {params.test_bytes} --seed {params.seed} "
        "--threads {threads} --checkpoints checkpoints/gpt/{wildcards.model} --compute {params.compute:q} --out {output} > {log} 2>&1"


rule sample_gpt:
    """Generation table: every kept checkpoint x prompt x temperature."""
    input:
        model="results/gpt/models/{model}",
        tokenizer=lambda wc: f"data/processed/bpe/{GPT_MODELS[wc.model][0]}.json",
    output:
        "results/gpt/samples/{model}.csv",
    params:
        code=code("gpt", "bpe"),
        sample=param("gpt.models.{model}.sample"),
        seed=param("seed"),
    log:
        f"{LOGS}/gpt/sample_{{model}}.log",
    benchmark:
        f"{BENCHMARKS}/gpt/sample_{{model}}.tsv"
    wildcard_constraints:
        model="|".join(GPT_MODELS),
    priority: SHORT_JOBS
    threads: resource("sample_gpt", "threads")
    resources:
        mem_mb=resource("sample_gpt", "mem_mb"),
        runtime=resource("sample_gpt", "runtime"),
        gpu=resource("sample_gpt", "gpu"),
    shell:
        "textgen sample-gpt --model {input.model} --tokenizer {input.tokenizer} --params {params.sample:q} "
        "--seed {params.seed} --threads {threads} --out {output} > {log} 2>&1"


report_inputs["report_b_gpt"] = (
    rules.bpe_table.output
    + expand("results/gpt/models/{model}", model=GPT_MODELS)
    + expand("results/gpt/samples/{model}.csv", model=GPT_MODELS)
)
register_jobs(rules.train_bpe, corpus=BPE_CORPORA)
register_jobs(rules.bpe_table)
register_jobs(rules.train_gpt, model=GPT_MODELS)
register_jobs(rules.sample_gpt, model=GPT_MODELS)
dvc_metrics += expand("results/gpt/models/{model}/heldout.json", model=GPT_MODELS)
dvc_plots += loss_curves("results/gpt/models/{model}/metrics.csv", "iter", ["train_loss", "val_loss"], "GPT {model}: loss",
                         model=list(GPT_MODELS))
