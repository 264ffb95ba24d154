"""Read R's lazy-load databases (a package's data/Rdata.rdx + Rdata.rdb) without R.

The .rdx is a gzip-compressed R-serialized list: `variables` maps each object name to an
(offset, length) pair in the .rdb, `compressed` says how entries are compressed. Each .rdb entry
is a 4-byte big-endian *uncompressed* length followed by a zlib stream (R's default,
`compressed = TRUE`); inside is an ordinary R-serialized object, which `rdata` parses.

>>> import gzip, zlib
>>> import numpy as np
>>> import rdata
>>> def serialize(obj):
...     return rdata.unparser.unparse_data(rdata.conversion.convert_python_to_r_data(obj))
>>> blob = serialize(np.array(["It is a truth", None], dtype=object))
>>> entry = len(blob).to_bytes(4, "big") + zlib.compress(blob)
>>> index = {"variables": {"book": np.array([0, len(entry)], dtype=np.int32)}, "references": {},
...          "compressed": True}
>>> read_lazyload_db(gzip.compress(serialize(index)), entry, "corpus 'x'")["book"]
['It is a truth', None]
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import rdata

from textgen.errors import TextgenError


def read_lazyload_db(rdx: bytes, rdb: bytes, where: str, names: Iterable[str] | None = None) -> dict[str, Any]:
    """{name: object} for `names` (default: every object); character vectors become lists."""
    index = _unserialize(_gunzip(rdx, where), f"{where}: .rdx index")
    try:
        variables, scheme = index["variables"], np.asarray(index["compressed"]).ravel()[0].item()
    except (KeyError, TypeError, IndexError, AttributeError):
        raise TextgenError(f"{where}: .rdx is not a lazy-load index (no variables/compressed)") from None
    if scheme != 1:  # TRUE; FALSE, 2 (bzip2) and 3 (xz) frame entries differently and are unseen here
        raise TextgenError(f"{where}: .rdb compression {scheme!r} not supported (only zlib, R's default)")
    wanted = list(variables) if names is None else list(names)
    missing = [n for n in wanted if n not in variables]
    if missing:
        raise TextgenError(f"{where}: objects {missing} not in the database (it has {sorted(map(str, variables))})")
    return {str(n): _entry(rdb, *map(int, variables[n]), f"{where}: object {n!r}") for n in wanted}


def _entry(rdb: bytes, offset: int, length: int, where: str) -> Any:
    blob = rdb[offset: offset + length]
    if len(blob) != length or length < 4:
        raise TextgenError(f"{where}: entry at {offset}+{length} runs past the end of the .rdb ({len(rdb)} bytes)")
    value = _unserialize(_inflate(blob, where), where)
    return [None if s is None else str(s) for s in value] if _is_character(value) else value


def _inflate(blob: bytes, where: str) -> bytes:
    try:
        data = zlib.decompress(blob[4:])
    except zlib.error as err:
        raise TextgenError(f"{where}: .rdb entry is not zlib data ({err})") from None
    if len(data) != int.from_bytes(blob[:4], "big"):
        header = int.from_bytes(blob[:4], "big")
        raise TextgenError(f"{where}: .rdb entry is {len(data)} bytes, its header says {header}")
    return data


def _is_character(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.ndim == 1 and all(isinstance(s, (str, type(None))) for s in value)


def _gunzip(data: bytes, where: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as err:
        raise TextgenError(f"{where}: .rdx is not gzip data ({err})") from None


def _unserialize(data: bytes, where: str) -> Any:
    try:
        # extension=".rds": a bare serialized object, no .rda header (and no "assumed RDS" warning)
        return rdata.conversion.convert(rdata.parser.parse_data(data, extension=".rds"))
    except Exception as err:  # noqa: BLE001 -- rdata raises assorted error types on malformed input
        raise TextgenError(f"{where}: not an R-serialized object ({type(err).__name__}: {err})") from None
