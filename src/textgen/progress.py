"""The one progress reporter of every trainer: a tqdm bar on a terminal, and otherwise (a job's
log file) a concise line every `every` steps and at the end, with the losses, tokens/s and the ETA.

>>> lines = []
>>> clock = iter(range(10)).__next__  # a second passes at each reading
>>> p = Progress(total=4, tokens_per_step=100, every=2, log=lines.append, bar=False, clock=clock)
>>> for step in range(1, 5):
...     p.update(step, train=5.0 - step)
>>> lines
['step 2/4 train 3.000 | 200 tokens/s | 1s elapsed, ETA 1s', 'step 4/4 train 1.000 | 200 tokens/s | 2s elapsed, ETA 0s']
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from tqdm import tqdm

ORDER = ("epoch", "train", "val", "loss", "eval_loss", "grad_norm", "lr")  # values in this order, then the rest


def duration(seconds: float) -> str:
    """Short human form.

    >>> duration(42.4), duration(125), duration(7260)
    ('42s', '2m05s', '2h01m')
    """
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """Progress of one training run over `total` steps, `done` of them before this process.

    update(step, **values) records the step reached and the values to show (train=, val=, lr=...;
    the last value given for each name stays shown). On a terminal the values go to the bar; off
    it, a line is logged when `every` divides the step (0: never), at the last step, or when
    `line=True`. Only one process of a data-parallel run reports (`show`)."""

    def __init__(self, total: int, done: int = 0, tokens_per_step: int = 0, every: int = 0,
                 log: Callable[[str], None] = print, show: bool = True, bar: bool = True, desc: str | None = None,
                 elapsed: float = 0.0, clock: Callable[[], float] = time.perf_counter):
        self.total, self.step, self.first = total, done, done
        self.tokens_per_step, self.every, self.log, self.show = tokens_per_step, every, log, show
        self.clock = clock
        self.started = clock()
        self.before = elapsed  # seconds spent by the runs this one resumes
        self.values: dict[str, float] = {}
        self.bar = tqdm(total=total, initial=done, desc=desc, unit="step", dynamic_ncols=True,
                        disable=not (show and bar and sys.stderr.isatty()))

    def set(self, **values: float) -> None:
        """Values to show from now on (an evaluation's val loss, say), without moving a step."""
        self.values.update(values)

    def update(self, step: int, line: bool | None = None, **values: float) -> None:
        self.bar.update(step - self.step)
        self.step = step
        self.values.update(values)
        if not self.bar.disable:
            self.bar.set_postfix({k: f"{v:.4g}" for k, v in self.values.items()}, refresh=False)
            return
        due = line if line is not None else (self.every and step % self.every == 0) or step == self.total
        if self.show and due:
            self.log(self.line())

    def line(self) -> str:
        now = self.clock() - self.started
        done = self.step - self.first
        shown = sorted(self.values.items(), key=lambda kv: ORDER.index(kv[0]) if kv[0] in ORDER else len(ORDER))
        parts = [f"step {self.step}/{self.total}" + "".join(f" {k} {_number(v)}" for k, v in shown)]
        if self.tokens_per_step and done and now > 0:
            parts.append(f"{self.tokens_per_step * done / now:,.0f} tokens/s")
        eta = f", ETA {duration((self.total - self.step) * now / done)}" if done else ""
        parts.append(f"{duration(self.before + now)} elapsed{eta}")
        return " | ".join(parts)

    def close(self) -> None:
        self.bar.close()


def _number(value: float) -> str:
    return f"{value:.3f}" if abs(value) >= 0.01 or value == 0 else f"{value:.3g}"
