"""The whole DAG on the tiny profile, its report, and the four Snakemake/DVC invariants of DESIGN.md.

The session's tiny run (tests/conftest.py: a fresh checkout, every source fetched from its package,
interrupted once and resumed) is copied once per module (tests/e2e/conftest.py); the tests then run
in order against the copy, as a user would: read the report, edit a param and the code, push and
clone. test_edits_and_faults.py goes on from its own copy: other corpora, bad params, kills, experiments.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tinyrun import ROOT, benchmark_times, jobs_run_between, set_param
from tinyrun import shell as run
pytestmark = pytest.mark.e2e


def test_interrupted_run_resumes_without_redoing_finished_jobs(tiny_run):
    assert "Unlocked working directory" in tiny_run.unlock  # the README's recovery step works
    assert not tiny_run.report_before, "the run finished before it was interrupted"
    assert tiny_run.finished, "no job finished before the interruption"
    assert tiny_run.interrupted, "no job was left to do at the interruption"
    redone = {job for job, mtime in tiny_run.finished.items() if tiny_run.after[job] != mtime}
    assert not redone, f"finished jobs were redone after the interruption: {redone}\n{tiny_run.rerun.stderr[:5000]}"
    assert (tiny_run.path / "report" / "index.html").exists()
    # The jobs stopped mid-write removed their half-written outputs (or the rerun did).
    strays = [str(p.relative_to(tiny_run.path)) for tree in ("data", "results", "report")
              for p in (tiny_run.path / tree).rglob(".*.tmp-*")]
    assert not strays, f"half-written outputs left behind by the interruption: {strays}"


# Every job's declared memory (params.yaml resources, what SLURM reserves) must cover what the tiny
# run measured with this margin, and none may ask for more than a 16 GB laptop can give one job.
MEMORY_MARGIN = 1.25
MEMORY_CEILING_MB = 6000


def test_every_job_declares_the_memory_it_used(work):
    """Declared mem_mb (from Snakemake's own job listing) against the benchmark's measured max_rss."""
    import pandas as pd

    listing = run("snakemake -n -F", work).stdout
    declared = {m["benchmark"]: int(m["mem_mb"]) for m in re.finditer(
        r"benchmark: (?P<benchmark>\S+)\n(?:    .*\n)*?    resources: .*?mem_mb=(?P<mem_mb>\d+)", listing)}
    assert len(declared) == len(benchmark_times(work)), "a job without a benchmark or a mem_mb"
    short, over = [], []
    for benchmark, mem_mb in sorted(declared.items()):
        rss = float(pd.read_csv(work / benchmark, sep="\t")["max_rss"].iloc[0])
        if rss * MEMORY_MARGIN > mem_mb:
            short.append(f"{benchmark}: declares {mem_mb} MB, used {rss:.0f} MB")
        if mem_mb > MEMORY_CEILING_MB:
            over.append(f"{benchmark}: declares {mem_mb} MB")
    assert not short, f"jobs that declare less memory than they use (x{MEMORY_MARGIN}):\n" + "\n".join(short)
    assert not over, f"jobs that declare more than {MEMORY_CEILING_MB} MB:\n" + "\n".join(over)


def test_report_has_every_section_and_stays_text(work):
    page = (work / "report" / "index.html").read_text()
    markdown = (work / "report" / "report.md").read_text()
    for heading in ("## Summary", "## Corpora", "## Report A: word-level LSTM generators", "### The optimizer study",
                    "## Report A: seed-to-seed noise",
                    "## Report B: decoder-only generators", "### Tokenization: vocabulary size vs bytes per token",
                    "## Translation: encoder-decoder Transformer", "## Every model compared", "## Provenance"):
        assert heading in markdown, heading
    # The fine-tuned LM and the stream-format GPTs of its corpus are scored on the same test bytes.
    for corpus, gpt in (("shakespeare", "quixote_small"), ("bible", "bible")):
        tuned = json.loads((work / "results" / "finetune" / corpus / "heldout.json").read_text())
        assert tuned["bytes"] == json.loads((work / "results" / "gpt" / "models" / gpt / "heldout.json").read_text())["bytes"]
        assert f"| finetune/{corpus} | fine-tuned causal LM | {corpus} (stream) |" in markdown
    # untrained byte-level models emit control bytes; the report shows them as symbols, never raw
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", markdown + page)
    for corpus in ("austen", "shakespeare", "milton", "bible", "poems", "nb_nn", "en_nb"):
        assert f"| {corpus} |" in markdown
    assert "## Provenance" in markdown and "r-cran-janeaustenr 1.0.0-1" in markdown
    assert re.search(r"`[0-9a-f]{64}`", markdown), "no sha256 in the report"
    assert "data:image/png;base64," in page and 'src="figures/' not in page  # self-contained
    assert '<nav><strong>Contents</strong>' in page
    assert (work / "data" / "processed" / "words" / "stats.csv").exists()


# Loads report/index.html at a phone's width (390 CSS px, inside an iframe: headless Chromium's window
# is at least 500 px wide) and writes what it finds into the wrapper page, which --dump-dom prints.
PHONE_PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" src="PAGE" style="width:390px;height:844px;border:0"></iframe>
<script>
document.getElementById("page").addEventListener("load", () => {
  const w = document.getElementById("page").contentWindow, d = w.document, root = d.documentElement;
  const images = [...d.images];
  const links = [...d.querySelectorAll('a[href^="#"]')].map(a => decodeURIComponent(a.getAttribute("href").slice(1)));
  const wide = [...d.body.querySelectorAll("*")]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && !e.parentElement.closest("table, pre"))
    .map(e => e.tagName + ": " + (e.textContent || "").slice(0, 60));
  const found = {images: images.length, broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt),
                 links: links.length, dead: links.filter(id => !d.getElementById(id)), wide: wide.slice(0, 10),
                 scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, sections: d.querySelectorAll("section").length};
  const out = document.createElement("pre"); out.id = "probe"; out.textContent = JSON.stringify(found); document.body.appendChild(out);
});
</script></body></html>
"""


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                           "--virtual-time-budget=30000", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_report_reads_on_a_phone_and_prints(work, apt_install):
    """Headless Chromium: every image decodes, every internal link resolves, no page-level sideways
    scroll at 390 px (wide tables scroll inside themselves), and it prints to PDF. The screenshots
    and the PDF are kept in tests/artifacts/ (TEXTGEN_TEST_ARTIFACTS)."""
    import json

    from PIL import Image

    apt_install(["chromium"], ["chromium"])
    report = work / "report"
    probe = report / ".phone-probe.html"
    probe.write_text(PHONE_PROBE.replace("PAGE", "index.html"))
    try:
        dom = chromium("--window-size=600,900", "--dump-dom", probe.as_uri(), cwd=report).stdout
        shot = chromium("--window-size=600,900", "--hide-scrollbars", f"--screenshot={report / '.phone.png'}",
                        probe.as_uri(), cwd=report)
    finally:
        probe.unlink()
    found = json.loads(re.search(r'<pre id="probe">([^<]*)</pre>', dom)[1].replace("&quot;", '"').replace("&amp;", "&"))
    page = (report / "index.html").read_text()
    assert found["sections"] == page.count("<section>") and found["sections"] >= 7, found
    assert found["images"] == page.count("<img") and not found["broken"], found
    assert found["links"] >= found["sections"] and not found["dead"], found
    assert found["scrollWidth"] <= found["clientWidth"] and not found["wide"], found

    artifacts = Path(os.environ.get("TEXTGEN_TEST_ARTIFACTS", ROOT / "tests" / "artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    assert shot.returncode == 0, shot.stderr[-2000:]
    with Image.open(report / ".phone.png") as image:
        image.crop((0, 0, 390, 844)).save(artifacts / "report-phone.png")
    (report / ".phone.png").unlink()
    chromium("--window-size=1280,900", "--hide-scrollbars", f"--screenshot={artifacts / 'report-desktop.png'}",
             (report / "index.html").as_uri(), cwd=report)
    pdf = chromium("--no-pdf-header-footer", f"--print-to-pdf={artifacts / 'report.pdf'}", (report / "index.html").as_uri(),
                   cwd=report)
    assert pdf.returncode == 0 and (artifacts / "report.pdf").read_bytes()[:5] == b"%PDF-", pdf.stderr[-2000:]
    assert (artifacts / "report-desktop.png").stat().st_size > 10_000


def test_generate_talks_to_every_trained_model(work, monkeypatch, capsys):
    """`textgen generate` on every model folder the tiny run made, each with a prompt of its kind."""
    from textgen.generate import main as generate

    monkeypatch.chdir(work)  # models find their tokenizers in the checkout they were trained in
    lstm_prompt = " ".join(yaml.safe_load((work / "params.yaml").read_text())["lstm"]["evaluation"]["prompt"])
    folders = {**{p: lstm_prompt for p in (work / "results/lstm/models").iterdir()},
               **{p: "The" for p in (work / "results/gpt/models").iterdir()},
               **{work / "results/translate" / pair: "Jeg er her." for pair in ("nb_nn", "en_nb")},
               **{p: "The sun" for p in (work / "results/finetune").iterdir() if p.is_dir()}}
    assert len(folders) >= 7 + 6 + 2 + 4
    for folder, prompt in sorted(folders.items()):
        code = generate([str(folder), prompt, "--max-tokens", "5", "--seed", "1"])
        out, err = capsys.readouterr()
        assert code == 0 and out.strip(), (folder, err)


def test_invariant_1_after_snakemake_dvc_is_clean_and_repro_is_a_noop(work):
    result = run("snakemake -n", work)
    assert "Nothing to be done" in result.stdout + result.stderr
    # Snakemake's execution defaults (rerun-incomplete, ...) are loaded by every run.
    assert "Using workflow specific profile profiles/default" in result.stdout + result.stderr
    assert "Data and pipelines are up to date" in run("dvc status", work).stdout
    before = benchmark_times(work)
    out = run("dvc repro", work).stdout
    assert "Running stage" not in out, out
    assert jobs_run_between(before, benchmark_times(work)) == set()


# Who reads translate.score.max_pairs: both models' scoring and the Apertium baseline (scored on the
# same pairs), two rules, and the report (it shows params.yaml). Stage names are DVC's, job names the
# benchmark files' paths. (A param whose edit reaches its readers through data, a corpus swapped in
# params.yaml, is test_corpora_are_swapped_by_editing_params_alone.)
MAX_PAIRS_STAGES = {"score_translation-nb_nn", "score_translation-en_nb", "apertium_baseline", "report"}
MAX_PAIRS_JOBS = {"translate/score_nb_nn", "translate/score_en_nb", "translate/apertium_nb_nn", "report"}


def rerun_in_both_tools(work: Path, edit, stages: set[str], jobs: set[str]) -> str:
    """edit(1), then `dvc repro` runs exactly `stages` (the jobs `jobs`) and Snakemake agrees; edit(2),
    then `snakemake` runs exactly `jobs` and DVC agrees. Returns Snakemake's console output."""
    # DVC's way.
    edit(1)
    before = benchmark_times(work)
    out = run("dvc repro", work).stdout
    assert set(re.findall(r"Running stage '([^']+)'", out)) == stages, out
    assert jobs_run_between(before, benchmark_times(work)) == jobs
    result = run("snakemake -n", work)
    assert "Nothing to be done" in result.stdout + result.stderr

    # Snakemake's way, then DVC agrees.
    edit(2)
    before = benchmark_times(work)
    result = run("snakemake --cores 2", work)
    assert jobs_run_between(before, benchmark_times(work)) == jobs
    assert "Data and pipelines are up to date" in run("dvc status", work).stdout
    return result.stdout + result.stderr


def test_invariant_2_a_param_edit_reruns_exactly_its_readers_in_both_tools(work):
    max_pairs = yaml.safe_load((work / "params.yaml").read_text())["translate"]["score"]["max_pairs"]
    rerun_in_both_tools(work, lambda n: set_param(work, "translate.score.max_pairs", max_pairs - n),
                        MAX_PAIRS_STAGES, MAX_PAIRS_JOBS)


def test_a_code_edit_reruns_exactly_the_jobs_that_run_it_in_both_tools(work):
    """Code reaches Snakemake as a digest in each rule's params (the console lists no source files)
    and DVC as the files themselves (deps): both rerun the jobs whose commands run the edited file."""
    module = work / "src" / "textgen" / "report" / "corpus_table.py"
    original = module.read_text()
    readers = {"corpus_table", "report"}  # stage names and job names alike
    try:
        console = rerun_in_both_tools(work, lambda n: module.write_text(original + f"\n# edit {n}\n"), readers, readers)
        assert "src/textgen/" not in console  # rule, wildcards, reason: no file lists
    except BaseException:  # the later tests start from a folder both tools find up to date
        module.write_text(original)
        run("snakemake --cores 2", work)
        raise
    # Passed: the edited module stays, and the results made by it agree with it in both tools.


def test_invariant_3_dvc_yaml_matches_the_snakemake_rules(work):
    run("textgen dvc-yaml --check", work)


def test_invariant_4_push_clone_pull_restores_without_recomputing(work):
    run("dvc push -q", work)
    run("git add -A && git -c user.name=t -c user.email=t@t commit -qm 'results'", work)
    clone = work.parent / "clone"
    run(f"git clone -q {work} {clone}", work.parent)
    run("dvc pull -q", clone)
    assert (clone / "report" / "index.html").read_bytes() == (work / "report" / "index.html").read_bytes()
    run("snakemake --touch --cores 1", clone)
    result = run("snakemake -n", clone)
    assert "Nothing to be done" in result.stdout + result.stderr
    assert "Data and pipelines are up to date" in run("dvc status", clone).stdout
