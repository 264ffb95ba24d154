"""How a Snakemake rule hands params.yaml values to its `textgen` command.

A `Param` formats as command-line text (a string as it is, anything else as JSON, so a rule writes
`--source {params.source:q}`) and remembers the dotted key it came from, which is how dvc.yaml
learns exactly which parameters each stage reads.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from pathlib import Path

from textgen.config import get, project_root

# Modules every command imports; editing them reruns everything, in Snakemake and DVC alike.
CORE_MODULES = ("__init__.py", "__main__.py", "allocator.py", "cli.py", "config.py", "errors.py", "io.py")


class Param(str):
    """A parameter value as command-line text, tagged with the dotted keys it came from.

    >>> p = Param.of({"words": {"min_count": 2}}, "words.min_count")
    >>> str(p), p.keys
    ('2', ('words.min_count',))
    >>> str(Param.of({"report": {"title": "A study"}}, "report.title"))
    'A study'

    `each` takes some entries of a mapping, so that a job depends on those alone:

    >>> p = Param.each({"runs": {"a": 1, "b": 2, "c": 3}}, "runs", ["c", "a"])
    >>> str(p), p.keys
    ('{"a": 1, "c": 3}', ('runs.c', 'runs.a'))
    """

    keys: tuple[str, ...]

    @classmethod
    def of(cls, params: dict, key: str) -> "Param":
        value = get(params, key)
        return _make_param(value if isinstance(value, str) else json.dumps(value, sort_keys=True), (key,))

    @classmethod
    def each(cls, params: dict, key: str, names: list[str]) -> "Param":
        keys = tuple(f"{key}.{name}" for name in names)
        return _make_param(json.dumps({name: get(params, k) for name, k in zip(names, keys)}, sort_keys=True), keys)

    def __reduce__(self):  # Snakemake pickles params for some executors; keep the keys
        return (_make_param, (str(self), self.keys))


def _make_param(text: str, keys: tuple[str, ...]) -> Param:
    obj = Param(text)
    obj.keys = tuple(keys)
    return obj


class CodeDigest(str):
    """A rule's `params: code=` entry: the sha256 of the source files its command runs, tagged with
    those files. Snakemake reruns a job whose params changed, so a code edit reruns exactly the
    jobs that run the edited file, without listing some 50 files as inputs of every job; dvc.yaml
    lists the files themselves as deps (textgen.workflow.dag).

    >>> digest = CodeDigest.of(["src/textgen/errors.py"])
    >>> len(digest), digest.files
    (16, ('src/textgen/errors.py',))
    """

    files: tuple[str, ...]

    @classmethod
    def of(cls, files: list[str]) -> "CodeDigest":
        root = project_root()
        h = hashlib.sha256()
        for name in files:
            h.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
        obj = cls(h.hexdigest()[:16])
        obj.files = tuple(files)
        return obj

    def __reduce__(self):  # Snakemake pickles params for some executors; keep the files
        return (_make_digest, (str(self), self.files))


def _make_digest(text: str, files: tuple[str, ...]) -> CodeDigest:
    obj = CodeDigest(text)
    obj.files = files
    return obj


def code_files(*packages: str, rule_file: str) -> list[str]:
    """Source files a rule's command runs: the core modules, the named subpackages or modules, every
    textgen module they import (followed through imports, also those inside functions), and the
    rule's own .smk file. Their digest is the rule's `code=` params entry and dvc.yaml lists them
    as deps, so editing code reruns what it affects in both tools.

    >>> files = code_files("gpt", rule_file="workflow/rules/gpt.smk")
    >>> "src/textgen/cli.py" in files, "src/textgen/linear.py" in files  # gpt/model.py imports linear
    (True, True)
    """
    root = project_root()
    src = root / "src" / "textgen"
    core = [src / name for name in CORE_MODULES]
    entries = []
    for package in packages:
        path = src / package
        entries += sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
    if "perf" not in packages:  # a package's bench.py is the perf rules' code, not its training's
        entries = [entry for entry in entries if entry.name != "bench.py"]
    files = core + sorted(set(imported_closure(entries, src)) - set(core))
    files.append(root / rule_file)  # an absolute rule_file stays as it is
    return [str(Path(f).relative_to(root)) for f in files]


def imported_closure(files: list[Path], src: Path) -> list[Path]:
    """`files` and every module of the textgen package under `src` that they import, transitively."""
    seen: set[Path] = set()
    todo = list(files)
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        todo += _textgen_imports(path, src)
    return sorted(seen)


@functools.cache  # every rule asks about the same files: parse each once per process
def _textgen_imports(path: Path, src: Path) -> list[Path]:
    """Files of the textgen modules `path` imports (with their packages' __init__.py)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    found = []
    for name in names:
        parts = name.split(".")
        if parts[0] != "textgen":
            continue
        for depth in range(2, len(parts) + 1):  # textgen.a.b -> textgen/a/__init__.py, textgen/a/b.py
            module = src.joinpath(*parts[1:depth])
            found += [p for p in (module / "__init__.py", module.with_suffix(".py")) if p.is_file()]
    return found
