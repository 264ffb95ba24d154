"""A finished fine-tuning run's weights kept as their lossless difference from the base model.

A few fine-tuning steps move every weight of a pretrained model, but only in its low bits: the
difference of a fine-tuned fp32 weight's bits and the base weight's bits (as integers) is small,
so its high bytes are zero. Stored byte plane by byte plane (every weight's top byte, then its
second byte, ...), those planes compress to almost nothing: SmolLM2-135M fine-tuned for 8 steps
shrinks from 538 MB to 0.57 of that. The packed file is a safetensors file of uint8 tensors (one
per byte plane; a plane zlib cannot shrink stays raw), with the base folder, the base weights'
sha256 and each tensor's dtype, shape and sha256 in its metadata, so every tensor it rebuilds is
checked.

    pack(checkpoint, base)    model.safetensors -> model.delta.safetensors, checked, then the
                              original removed; returns the bytes saved
    unpack(checkpoint)        the checkpoint's tensors, rebuilt from the delta and its base
    restore(checkpoint)       model.safetensors written back (a rerun resumes through the Trainer)
    readable(checkpoint)      a folder from_pretrained can load: the checkpoint itself, or a
                              temporary copy with the weights rebuilt (textgen generate)

>>> import tempfile
>>> from safetensors.torch import save_file
>>> base, ck = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
>>> w = torch.linspace(-1, 1, 4096)
>>> save_file({"w": w}, base / WEIGHTS)
>>> save_file({"w": w + 1e-4, "extra": torch.arange(3)}, ck / WEIGHTS)
>>> pack(ck, base) > 0, (ck / WEIGHTS).exists(), (ck / DELTA).exists()
(True, False, True)
>>> torch.equal(unpack(ck)["w"], w + 1e-4), unpack(ck)["extra"].tolist()
(True, [0, 1, 2])
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file

WEIGHTS = "model.safetensors"
DELTA = "model.delta.safetensors"
FORMAT = "textgen-weight-delta"
VERSION = 1
LEVEL = 1  # zlib's fastest level: the zero planes shrink as much; the random low planes stay raw
_SAMPLE = 1 << 16  # bytes of a plane tried first: a plane that does not shrink is not compressed whole
# Integer views of the float dtypes: the difference is taken on the raw bits, so any dtype goes.
_BITS = {torch.float32: torch.int32, torch.float16: torch.int16, torch.bfloat16: torch.int16,
         torch.float64: torch.int64}
_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}  # the same widths, as numpy sees them


def _words(t: torch.Tensor) -> np.ndarray:
    """The tensor's elements as unsigned integers of their width (the raw bits, no conversion)."""
    t = t.contiguous()
    raw = (t.view(_BITS[t.dtype]) if t.dtype in _BITS else t).numpy().reshape(-1).view(np.uint8)
    return raw.view(_UNSIGNED[t.element_size()])


def _digest(t: torch.Tensor) -> str:
    return hashlib.sha256(_words(t).tobytes()).hexdigest()


def _delta_planes(t: torch.Tensor, base: torch.Tensor | None) -> np.ndarray:
    """(itemsize, numel) uint8: plane j holds byte j of every element's zigzag-coded difference
    from the base (bits(t) - bits(base), wrapping), most of whose high bytes are zero when t is
    close to base. The difference, unlike XOR, stays small across a change of exponent.

    >>> _delta_planes(torch.tensor([1.0, -1.0]), torch.tensor([1.0, -1.0])).tolist()
    [[0, 0], [0, 0], [0, 0], [0, 0]]
    """
    words = _words(t)
    diff = words - _words(base) if base is not None else words.copy()  # unsigned: wraps
    bits = 8 * words.itemsize
    signed = diff.view(np.dtype(f"i{words.itemsize}"))
    zigzag = ((signed << 1) ^ (signed >> (bits - 1))).view(words.dtype)  # 0, -1, 1, -2 ... -> 0, 1, 2, 3 ...
    return zigzag.view(np.uint8).reshape(-1, words.itemsize).T


def _undo_delta(planes: np.ndarray, base: np.ndarray | None, dtype: type) -> np.ndarray:
    """The element words `_delta_planes` coded, from its planes and the base's words."""
    zigzag = np.ascontiguousarray(planes.T).reshape(-1).view(dtype)
    diff = (zigzag >> 1) ^ (np.zeros_like(zigzag) - (zigzag & 1))  # unsigned: 0 - 1 wraps to all ones
    return diff + base if base is not None else diff


def _encode(plane: np.ndarray) -> tuple[bytes, str]:
    raw = np.ascontiguousarray(plane).tobytes()
    sample = raw[:_SAMPLE]
    if len(zlib.compress(sample, LEVEL)) > 0.9 * len(sample):
        return raw, "raw"
    packed = zlib.compress(raw, LEVEL)
    return (packed, "zlib") if len(packed) < len(raw) else (raw, "raw")


class _Tensors:
    """The tensors of a safetensors file, each read with pread when asked for. safe_open maps the
    whole file, and every page read stays in the process's resident memory until it closes: two
    538 MB files read through would add a gigabyte to a fine-tuning job's peak.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.safetensors"
    >>> save_file({"a": torch.arange(4, dtype=torch.float32)}, path, metadata={"k": "v"})
    >>> f = _Tensors(path)
    >>> f.keys(), f.get_tensor("a").tolist(), f.metadata()
    (['a'], [0.0, 1.0, 2.0, 3.0], {'k': 'v'})
    """

    DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
              "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
              "BOOL": torch.bool}

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            with open(self.path, "rb") as f:
                size = int.from_bytes(f.read(8), "little")
                self.header = json.loads(f.read(size))
            self.start = 8 + size
        except (OSError, ValueError) as err:
            raise TextgenError(f"{self.path}: unreadable ({type(err).__name__}: {str(err)[:200]})") from None

    def keys(self) -> list[str]:
        return [k for k in self.header if k != "__metadata__"]

    def metadata(self) -> dict:
        return self.header.get("__metadata__") or {}

    def get_tensor(self, name: str) -> torch.Tensor:
        info = self.header[name]
        begin, end = info["data_offsets"]
        with open(self.path, "rb") as f:
            data = os.pread(f.fileno(), end - begin, self.start + begin)
        if len(data) != end - begin:
            raise TextgenError(f"{self.path}: tensor {name} is cut short (the file is truncated)")
        dtype = self.DTYPES[info["dtype"]]
        if not data:
            return torch.empty(info["shape"], dtype=dtype)
        return torch.frombuffer(bytearray(data), dtype=dtype).reshape(info["shape"])


def _base_file(base: Path) -> Path:
    path = Path(base) / WEIGHTS
    if not path.is_file():
        raise TextgenError(f"{base}: no {WEIGHTS} to take the fine-tuned weights' difference from")
    return path


def _base_sha256(base: Path) -> str:
    """sha256 of the base weights: from fetch-base-model's record where there is one (it hashed
    the file when writing it), else hashed here."""
    record = Path(base) / "base_model.json"
    if record.is_file():
        for entry in json.loads(record.read_text(encoding="utf-8")).get("files", []):
            if entry.get("name") == WEIGHTS and entry.get("bytes") == _base_file(base).stat().st_size:
                return entry["sha256"]
    return sha256_file(_base_file(base))


def pack(checkpoint: Path, base: Path) -> int:
    """Replace checkpoint/model.safetensors by its delta against base/model.safetensors; the
    original goes only after the delta, read back, rebuilt every tensor to its recorded sha256.
    Tensors are read one at a time, so this needs little more memory than the packed planes.
    Returns the bytes saved (0 where there is nothing to pack)."""
    checkpoint, base = Path(checkpoint), Path(base)
    weights = checkpoint / WEIGHTS
    if not weights.is_file():
        return 0
    planes, tensors = {}, {}
    tuned, reference = _Tensors(weights), _Tensors(_base_file(base))
    known = set(reference.keys())
    for name in tuned.keys():
        t = tuned.get_tensor(name)
        b = reference.get_tensor(name) if name in known else None
        if b is not None and (b.dtype != t.dtype or b.shape != t.shape):
            b = None
        codecs = []
        for j, plane in enumerate(_delta_planes(t, b)):
            data, codec = _encode(plane)
            planes[f"{name}#{j}"] = torch.frombuffer(bytearray(data), dtype=torch.uint8) if data else \
                torch.empty(0, dtype=torch.uint8)
            codecs.append(codec)
        tensors[name] = {"dtype": str(t.dtype).removeprefix("torch."), "shape": list(t.shape),
                         "base": b is not None, "planes": codecs, "sha256": _digest(t)}
    meta = {"format": FORMAT, "version": str(VERSION), "base": str(base), "base_sha256": _base_sha256(base),
            "tensors": json.dumps(tensors, sort_keys=True)}
    with atomic_path(checkpoint / DELTA) as tmp:
        save_file(planes, tmp, metadata=meta)
        del planes
        for _ in _rebuild(tmp, _base_file(base)):  # each tensor checked against its sha256
            pass
    saved = weights.stat().st_size - (checkpoint / DELTA).stat().st_size
    weights.unlink()
    return saved


def _read_meta(path: Path) -> dict:
    meta = _Tensors(path).metadata()
    if meta.get("format") != FORMAT:
        raise TextgenError(f"{path}: not a {FORMAT} file")
    return meta


def base_of(checkpoint: Path) -> Path:
    """The base folder the checkpoint's delta was taken against; a relative one is read from the
    working directory, else from the project root (where pipeline commands run)."""
    base = Path(_read_meta(Path(checkpoint) / DELTA)["base"])
    if not base.is_absolute() and not base.exists():
        from textgen.config import project_root

        base = project_root() / base
    return base


def _rebuild(path: Path, base_weights: Path) -> Iterator[tuple[str, torch.Tensor]]:
    """(name, tensor) for every tensor packed in `path`, each checked against its sha256."""
    meta = _read_meta(path)
    try:
        tensors = json.loads(meta["tensors"])
        f, reference = _Tensors(path), _Tensors(base_weights)
        for name, info in tensors.items():
            dtype = getattr(torch, info["dtype"])
            size = torch.empty(0, dtype=dtype).element_size()
            numel = int(np.prod(info["shape"], dtype=np.int64))
            planes = np.empty((size, numel), dtype=np.uint8)
            for j, codec in enumerate(info["planes"]):
                data = f.get_tensor(f"{name}#{j}").numpy().tobytes()
                planes[j] = np.frombuffer(zlib.decompress(data) if codec == "zlib" else data, dtype=np.uint8)
            unsigned = _UNSIGNED[size]
            words = _undo_delta(planes, _words(reference.get_tensor(name)) if info["base"] else None, unsigned)
            t = torch.frombuffer(bytearray(words.tobytes()), dtype=_BITS.get(dtype, dtype)).view(dtype)
            t = t.reshape(info["shape"])
            if _digest(t) != info["sha256"]:
                raise TextgenError(f"{path}: tensor {name} does not rebuild to the weights it was packed from")
            yield name, t
    except (KeyError, ValueError, zlib.error, RuntimeError) as err:
        raise TextgenError(f"{path}: damaged ({type(err).__name__}: {str(err)[:200]})") from None


def unpack(checkpoint: Path) -> dict[str, torch.Tensor]:
    """The checkpoint's weights, rebuilt from its delta and the base folder it names."""
    path = Path(checkpoint) / DELTA
    meta, base = _read_meta(path), base_of(checkpoint)
    if _base_sha256(base) != meta["base_sha256"]:
        raise TextgenError(f"{path}: packed against {base}/{WEIGHTS} with sha256 {meta['base_sha256'][:12]}..., "
                           f"which now holds other weights; refetch that base model")
    return dict(_rebuild(path, _base_file(base)))


def restore(checkpoint: Path) -> bool:
    """Write model.safetensors back from the delta (atomically, keeping the delta); False where
    the checkpoint is not packed."""
    checkpoint = Path(checkpoint)
    if (checkpoint / WEIGHTS).is_file() or not (checkpoint / DELTA).is_file():
        return False
    tensors = unpack(checkpoint)
    with atomic_path(checkpoint / WEIGHTS) as tmp:
        save_file(tensors, tmp, metadata={"format": "pt"})
    return True


@contextlib.contextmanager
def readable(checkpoint: Path) -> Iterator[Path]:
    """A folder from_pretrained can read: the checkpoint where it holds its weights, else a
    temporary copy (links to its small files, the weights rebuilt), removed afterwards."""
    checkpoint = Path(checkpoint)
    if not (checkpoint / DELTA).is_file() or (checkpoint / WEIGHTS).is_file():
        yield checkpoint
        return
    folder = Path(tempfile.mkdtemp(prefix=f"textgen-{checkpoint.name}-"))
    try:
        for entry in checkpoint.iterdir():
            if entry.name != DELTA:
                os.symlink(entry.resolve(), folder / entry.name)
        save_file(unpack(checkpoint), folder / WEIGHTS, metadata={"format": "pt"})
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
