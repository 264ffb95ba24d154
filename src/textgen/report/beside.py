"""A run's configuration beside the seed's: the paper profile (params/paper.yaml) is the seeds'
configuration, so every key where this run's params.yaml differs from it, and every key where the
paper profile itself must depart from a seed (seeds.PAPER_DEPARTURES), is shown with the seed's
value and why.

>>> flatten({"a": {"b": 1, "c": [2, 3]}, "d": None})
{'a.b': 1, 'a.c': [2, 3], 'd': None}
"""

from __future__ import annotations

from pathlib import Path

from textgen.config import load_yaml
from textgen.profiles import active_profile, render_profile
from textgen.report.markdown import table
from textgen.report.seeds import PAPER_DEPARTURES


def flatten(tree: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        out.update(flatten(value, name + ".") if isinstance(value, dict) and value else {name: value})
    return out


def configuration_beside_the_seed(params_file, prefix: str, label: str) -> str:
    """Markdown for the keys under `prefix` (dotted) of this run's params file that differ from the
    seed's configuration, or a line saying none does ("" without a params file)."""
    if not Path(params_file).is_file():
        return ""

    ours = {k: v for k, v in flatten(load_yaml(params_file)).items() if k.startswith(prefix + ".")}
    paper = {k: v for k, v in flatten(render_profile("paper")).items() if k.startswith(prefix + ".")}
    profile = active_profile(params_file)
    scaled = ("the default profile: scaled to minutes on a 2-core CPU" if profile == "default"
              else "the tiny profile: seconds per job, for tests" if profile == "tiny" else "edited in params.yaml")
    rows = []
    for key in sorted(set(ours) | set(paper)):
        short = key.removeprefix(prefix + ".")
        if key in PAPER_DEPARTURES:
            seed, why = PAPER_DEPARTURES[key]
            if ours.get(key, MISSING) != paper.get(key, MISSING):
                why = f"{scaled}; the paper profile has {_show(paper, key)}: {why}"
            rows.append([short, f"`{seed}`", _show(ours, key), why])
        elif ours.get(key, MISSING) != paper.get(key, MISSING):
            rows.append([short, _show(paper, key), _show(ours, key), scaled])
    if not rows:
        return f"{label}: every key as in the seed's configuration (the paper profile)."
    same = len(set(ours) | set(paper)) - len(rows)
    return (f"{label}, beside the seed's configuration (the paper profile, `params/paper.yaml`): the keys that "
            f"differ in this run; {same} other key{'s' if same != 1 else ''} as the seed's.\n\n"
            + table(["key", "seed", "this run", "why"], rows, align="llll"))


MISSING = object()


def _show(values: dict, key: str) -> str:
    """A value as params.yaml holds it; a key it does not set takes the code's default."""
    return f"`{values[key]}`" if key in values else "the code's default"
