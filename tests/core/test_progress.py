"""The progress reporter every trainer shares (textgen.progress)."""

from textgen.progress import Progress, duration


def ticking(start: float = 0.0):
    clock = iter(range(int(start), 10_000))
    return lambda: float(next(clock))


def test_a_resumed_run_counts_its_earlier_time_and_rates_only_its_own_steps():
    lines = []
    p = Progress(10, done=6, tokens_per_step=50, every=2, log=lines.append, bar=False, elapsed=100.0, clock=ticking())
    p.update(8, train=2.5, lr=1e-4)  # 2 steps in 1 s (the clock ticks once per reading)
    assert lines == ["step 8/10 train 2.500 lr 0.0001 | 100 tokens/s | 1m41s elapsed, ETA 1s"]


def test_lines_only_when_due_and_only_from_the_reporting_process():
    lines = []
    p = Progress(5, every=0, log=lines.append, bar=False, clock=ticking())
    p.update(1, train=3.0)
    p.set(val=2.9)  # shown from the next line on, in the fixed order train, val
    p.update(2, line=True)
    assert lines == ["step 2/5 train 3.000 val 2.900 | 1s elapsed, ETA 2s"]
    p.update(5)  # the last step always reports
    assert len(lines) == 2 and lines[-1].startswith("step 5/5 ")
    quiet = []
    q = Progress(2, every=1, log=quiet.append, show=False, bar=False, clock=ticking())
    q.update(1), q.update(2)
    assert quiet == []


def test_durations():
    assert [duration(s) for s in (0, 59.6, 61, 3599, 3600, 90061)] == ["0s", "1m00s", "1m01s", "59m59s", "1h00m", "25h01m"]
