"""Keep glibc malloc from handing memory back to the OS between training steps.

By default glibc serves large tensors with mmap and trims the heap after frees, so every training
step maps and faults in the same pages again (55k-430k page faults per step on these CPUs, a
1.2-1.7x slowdown; DESIGN.md). Turning mmap off and raising the trim threshold keeps the pages.
glibc reads GLIBC_TUNABLES only at process start, hence the re-exec.
"""

from __future__ import annotations

import os
import sys

TUNABLES = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296"
# Set TEXTGEN_MALLOC=default to measure or debug with glibc's defaults.
OPT_OUT = "TEXTGEN_MALLOC"


def tuned_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """A copy of `env` with the tunables added (kept as they are if the user set their own)."""
    env = dict(os.environ if env is None else env)
    if env.get(OPT_OUT) != "default" and "GLIBC_TUNABLES" not in env:
        env["GLIBC_TUNABLES"] = TUNABLES
    return env


def reexec_with_tuned_malloc() -> None:
    """Replace this process by itself with the tunables set, unless they are set or opted out."""
    if sys.platform != "linux" or os.environ.get(OPT_OUT) == "default" or "GLIBC_TUNABLES" in os.environ:
        return
    os.execve(sys.executable, [sys.executable, "-m", "textgen", *sys.argv[1:]], tuned_environment())
