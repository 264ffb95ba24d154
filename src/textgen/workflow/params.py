"""How a Snakemake rule hands params.yaml values to its `textgen` command.

A `Param` formats as command-line text (a string as it is, anything else as JSON, so a rule writes
`--source {params.source:q}`) and remembers the dotted key it came from, which is how dvc.yaml
learns exactly which parameters each stage reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from textgen.config import get, project_root

# Modules every command imports; editing them reruns everything, in Snakemake and DVC alike.
CORE_MODULES = ("__init__.py", "__main__.py", "allocator.py", "cli.py", "config.py", "errors.py", "io.py")


class Param(str):
    """A parameter value as command-line text, tagged with its dotted key.

    >>> p = Param.of({"words": {"min_count": 2}}, "words.min_count")
    >>> str(p), p.key
    ('2', 'words.min_count')
    >>> str(Param.of({"report": {"title": "A study"}}, "report.title"))
    'A study'
    """

    key: str

    @classmethod
    def of(cls, params: dict, key: str) -> "Param":
        value = get(params, key)
        obj = cls(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
        obj.key = key
        return obj

    def __reduce__(self):  # Snakemake pickles params for some executors; keep the key
        return (_make_param, (str(self), self.key))


def _make_param(text: str, key: str) -> Param:
    obj = Param(text)
    obj.key = key
    return obj


def code_files(*packages: str, rule_file: str) -> list[str]:
    """Source files a rule's command runs: the core modules, the named subpackages or modules, and
    the rule's own .smk file. They are rule inputs, so editing code reruns what it affects.

    >>> "src/textgen/cli.py" in code_files(rule_file="workflow/rules/data.smk")
    True
    """
    root = project_root()
    src = root / "src" / "textgen"
    files = [src / name for name in CORE_MODULES]
    for package in packages:
        path = src / package
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
    files.append(root / rule_file)  # an absolute rule_file stays as it is
    return [str(Path(f).relative_to(root)) for f in files]
