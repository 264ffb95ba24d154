# Report A, word-level LSTM generators (seed 000): the custom loop's models (Figure 13's three, their
# fixed variants and the Figure 18 run), the Lightning run, the optimizer study, the held-out
# evaluation with the seed's defects measured, and the figures. Resumable state lives in
# checkpoints/lstm/<model>/ (not an output: reruns resume from it). Each rule's code is its command's
# module and what that imports: editing the statistics does not retrain the models.

# Custom-loop models; each has its block in params.yaml lstm.models (kind and sizes there).
LSTM_MODELS = ["simple", "attention", "multihead", "attention_fixed", "multihead_fixed", "figure18"]


rule train_lstm:
    """One model with Listing 9's loop: config, training data, generated texts, loss history, weights."""
    input:
        words="data/processed/words",
    output:
        directory("results/lstm/models/{model}"),
    params:
        code=code("lstm/train"),
        compute=param("compute"),
        model=param("lstm.models.{model}"),
        evaluation=param("lstm.evaluation"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/train_{{model}}.log",
    benchmark:
        f"{BENCHMARKS}/lstm/train_{{model}}.tsv"
    wildcard_constraints:
        model="|".join(LSTM_MODELS),
    priority: MEDIUM_JOBS
    threads: resource("train_lstm", "threads")
    resources:
        mem_mb=resource("train_lstm", "mem_mb"),
        runtime=resource("train_lstm", "runtime"),
        gpu=resource("train_lstm", "gpu"),
    shell:
        "textgen train-lstm --loop custom --words {input.words} --params {params.model:q} "
        "--evaluation {params.evaluation:q} --seed {params.seed} --threads {threads} "
        "--checkpoints checkpoints/lstm/{wildcards.model} --compute {params.compute:q} --out {output} > {log} 2>&1"


rule train_lstm_lightning:
    """The Lightning run (Listings 10-14): CSV logs, generated-text CSVs, LR trace, best checkpoints."""
    input:
        words="data/processed/words",
    output:
        directory("results/lstm/models/lightning"),
    params:
        code=code("lstm/train"),
        compute=param("compute"),
        model=param("lstm.lightning"),
        evaluation=param("lstm.evaluation"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/train_lightning.log",
    benchmark:
        f"{BENCHMARKS}/lstm/train_lightning.tsv"
    priority: MEDIUM_JOBS
    threads: resource("train_lstm_lightning", "threads")
    resources:
        mem_mb=resource("train_lstm_lightning", "mem_mb"),
        runtime=resource("train_lstm_lightning", "runtime"),
        gpu=resource("train_lstm_lightning", "gpu"),
    shell:
        "textgen train-lstm --loop lightning --words {input.words} --params {params.model:q} "
        "--evaluation {params.evaluation:q} --seed {params.seed} --threads {threads} "
        "--checkpoints checkpoints/lstm/lightning --compute {params.compute:q} --out {output} > {log} 2>&1"


rule optimizer_study:
    """Adam, Adam + L2, AdamW, SGD with momentum; constant, plateau and cosine schedules; lr 0.003 vs 0.002."""
    input:
        words="data/processed/words",
    output:
        directory("results/lstm/optimizers"),
    params:
        code=code("lstm/optimizers"),
        compute=param("compute"),
        study=param("lstm.optimizers"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/optimizer_study.log",
    benchmark:
        f"{BENCHMARKS}/lstm/optimizer_study.tsv"
    priority: LONG_JOBS
    threads: resource("optimizer_study", "threads")
    resources:
        mem_mb=resource("optimizer_study", "mem_mb"),
        runtime=resource("optimizer_study", "runtime"),
        gpu=resource("optimizer_study", "gpu"),
    shell:
        "textgen optimizer-study --words {input.words} --params {params.study:q} --seed {params.seed} "
        "--threads {threads} --checkpoints checkpoints/lstm/optimizers --compute {params.compute:q} --out {output} > {log} 2>&1"


# The comparisons the report draws conclusions from, once per seed (seed, seed+1, ...), shortened.
REPLICATES = [str(k) for k in range(config["lstm"]["replicates"]["seeds"])]


rule replicate_lstm:
    """One seed of the runs Report A compares (lstm.replicates): listed vs fixed attention, the optimizer runs."""
    input:
        words="data/processed/words",
    output:
        directory("results/lstm/replicates/seed{replicate}"),
    params:
        code=code("lstm/replicates"),
        compute=param("compute"),
        models=params_each("lstm.models", config["lstm"]["replicates"]["models"]),
        optimizers=param("lstm.optimizers"),
        replicates=params_each("lstm.replicates", ["iterations", "models", "optimizer_runs"]),
        evaluation=param("lstm.evaluation"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/replicate_{{replicate}}.log",
    benchmark:
        f"{BENCHMARKS}/lstm/replicate_{{replicate}}.tsv"
    wildcard_constraints:
        replicate=r"\d+",
    priority: LONG_JOBS
    threads: resource("replicate_lstm", "threads")
    resources:
        mem_mb=resource("replicate_lstm", "mem_mb"),
        runtime=resource("replicate_lstm", "runtime"),
        gpu=resource("replicate_lstm", "gpu"),
    shell:
        "textgen lstm-replicate --words {input.words} --models {params.models:q} --optimizers {params.optimizers:q} "
        "--params {params.replicates:q} --evaluation {params.evaluation:q} --seed {params.seed} "
        "--replicate {wildcards.replicate} --threads {threads} --checkpoints checkpoints/lstm/replicates/seed{wildcards.replicate} "
        "--compute {params.compute:q} --out {output} > {log} 2>&1"


rule lstm_statistics:
    """Mean, spread and paired tests over the seeds: which differences exceed the seed-to-seed noise."""
    input:
        expand("results/lstm/replicates/seed{replicate}", replicate=REPLICATES),
    output:
        directory("results/lstm/statistics"),
    params:
        code=code("lstm/statistics"),
        comparisons=param("lstm.replicates.comparisons"),
    log:
        f"{LOGS}/lstm/statistics.log",
    benchmark:
        f"{BENCHMARKS}/lstm/statistics.tsv"
    priority: SHORT_JOBS
    threads: resource("lstm_statistics", "threads")
    resources:
        mem_mb=resource("lstm_statistics", "mem_mb"),
        runtime=resource("lstm_statistics", "runtime"),
        gpu=resource("lstm_statistics", "gpu"),
    shell:
        "textgen lstm-statistics --replicates {input} --comparisons {params.comparisons:q} --out {output} > {log} 2>&1"


rule evaluate_lstm:
    """Held-out perplexity of every model, the seed's defects measured, final beams, Figure 12's tree."""
    input:
        words="data/processed/words",
        models=expand("results/lstm/models/{model}", model=LSTM_MODELS + ["lightning"]),
    output:
        directory("results/lstm/evaluation"),
    params:
        code=code("lstm/evaluate"),
        heldout=param("lstm.heldout"),
        evaluation=param("lstm.evaluation"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/evaluate.log",
    benchmark:
        f"{BENCHMARKS}/lstm/evaluate.tsv"
    priority: MEDIUM_JOBS
    threads: resource("evaluate_lstm", "threads")
    resources:
        mem_mb=resource("evaluate_lstm", "mem_mb"),
        runtime=resource("evaluate_lstm", "runtime"),
        gpu=resource("evaluate_lstm", "gpu"),
    shell:
        "textgen evaluate-lstm --words {input.words} --models {input.models} --params {params.heldout:q} "
        "--evaluation {params.evaluation:q} --seed {params.seed} --threads {threads} --out {output} > {log} 2>&1"


rule lstm_figures:
    """Figures 12, 14, 18b and 19-20 from the runs above."""
    input:
        models=expand("results/lstm/models/{model}", model=LSTM_MODELS),
        lightning="results/lstm/models/lightning",
        evaluation="results/lstm/evaluation",
    output:
        directory("results/lstm/figures"),
    params:
        code=code("lstm/figures"),
    log:
        f"{LOGS}/lstm/figures.log",
    benchmark:
        f"{BENCHMARKS}/lstm/figures.tsv"
    priority: SHORT_JOBS
    threads: resource("lstm_figures", "threads")
    resources:
        mem_mb=resource("lstm_figures", "mem_mb"),
        runtime=resource("lstm_figures", "runtime"),
        gpu=resource("lstm_figures", "gpu"),
    shell:
        "textgen lstm-figures --models {input.models} --lightning {input.lightning} "
        "--evaluation {input.evaluation} --out {output} > {log} 2>&1"


report_inputs["report_a"] = (
    expand("results/lstm/models/{model}", model=LSTM_MODELS + ["lightning"])
    + rules.optimizer_study.output
    + rules.evaluate_lstm.output
    + rules.lstm_figures.output
    + rules.lstm_statistics.output
)
register_jobs(rules.train_lstm, model=LSTM_MODELS)
register_jobs(rules.train_lstm_lightning)
register_jobs(rules.optimizer_study)
register_jobs(rules.replicate_lstm, replicate=REPLICATES)
register_jobs(rules.lstm_statistics)
register_jobs(rules.evaluate_lstm)
register_jobs(rules.lstm_figures)
dvc_metrics += expand("results/lstm/models/{model}/metrics.json", model=LSTM_MODELS + ["lightning"])
dvc_metrics += ["results/lstm/statistics/statistics.json"]
dvc_plots += loss_curves("results/lstm/models/{model}/history.csv", "iteration", ["train_loss"], "LSTM {model}: training loss",
                         model=LSTM_MODELS)
dvc_plots += loss_curves("results/lstm/models/lightning/metrics.csv", "step", ["train_loss", "val_loss"], "LSTM (Lightning): loss")
