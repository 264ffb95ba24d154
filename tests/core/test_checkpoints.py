"""The one checkpoint policy (textgen.checkpoints): atomic, fingerprinted, keep N, fall back past a
damaged file, delete nothing before this run has saved, write on rank 0 only."""

from __future__ import annotations

import pytest
import torch

from textgen.checkpoints import RESUME_ONLY, Checkpoints
from textgen.errors import TextgenError


def folder_of(tmp_path, run, logs, **kwargs) -> Checkpoints:
    return Checkpoints(tmp_path / "ck", run, log=logs.append, **kwargs)


def names(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "ck").iterdir())


def test_keeps_the_newest_n_and_resumes_the_newest(tmp_path):
    logs: list[str] = []
    ckpts = folder_of(tmp_path, {"lr": 0.1}, logs, keep=2)
    for step in (10, 20, 30):
        ckpts.save(step, {"w": torch.full((2,), float(step))})
    assert names(tmp_path) == ["state-0000020.pt", "state-0000030.pt"]
    state = folder_of(tmp_path, {"lr": 0.1}, logs).resume()
    assert state["step"] == 30 and state["w"].tolist() == [30.0, 30.0]


def test_a_finished_run_keeps_one_state_without_its_optimizer(tmp_path):
    logs: list[str] = []
    ckpts = folder_of(tmp_path, {"lr": 0.1}, logs, keep=2)
    model = torch.nn.Linear(3, 2)
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.ones(1, 3)).sum().backward()
    optimizer.step()
    for step in (10, 20):
        ckpts.save(step, {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": {"n": step}})
    ckpts.save(30, {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": {"n": 30},
                    "history": [1.0]}, final=True)
    assert names(tmp_path) == ["state-0000030.pt"]  # the earlier states of the run went
    state = folder_of(tmp_path, {"lr": 0.1}, logs).resume()
    assert state["final"] and state["step"] == 30 and state["history"] == [1.0]
    assert not set(RESUME_ONLY) & set(state), sorted(state)
    fresh = torch.nn.Linear(3, 2)
    Checkpoints.restore(fresh, state, "model")
    assert torch.equal(fresh.weight, model.weight)
    untouched = torch.optim.Adam(fresh.parameters())
    Checkpoints.restore(untouched, state, "optimizer")  # dropped: nothing to load, no error
    assert untouched.state_dict()["state"] == {}
    # An ordinary state must hold what it is asked for: a missing optimizer is named.
    with pytest.raises(TextgenError, match="state of step 10 has no 'optimizer'"):
        Checkpoints.restore(untouched, {"step": 10, "model": {}}, "optimizer")


def test_a_truncated_state_falls_back_to_the_one_before_with_a_warning(tmp_path):
    logs: list[str] = []
    ckpts = folder_of(tmp_path, {"lr": 0.1}, logs)
    ckpts.save(10, {"w": torch.zeros(3)})
    ckpts.save(20, {"w": torch.ones(3)})
    newest = tmp_path / "ck" / "state-0000020.pt"
    newest.write_bytes(newest.read_bytes()[:100])
    state = folder_of(tmp_path, {"lr": 0.1}, logs).resume()
    assert state["step"] == 10
    assert any(line.startswith(f"warning: {newest}: unreadable") for line in logs), logs


def test_a_foreign_or_malicious_file_is_skipped_not_executed(tmp_path):
    class Boom:
        def __reduce__(self):
            return (print, ("pickled code ran",))

    logs: list[str] = []
    ckpts = folder_of(tmp_path, {"lr": 0.1}, logs)
    ckpts.save(10, {"w": torch.zeros(1)})
    torch.save({"x": Boom()}, tmp_path / "ck" / "state-0000020.pt")  # weights_only refuses it
    assert folder_of(tmp_path, {"lr": 0.1}, logs).resume()["step"] == 10
    assert "state-0000020.pt: unreadable" in logs[0]


def test_another_runs_states_name_the_setting_and_stay_until_this_run_saves(tmp_path):
    logs: list[str] = []
    old = folder_of(tmp_path, {"train": {"lr": 0.1}}, logs)
    old.save(10, {"w": torch.zeros(1)})
    old.save_file("model-10.pt", {"w": torch.zeros(1)})
    new = folder_of(tmp_path, {"train": {"lr": 0.2}}, logs)
    assert new.resume() is None
    assert "not resumed: run.train.lr: checkpoint 0.1, now 0.2" in logs[-1]
    assert names(tmp_path) == ["model-10.pt", "state-0000010.pt"]  # a run that fails now loses nothing
    new.save(5, {"w": torch.ones(1)})
    assert names(tmp_path) == ["state-0000005.pt"]


def test_only_the_writer_writes(tmp_path):
    logs: list[str] = []
    reader = folder_of(tmp_path, {"lr": 0.1}, logs, writer=False)
    reader.save(10, {"w": torch.zeros(1)})
    reader.save_file("model-10.pt", {"w": torch.zeros(1)})
    assert not (tmp_path / "ck").exists()


def test_kept_files_are_checked_before_use(tmp_path):
    logs: list[str] = []
    ckpts = folder_of(tmp_path, {"lr": 0.1}, logs)
    ckpts.save_file("model-10.pt", {"w": torch.ones(2)})
    assert ckpts.load_file("model-10.pt")["w"].tolist() == [1.0, 1.0]
    assert folder_of(tmp_path, {"lr": 0.2}, logs).load_file("model-10.pt") is None  # another run's
    path = tmp_path / "ck" / "model-10.pt"
    path.write_bytes(path.read_bytes()[:50])
    try:
        ckpts.load_file("model-10.pt")
    except Exception as err:  # noqa: BLE001
        assert str(path) in str(err) and "unreadable" in str(err)
    else:
        raise AssertionError("a truncated kept file was accepted")
