"""params.yaml: load it, validate it against the JSON schema, read dotted keys.

Validation runs before any job (Snakemake's common.smk and `textgen check-params` call it), so a
typo or a bad value stops the run with a message that names the key.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from textgen.errors import TextgenError

# libyaml's parser where PyYAML was built with it (the wheels are): the same mappings as SafeLoader,
# ~10x faster, and every Snakemake start reads params.yaml and the schema.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def project_root(start: Path | None = None) -> Path:
    """The textgen checkout containing `start` (default: the working directory): the nearest folder
    up the tree with a Snakefile and workflow/schemas. Commands run from anywhere inside it."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "Snakefile").is_file() and (folder / "workflow" / "schemas").is_dir():
            return folder
    raise TextgenError(f"{start}: not inside a textgen checkout (no Snakefile + workflow/schemas above it)")


def schema_path() -> Path:
    return project_root() / "workflow" / "schemas" / "params.schema.yaml"


def load_yaml(path: str | Path) -> dict:
    """Read a YAML mapping; a syntax error names the file and line."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise TextgenError(f"{path}: file not found") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise TextgenError(f"{path}{where}: not valid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(data, dict):
        raise TextgenError(f"{path}: expected a mapping of parameters at the top level")
    return data


def validate_params(params: dict, source: str = "params.yaml") -> None:
    """Raise TextgenError listing every schema violation as `source: dotted.key: problem`.

    >>> validate_params({"seed": "x"})
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: params.yaml: invalid parameters:
      (top level): 'compute' is a required property
    ...
      seed: 'x' is not of type 'integer'
    """
    schema = load_yaml(schema_path())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(params), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        lines = [f"  {_dotted(e.absolute_path) or '(top level)'}: {_explain(e)}" for e in errors]
        raise TextgenError(f"{source}: invalid parameters:\n" + "\n".join(lines))


def _dotted(path) -> str:
    return ".".join(str(p) for p in path)


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        # jsonschema's message lists the unexpected keys; add what is allowed, since a typo is the usual cause.
        allowed = sorted(error.schema.get("properties", {}))
        return f"{error.message}; allowed keys: {', '.join(allowed)}"
    return error.message


def get(params: dict, key: str) -> Any:
    """Value at a dotted key.

    >>> get({"a": {"b": 1}}, "a.b")
    1
    """
    node: Any = params
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise TextgenError(f"params.yaml: missing key {key!r}")
        node = node[part]
    return node


def deep_merge(base: dict, overlay: dict) -> dict:
    """`base` updated by `overlay`, recursively for mappings (lists and scalars are replaced).

    >>> deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}})
    {'a': {'b': 1, 'c': 3}}
    """
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
