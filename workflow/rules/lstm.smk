# Report A, word-level LSTM generators (seed 000): the custom loop's models (Figure 13's three, their
# fixed variants and the Figure 18 run), the Lightning run, the optimizer study, the held-out
# evaluation with the seed's defects measured, and the figures. Resumable state lives in
# checkpoints/lstm/<model>/ (not an output: reruns resume from it).

# Custom-loop models; each has its block in params.yaml lstm.models (kind and sizes there).
LSTM_MODELS = ["simple", "attention", "multihead", "attention_fixed", "multihead_fixed", "figure18"]
LSTM_CODE = ("lstm", "words", "plots", "training")


rule train_lstm:
    """One model with Listing 9's loop: config, training data, generated texts, loss history, weights."""
    input:
        words="data/processed/words",
    output:
        directory("results/lstm/models/{model}"),
    params:
        code=code(*LSTM_CODE),
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
        code=code(*LSTM_CODE),
        compute=param("compute"),
        model=param("lstm.lightning"),
        evaluation=param("lstm.evaluation"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/train_lightning.log",
    benchmark:
        f"{BENCHMARKS}/lstm/train_lightning.tsv"
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
        code=code(*LSTM_CODE),
        compute=param("compute"),
        study=param("lstm.optimizers"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/optimizer_study.log",
    benchmark:
        f"{BENCHMARKS}/lstm/optimizer_study.tsv"
    threads: resource("optimizer_study", "threads")
    resources:
        mem_mb=resource("optimizer_study", "mem_mb"),
        runtime=resource("optimizer_study", "runtime"),
        gpu=resource("optimizer_study", "gpu"),
    shell:
        "textgen optimizer-study --words {input.words} --params {params.study:q} --seed {params.seed} "
        "--threads {threads} --checkpoints checkpoints/lstm/optimizers --compute {params.compute:q} --out {output} > {log} 2>&1"


rule evaluate_lstm:
    """Held-out perplexity of every model, the seed's defects measured, final beams, Figure 12's tree."""
    input:
        words="data/processed/words",
        models=expand("results/lstm/models/{model}", model=LSTM_MODELS + ["lightning"]),
    output:
        directory("results/lstm/evaluation"),
    params:
        code=code(*LSTM_CODE),
        heldout=param("lstm.heldout"),
        evaluation=param("lstm.evaluation"),
        seed=param("seed"),
    log:
        f"{LOGS}/lstm/evaluate.log",
    benchmark:
        f"{BENCHMARKS}/lstm/evaluate.tsv"
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
        code=code(*LSTM_CODE),
    log:
        f"{LOGS}/lstm/figures.log",
    benchmark:
        f"{BENCHMARKS}/lstm/figures.tsv"
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
)
register_jobs(rules.train_lstm, model=LSTM_MODELS)
register_jobs(rules.train_lstm_lightning)
register_jobs(rules.optimizer_study)
register_jobs(rules.evaluate_lstm)
register_jobs(rules.lstm_figures)
dvc_metrics += expand("results/lstm/models/{model}/metrics.json", model=LSTM_MODELS + ["lightning"])
dvc_plots += loss_curves("results/lstm/models/{model}/history.csv", "iteration", ["train_loss"], "LSTM {model}: training loss",
                         model=LSTM_MODELS)
dvc_plots += loss_curves("results/lstm/models/lightning/metrics.csv", "step", ["train_loss", "val_loss"], "LSTM (Lightning): loss")
