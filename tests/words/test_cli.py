import json

import pytest

from textgen.errors import TextgenError
from textgen.words.prepare import main

PARAMS = {"works": ["stone", "azkaban"], "min_count": 1, "val": 0.1, "test": 0.1}
SEED = ["--seed", "3"]


def test_inline_params_write_outputs_and_print_one_summary_line(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--corpus", str(corpus), "--out", str(out), "--params", json.dumps(PARAMS), *SEED]) == 0
    meta = json.loads((out / "meta.json").read_text())
    n = meta["tokens"]
    assert [w["id"] for w in meta["works"]] == ["stone", "azkaban"] and meta["split"]["seed"] == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"prepare-words: 2 works, {sum(n.values()):,} tokens (train {n['train']:,}, val {n['val']:,}, "
                     f"test {n['test']:,}), {meta['unique_tokens']:,} unique, vocab {meta['vocab_size']:,} "
                     f"(min_count 1), unk 0.00% -> {out}"]


def test_params_may_come_from_a_json_file(corpus, tmp_path, capsys):
    (tmp_path / "params.json").write_text(json.dumps({**PARAMS, "works": "all"}))
    assert main(["--corpus", str(corpus), "--out", str(tmp_path / "out"), "--params", str(tmp_path / "params.json"), *SEED]) == 0
    assert capsys.readouterr().out.startswith("prepare-words: 3 works, ")


@pytest.mark.parametrize("params, message", [
    ('{"works": "all"}', r"--params: expected exactly the keys \['works', 'min_count', 'val', 'test'\], got \['works'\]"),
    (json.dumps({**PARAMS, "min_cuont": 2}), "got .*'min_cuont'"),
    ('{"works": "all",', "--params: not valid JSON"),
    ("no/such/params.json", "--params: not a JSON object nor a readable file"),
    (json.dumps({**PARAMS, "min_count": 0}), "min_count: expected an integer >= 1"),
])
def test_bad_params_are_refused_with_the_key_at_fault(corpus, tmp_path, params, message):
    with pytest.raises(TextgenError, match=message):
        main(["--corpus", str(corpus), "--out", str(tmp_path / "out"), "--params", params, *SEED])
    assert not (tmp_path / "out").exists()
