"""What a training run will cost, printed as it starts: tokens, FLOPs, and hours at this machine's
measured matmul peak (`plan_line`). `textgen estimate` does the same for every model of a profile,
with a measured warm-up.
"""

from __future__ import annotations

import time

UTILIZATION = 0.3  # share of this machine's measured fp32 matmul peak assumed for arithmetic not timed


def human(n: float | None, unit: str = "") -> str:
    """A count with a metric suffix.

    >>> human(124_439_808), human(5.24288e8), human(1234), human(None)
    ('124.4M', '524.3M', '1.2k', '-')
    """
    if n is None:
        return "-"
    for size, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"{n / size:.1f}{suffix}{unit}"
    return f"{n:g}{unit}"


def hours(h: float | None) -> str:
    """Hours with as many digits as matter.

    >>> hours(1234.56), hours(12.345), hours(0.01234), hours(None)
    ('1,235', '12.3', '0.0123', '-')
    """
    if h is None:
        return "-"
    if h >= 100:
        return f"{h:,.0f}"
    if h >= 1:
        return f"{h:.1f}"
    return f"{h:.3g}"


_PEAK: dict[str, float] = {}


def _peak(device: str) -> float:
    """GFLOP/s of fp32 products here: on a CPU the faster library on the models' shapes
    (textgen.matmul, a fraction of a second), on a GPU a 4096^2 product timed with synchronisation."""
    import torch

    if device != "cuda":
        from textgen.matmul import measure

        return max(measure().values())
    a = torch.randn(4096, 4096, device="cuda")
    torch.mm(a, a)
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        torch.mm(a, a)
        torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return 2 * 4096**3 / best / 1e9


def plan_line(name: str, params: int, tokens: int, flops_per_token: float, peak_gflops: float | None = None,
              utilization: float = UTILIZATION) -> str:
    """One line for a trainer to print as it starts: tokens, FLOPs, and the hours at this machine's
    measured fp32 matmul peak (a lower bound) and at `utilization` of it (what training reaches).

    `tokens` is what the run will process (e.g. max_iters x grad_accum x batch x block) and
    `flops_per_token` the family's helper (e.g. textgen.gpt.flops.estimate_flops_per_token(config)).
    Without `peak_gflops`, the peak is measured once per process (textgen.perf's fp32 products, 1024
    x 1024 on a CPU: a fraction of a second, a little below the 2048 x 2048 peak `textgen estimate`
    reports). For example, a trainer would do:

        print(plan_line(name, model.num_params(), tokens, estimate_flops_per_token(model.config)), flush=True)

    >>> print(plan_line("gpt/quixote_large", 103_800_576, 524_288_000, 7.3614e8, peak_gflops=500.0))
    ... # doctest: +NORMALIZE_WHITESPACE
    plan gpt/quixote_large: 103.8M parameters, 524.3M tokens, 3.86e+17 FLOPs (7.36e+08 a token);
    at the measured peak of 500 GFLOP/s 214 h, at 30% of it 715 h
    """
    if peak_gflops is None:
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
        if device not in _PEAK:
            _PEAK[device] = _peak(device)
        peak_gflops = _PEAK[device]
    flops = tokens * flops_per_token
    at_peak = flops / (peak_gflops * 1e9) / 3600
    return (f"plan {name}: {human(params)} parameters, {human(tokens)} tokens, {flops:.2e} FLOPs "
            f"({flops_per_token:.2e} a token); at the measured peak of {peak_gflops:,.0f} GFLOP/s {hours(at_peak)} h, "
            f"at {utilization:.0%} of it {hours(at_peak / utilization)} h")
