"""Provenance: code version, parameters, every data source with sha256, software, hardware, wall times."""

from __future__ import annotations

from textgen.io import read_json
from textgen.report import provenance
from textgen.report.context import Context, Section, job_anchor
from textgen.report.markdown import table


def render(ctx: Context) -> Section:
    manifests = [read_json(folder / "manifest.json") for folder in ctx.source_dirs]
    times = provenance.wall_times(ctx.benchmark_files, ctx.root)
    parts = [
        table(["", ""], [
            ["git commit", provenance.git_state(ctx.root)],
            ["params.yaml sha256", f"`{provenance.params_digest(ctx.params_file)}`"],
            ["jobs timed", len(times)],
            ["sum of job wall times", f"{times['seconds'].sum():.1f} s"],
        ]),
        "### Parameters\n\n<details><summary>params.yaml as used</summary>\n\n```yaml\n"
        + ctx.params_file.read_text(encoding="utf-8").rstrip()
        + "\n```\n\n</details>",
        "### Data sources\n\nEach fetched package file, then each extracted work.\n\n" + provenance.sources_table(manifests),
        "<details><summary>Works</summary>\n\n" + provenance.works_table(manifests) + "\n\n</details>",
        "### Software\n\n" + table(["package", "version"], provenance.package_versions()),
        "### Hardware\n\n" + table(["", ""], provenance.hardware()),
        *(["### Where each model trained\n\nDevice, number of data-parallel processes, numeric precision "
           "and Lightning strategy of every training run, as its trainer recorded them.\n\n" + where]
          if (where := provenance.compute_table(ctx.artifacts, ctx.root)) else []),
        "### Every job\n\nEach job of the run: the rule that ran it, the parameters (dotted keys of params.yaml) "
        "it read, and its wall time and peak memory from Snakemake's `benchmark:` files. Every figure's caption "
        "links to the row of the job that made it.\n\n" + _jobs_table(ctx, times),
        _wall_time_figure(ctx, times),
    ]
    return Section("Provenance", "\n\n".join(parts))


def _jobs_table(ctx: Context, times) -> str:
    made = {job["job"]: job for job in ctx.jobs}
    rows = []
    for r in times.sort_values("seconds", ascending=False).to_dict("records"):
        job = made.get(r["job"], {})
        name = f'<span id="{job_anchor(r["job"])}"></span>{r["job"]}' if job else r["job"]
        rows.append([name, f"`{job['rule']}`" if job else "", ", ".join(f"`{k}`" for k in job.get("params", [])),
                     round(r["seconds"], 1), round(r["max RSS (MB)"])])
    return table(["job", "rule", "parameters", "seconds", "max RSS (MB)"], rows)


def _wall_time_figure(ctx: Context, times) -> str:
    from textgen.plots import plt

    times = times.sort_values("seconds")
    fig, ax = plt.subplots(figsize=(7.0, 0.8 + 0.22 * len(times)))
    ax.barh(times["job"], times["seconds"], color="#4c72b0")
    ax.set_xlabel("wall time (s)")
    ax.tick_params(axis="y", labelsize=7)
    return ctx.own_figure(fig, "wall_time_per_job.png", "Wall time of every job of the run.")
