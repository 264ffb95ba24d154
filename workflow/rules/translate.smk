# Report B, translation (seed 001): one encoder-decoder Transformer per pair set, trained with a
# joint BPE vocabulary, scored on the test split next to copying the source and Apertium.
# Resumable state lives in checkpoints/translate/<model>/ (not an output: reruns resume from it).

TRANSLATE_MODELS = ["nb_nn", "en_nb"]  # each trains on data/interim/pairs/<model>


rule train_translation:
    """Joint BPE tokenizer, then the model; metrics, prompt tables per epoch, config, weights."""
    input:
        pairs="data/interim/pairs/{model}",
    output:
        directory("results/translate/{model}"),
    params:
        code=code("translate", "bpe"),
        compute=param("compute"),
        train=param("translate.models.{model}"),
        seed=param("seed"),
    log:
        f"{LOGS}/translate/train_{{model}}.log",
    benchmark:
        f"{BENCHMARKS}/translate/train_{{model}}.tsv"
    wildcard_constraints:
        model="|".join(TRANSLATE_MODELS),
    priority: LONG_JOBS
    threads: resource("train_translation", "threads")
    resources:
        mem_mb=resource("train_translation", "mem_mb"),
        runtime=resource("train_translation", "runtime"),
        gpu=resource("train_translation", "gpu"),
    shell:
        "textgen train-translation --pairs {input.pairs} --params {params.train:q} --seed {params.seed} "
        "--threads {threads} --checkpoints checkpoints/translate/{wildcards.model} --compute {params.compute:q} --out {output} > {log} 2>&1"


rule score_translation:
    """BLEU and chrF of the model (greedy unless beam_size > 1) and of copying, on the test split."""
    input:
        model="results/translate/{model}",
        pairs="data/interim/pairs/{model}",
    output:
        "results/translate/scores/{model}.json",
    params:
        code=code("translate", "bpe"),
        score=param("translate.score"),
    log:
        f"{LOGS}/translate/score_{{model}}.log",
    benchmark:
        f"{BENCHMARKS}/translate/score_{{model}}.tsv"
    wildcard_constraints:
        model="|".join(TRANSLATE_MODELS),
    priority: MEDIUM_JOBS
    threads: resource("score_translation", "threads")
    resources:
        mem_mb=resource("score_translation", "mem_mb"),
        runtime=resource("score_translation", "runtime"),
        gpu=resource("score_translation", "gpu"),
    shell:
        "textgen score-translation --model {input.model} --pairs {input.pairs} --params {params.score:q} "
        "--threads {threads} --out {output} > {log} 2>&1"


rule fetch_apertium:
    """Apertium and its Bokmål -> Nynorsk data as pinned Debian packages (downloaded, not installed)."""
    output:
        directory("data/raw/tools/apertium"),
    params:
        code=code("data"),
        source=param("translate.apertium.source"),
    log:
        f"{LOGS}/translate/fetch_apertium.log",
    benchmark:
        f"{BENCHMARKS}/translate/fetch_apertium.tsv"
    priority: SHORT_JOBS
    threads: resource("fetch_apertium", "threads")
    resources:
        mem_mb=resource("fetch_apertium", "mem_mb"),
        runtime=resource("fetch_apertium", "runtime"),
        gpu=resource("fetch_apertium", "gpu"),
    shell:
        "textgen fetch --name apertium --source {params.source:q} --out {output} > {log} 2>&1"


rule apertium_baseline:
    """Apertium nob-nno on the test split; if it cannot run, a JSON that says why (never a score)."""
    input:
        apertium="data/raw/tools/apertium",
        pairs="data/interim/pairs/nb_nn",
    output:
        "results/translate/scores/apertium_nb_nn.json",
    params:
        code=code("translate", "bpe"),
        max_pairs=param("translate.score.max_pairs"),
    log:
        f"{LOGS}/translate/apertium_nb_nn.log",
    benchmark:
        f"{BENCHMARKS}/translate/apertium_nb_nn.tsv"
    priority: SHORT_JOBS
    threads: resource("apertium_baseline", "threads")
    resources:
        mem_mb=resource("apertium_baseline", "mem_mb"),
        runtime=resource("apertium_baseline", "runtime"),
        gpu=resource("apertium_baseline", "gpu"),
    shell:
        "textgen apertium-baseline --pairs {input.pairs} --apertium {input.apertium} --max-pairs {params.max_pairs:q} "
        "--out {output} > {log} 2>&1"


rule plot_translation:
    """Training and validation loss of every translation model."""
    input:
        models=expand("results/translate/{model}", model=TRANSLATE_MODELS),
    output:
        "results/translate/loss.png",
    params:
        code=code("translate", "bpe", "plots"),
    log:
        f"{LOGS}/translate/plot.log",
    benchmark:
        f"{BENCHMARKS}/translate/plot.tsv"
    priority: SHORT_JOBS
    threads: resource("plot_translation", "threads")
    resources:
        mem_mb=resource("plot_translation", "mem_mb"),
        runtime=resource("plot_translation", "runtime"),
        gpu=resource("plot_translation", "gpu"),
    shell:
        "textgen plot-translation --models {input.models} --out {output} > {log} 2>&1"


report_inputs["report_b_translate"] = (
    expand("results/translate/{model}", model=TRANSLATE_MODELS)
    + expand("results/translate/scores/{model}.json", model=TRANSLATE_MODELS)
    + rules.apertium_baseline.output
    + rules.plot_translation.output
)
register_jobs(rules.train_translation, model=TRANSLATE_MODELS)
register_jobs(rules.score_translation, model=TRANSLATE_MODELS)
register_jobs(rules.fetch_apertium)
register_jobs(rules.apertium_baseline)
register_jobs(rules.plot_translation)
dvc_metrics += expand("results/translate/scores/{model}.json", model=TRANSLATE_MODELS + ["apertium_nb_nn"])
dvc_plots += loss_curves("results/translate/{model}/metrics.csv", "step", ["train_loss", "val_loss"], "Translation {model}: loss",
                         model=TRANSLATE_MODELS)
