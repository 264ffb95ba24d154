import json
import pickle
import subprocess
from pathlib import Path
import sys

import pytest
import yaml

from textgen.config import deep_merge, get, load_yaml, validate_params
from textgen.errors import TextgenError
from textgen.profiles import NAMES, render_profile
from textgen.workflow.params import Param, code_files

ROOT = Path(__file__).resolve().parents[2]


def test_params_yaml_is_the_default_profile():
    assert load_yaml(ROOT / "params.yaml") == load_yaml(ROOT / "params" / "default.yaml")


@pytest.mark.parametrize("name", NAMES)
def test_every_profile_is_valid(name):
    validate_params(render_profile(name))


def test_overlays_only_change_what_they_name():
    default, tiny = render_profile("default"), render_profile("tiny")
    overlay = load_yaml(ROOT / "params" / "tiny.yaml")
    assert deep_merge(default, overlay) == tiny
    assert tiny["corpora"] == default["corpora"]


def _broken(mutate):
    params = render_profile("default")
    mutate(params)
    with pytest.raises(TextgenError) as err:
        validate_params(params)
    return str(err.value)


def test_typo_names_the_key_and_the_allowed_ones():
    message = _broken(lambda p: p["words"].update(min_cout=2))
    assert "words: Additional properties are not allowed ('min_cout' was unexpected)" in message
    assert "min_count" in message.split("allowed keys:")[1]


def test_bad_value_names_the_dotted_key():
    message = _broken(lambda p: p["corpora"]["austen"]["source"].update(kind="ftp"))
    assert "corpora.austen.source.kind: 'ftp' is not one of" in message


def test_missing_key_for_source_kind():
    message = _broken(lambda p: p["corpora"]["milton"].update(source={"kind": "url", "url": "https://example.org/m.txt"}))
    assert "corpora.milton.source: 'sha256' is a required property" in message


def test_fraction_out_of_range():
    assert "pairs.nb_nn.options.test: 0.7 is greater than or equal to the maximum of 0.5" in _broken(
        lambda p: p["pairs"]["nb_nn"]["options"].update(test=0.7)
    )


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "params.yaml"
    bad.write_text("seed: 1\nwords: [unclosed\n")
    with pytest.raises(TextgenError, match=r"params.yaml:\d+: not valid YAML"):
        load_yaml(bad)


def test_check_params_command_exits_nonzero_naming_the_key(tmp_path):
    params = render_profile("default")
    params["seed"] = -1
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    run = subprocess.run([sys.executable, "-m", "textgen", "check-params", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "seed: -1 is less than the minimum of 0" in run.stderr


def test_param_is_json_and_remembers_its_key():
    p = Param.of({"pairs": {"nb_nn": {"options": {"val": 0.05, "test": 0.1}}}}, "pairs.nb_nn.options")
    assert str(p) == '{"test": 0.1, "val": 0.05}'
    assert p.keys == ("pairs.nb_nn.options",)


def test_param_each_keeps_only_the_named_entries_and_their_keys():
    params = {"lstm": {"models": {"a": {"lr": 1}, "b": {"lr": 2}, "c": {"lr": 3}}}}
    p = Param.each(params, "lstm.models", ["b", "a"])
    assert json.loads(p) == {"a": {"lr": 1}, "b": {"lr": 2}}
    assert p.keys == ("lstm.models.b", "lstm.models.a")
    assert pickle.loads(pickle.dumps(p)).keys == p.keys
    with pytest.raises(TextgenError, match="missing key 'lstm.models.d'"):
        Param.each(params, "lstm.models", ["d"])


def test_get_missing_key():
    with pytest.raises(TextgenError, match="missing key 'a.c'"):
        get({"a": {"b": 1}}, "a.c")


def test_code_files_lists_core_package_and_rule_file():
    files = code_files("report", rule_file="workflow/rules/report.smk")
    assert files[0] == "src/textgen/__init__.py"
    assert "src/textgen/report/assemble.py" in files
    assert files[-1] == "workflow/rules/report.smk"
    assert all((ROOT / f).is_file() for f in files)


def test_code_files_follow_imports_but_not_into_the_benchmarks():
    lstm = code_files("lstm", rule_file="workflow/rules/lstm.smk")
    # lstm/simple.py imports textgen.linear; lstm/train.py imports data.args inside its package
    assert {"src/textgen/linear.py", "src/textgen/data/args.py", "src/textgen/lstm/cell.py"} <= set(lstm)
    assert "src/textgen/lstm/bench.py" not in lstm and "src/textgen/perf.py" not in lstm
    perf = code_files("perf", "lstm", rule_file="workflow/rules/perf.smk")
    assert {"src/textgen/lstm/bench.py", "src/textgen/perf.py", "src/textgen/linear.py"} <= set(perf)
    assert len(lstm) == len(set(lstm))


def test_the_tiny_dag_has_the_default_ones_jobs():
    """CI's tiny run must not rewrite dvc.yaml (a changed tracked file shows up in the report's provenance as
    'with uncommitted changes'): every setting that decides which jobs exist is the default's."""
    tiny, default = render_profile("tiny"), render_profile("default")
    assert tiny["lstm"]["replicates"]["seeds"] == default["lstm"]["replicates"]["seeds"]
    for block in ("corpora", "pairs"):
        assert list(tiny[block]) == list(default[block])
