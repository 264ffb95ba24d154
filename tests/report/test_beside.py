"""A configuration beside the seed's: the paper profile is the seeds' configuration, so a paper run
shows only where the paper profile itself must depart from a seed, with the reason; another run
shows every key it changes."""

from __future__ import annotations

import yaml

from textgen.profiles import render_profile
from textgen.report.beside import configuration_beside_the_seed


def params_file(tmp_path, profile: str, **changes):
    params = render_profile(profile)
    for key, value in changes.items():
        params["translate"]["models"]["nb_nn"]["config"][key] = value
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    return path


def test_the_paper_profile_shows_only_its_departures_from_the_seed_with_the_reason(tmp_path):
    text = configuration_beside_the_seed(params_file(tmp_path, "paper"), "translate.models.nb_nn", "Configuration")
    rows = [line for line in text.splitlines() if line.startswith("| config.")]
    assert rows == ["| config.vocab_size | `50000` | `28000` | seed 001's 50,000 BPE tokens need more text than the "
                    "stand-in pairs' train split holds (it yields at most 28,514 distinct tokens), so the largest round "
                    "size under that |"]
    assert configuration_beside_the_seed(params_file(tmp_path, "paper"), "gpt.models.kafka", "Kafka") == \
        "Kafka: every key as in the seed's configuration (the paper profile)."


def test_a_scaled_run_shows_every_key_it_changes_and_the_seeds_value(tmp_path):
    text = configuration_beside_the_seed(params_file(tmp_path, "default"), "translate.models.nb_nn", "Configuration")
    assert "| config.n_embd | `512` | `128` | the default profile: scaled to minutes on a 2-core CPU |" in text
    assert ("| config.vocab_size | `50000` | `4000` | the default profile: scaled to minutes on a 2-core CPU; the paper "
            "profile has `28000`: seed 001's 50,000") in text
    assert "| config.betas | `[0.9, 0.98]` | the code's default |" in text  # a key the default profile leaves out
    edited = configuration_beside_the_seed(params_file(tmp_path, "paper", n_head=4), "translate.models.nb_nn", "C")
    assert "| config.n_head | `8` | `4` | edited in params.yaml |" in edited


def test_no_params_file_no_table(tmp_path):
    assert configuration_beside_the_seed(tmp_path / "missing.yaml", "gpt.models.kafka", "Kafka") == ""
