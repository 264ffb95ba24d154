"""`textgen generate MODEL_DIR [PROMPT]`: talk to a trained model of results/.

    textgen generate results/lstm/models/attention_fixed Elizabeth --max-tokens 20 --seed 1
    textgen generate results/gpt/models/quixote_small "HAMLET." --temperature 0.8 --top-k 50
    textgen generate results/translate/nb_nn "Jeg har en hund." --beam 4
    tail -n +2 data/interim/pairs/nb_nn/test.tsv | cut -f1 | head | textgen generate results/translate/nb_nn

The folder says what the model is (a word LSTM's model.pt, a GPT's model-<step>.pt, a translation
model's final.pt, a fine-tuning run's run.json naming its Trainer checkpoints), and where its
tokenizer is: the GPT's BPE file and the LSTM's vocabulary are found in data/processed/ and checked
against the sha256 the model recorded; the others carry theirs. The same flags mean
the same everywhere (`--temperature 0` is greedy decoding); the same --seed gives the same text.

With a PROMPT: one text. Without one, on a terminal: a prompt per line until Ctrl-D; with stdin not
a terminal: one output line per input line (newlines in a text written as \\n), so it composes in
a pipe. On a terminal the text streams as it is generated. Errors are one line and exit status 2.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import torch

from textgen.config import project_root
from textgen.errors import TextgenError
from textgen.io import read_json, sha256_file

Writer = Callable[[str], None]


class Generator:
    """One loaded model: `run(prompt, write)` writes the text piece by piece and returns it whole."""

    describe: str

    def run(self, prompt: str, write: Writer) -> str:
        raise NotImplementedError


# --- word LSTMs (Report A) -----------------------------------------------------------------------

class LSTMGenerator(Generator):
    def __init__(self, folder: Path, args: argparse.Namespace):
        from textgen.lstm.data import load_model
        from textgen.words.vocab import Vocab

        self.kind, self.model, info = load_model(folder / "model.pt")
        words = args.words or project_root() / "data" / "processed" / "words"
        meta = words / "meta.json"
        if not meta.is_file() or sha256_file(meta) != info.get("data"):
            raise TextgenError(f"{folder}: its vocabulary ({words}, meta.json sha256 {str(info.get('data'))[:12]}) is "
                               "not there or has changed since training; pass --words DIR")
        self.vocab = Vocab.load(words / "vocab.json")
        self.args = args
        method = ("the seed's write_better (as listed)" if args.listed else "beam search") if args.beam else "write"
        self.describe = f"word LSTM '{folder.name}' ({self.kind}), {method}"

    def ids(self, prompt: str) -> list[int]:
        from textgen.words.tokenizer import tokenize_words

        words = tokenize_words(prompt)
        if not words:
            raise TextgenError(f"prompt {prompt!r}: no words")
        for word in words:
            if word not in self.vocab:
                near = difflib.get_close_matches(word, self.vocab.idx2word, n=3, cutoff=0.6)
                hint = f"; nearest known: {', '.join(near)}" if near else ""
                raise TextgenError(f"prompt word {word!r} is not in the model's vocabulary ({len(self.vocab):,} "
                                   f"words){hint}")
        return self.vocab.encode(words)

    def run(self, prompt: str, write: Writer) -> str:
        from textgen.lstm.beam import beam_search, write_better_seed
        from textgen.lstm.generate import next_words
        from textgen.words.tokenizer import detokenize

        ids = self.ids(prompt)
        a = self.args
        if a.beam:
            if a.listed:
                rows, _ = write_better_seed(self.model, self.vocab.word2idx, self.vocab.idx2word,
                                            self.vocab.decode(ids), a.max_tokens, k=a.beam)
                text = detokenize(rows[0])
            else:
                best, _ = beam_search(self.model, ids, a.max_tokens, a.beam)[0]
                text = detokenize(self.vocab.decode(best))
            write(text)
            return text
        generator = torch.Generator().manual_seed(a.seed)
        words = self.vocab.decode(ids)
        shown = detokenize(words)
        write(shown)
        for next_id in next_words(self.model, ids, a.max_tokens, greedy=a.temperature <= 0,
                                  temperature=max(a.temperature, 1e-9), generator=generator):
            words.append(self.vocab.idx2word[next_id])
            text = detokenize(words)
            # Punctuation attaches to the word before it, so the text only grows at its end.
            write(text[len(shown):])
            shown = text
        return shown


# --- decoder-only GPTs (Report B) ----------------------------------------------------------------

class GPTGenerator(Generator):
    def __init__(self, folder: Path, args: argparse.Namespace):
        from textgen.bpe import Tokenizer
        from textgen.gpt.checkpoint import load_checkpoint
        from textgen.gpt.sample import checkpoints

        config = read_json(folder / "config.json")
        steps = checkpoints(folder)
        step = args.checkpoint if args.checkpoint is not None else max(steps)
        if step not in steps:
            raise TextgenError(f"--checkpoint {step}: {folder} keeps the steps {', '.join(map(str, steps))}")
        tokenizer = args.tokenizer or project_root() / "data" / "processed" / "bpe" / config["tokenizer"]["file"]
        if not tokenizer.is_file() or sha256_file(tokenizer) != config["tokenizer"]["sha256"]:
            raise TextgenError(f"{folder}: its tokenizer {tokenizer} is not there or has changed since training; "
                               "pass --tokenizer FILE")
        self.tokenizer = Tokenizer.load(tokenizer)
        self.model = load_checkpoint(steps[step], expected_tokenizer_sha256=config["tokenizer"]["sha256"]).build_model()
        self.format, self.args = config["format"], args
        if args.beam:
            raise TextgenError("--beam: the GPTs sample (or decode greedily with --temperature 0); beam search is for "
                               "the word LSTMs and the translation models")
        self.describe = f"GPT '{folder.name}' at step {step} ({self.format} format)"

    def run(self, prompt: str, write: Writer) -> str:
        from textgen.gpt.sample import prompt_ids

        a = self.args
        context = torch.tensor([prompt_ids(self.tokenizer, prompt, self.format)])
        generator = torch.Generator().manual_seed(a.seed)
        write(prompt)
        new: list[int] = []
        shown = ""
        for _ in range(a.max_tokens):  # one token a call: the same draws as one call of max_tokens
            context = self.model.generate(context, 1, temperature=a.temperature, top_k=a.top_k, generator=generator)
            token = int(context[0, -1])
            if token == self.tokenizer.sep_id:
                break
            new.append(token)
            text = self.tokenizer.decode(new)
            if not text.endswith("\ufffd"):  # hold back half a character until its other bytes come
                write(text[len(shown):])
                shown = text
        text = self.tokenizer.decode(new)
        write(text[len(shown):])
        return prompt + text


# --- translation (Report B) ----------------------------------------------------------------------

class TranslationGenerator(Generator):
    def __init__(self, folder: Path, args: argparse.Namespace):
        from textgen.translate.translator import Translator

        self.translator, self.args = Translator.load(folder), args
        self.describe = f"translation model '{folder.name}', " + (f"beam {args.beam}" if args.beam else "greedy")

    def run(self, prompt: str, write: Writer) -> str:
        text = self.translator(prompt, beam_size=self.args.beam or 1)
        write(text)
        return text


# --- fine-tuned causal LM and T5 (Report B) ------------------------------------------------------

class HFGenerator(Generator):
    """A fine-tuning run's model: its newest (or --checkpoint STEP) Trainer checkpoint, found from
    results/finetune/<run> in checkpoints/finetune/<run>, or given as either folder itself."""

    def __init__(self, folder: Path, args: argparse.Namespace):
        from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        from transformers.utils import logging as hf_logging

        from textgen.finetune import delta

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        checkpoint = hf_checkpoint(folder, args.checkpoint)
        # T5 was trained on "<prefix> <title>" -> poem: a title is prompted the same way.
        metrics = read_json(folder / "metrics.json") if (folder / "metrics.json").is_file() else {}
        self.prefix = metrics.get("settings", {}).get("prefix", "")
        try:
            with delta.readable(checkpoint) as weights:  # a finished run's packed weights, rebuilt
                config = AutoConfig.from_pretrained(weights, local_files_only=True)
                auto = AutoModelForSeq2SeqLM if config.is_encoder_decoder else AutoModelForCausalLM
                self.model = auto.from_pretrained(weights, local_files_only=True).eval()
                self.tokenizer = AutoTokenizer.from_pretrained(weights, local_files_only=True)
        except (OSError, ValueError, KeyError) as exc:
            raise TextgenError(f"{checkpoint}: not a loadable model checkpoint ({type(exc).__name__}: {exc})") from None
        self.args = args
        kind = "T5" if config.is_encoder_decoder else "causal LM"
        self.describe = f"fine-tuned {kind} '{folder.name}' ({checkpoint.name})"

    def run(self, prompt: str, write: Writer) -> str:
        from transformers.generation.streamers import BaseStreamer

        a = self.args
        text_in = f"{self.prefix} {prompt}" if self.prefix else prompt
        inputs = self.tokenizer(text_in, return_tensors="pt")
        kwargs: dict = {"max_new_tokens": a.max_tokens, "use_cache": True,
                        "pad_token_id": self.tokenizer.pad_token_id}
        if a.beam:
            kwargs |= {"do_sample": False, "num_beams": a.beam}
        elif a.temperature <= 0:
            kwargs |= {"do_sample": False, "num_beams": 1}
        else:
            kwargs |= {"do_sample": True, "num_beams": 1, "temperature": a.temperature, "top_k": a.top_k or 0,
                       "top_p": 1.0}
        causal = not self.model.config.is_encoder_decoder
        tokenizer = self.tokenizer

        class Stream(BaseStreamer):  # the new tokens' text as it grows (not with beams: HF refuses)
            def __init__(self):
                self.ids: list[int] = []
                self.shown, self.first = "", True

            def put(self, value):
                if self.first:  # the prompt (causal) or the decoder's start token (T5)
                    self.first = False
                    return
                self.ids += value.flatten().tolist()
                text = tokenizer.decode(self.ids, skip_special_tokens=True)
                if not text.endswith("\ufffd"):
                    write(text[len(self.shown):])
                    self.shown = text

            def end(self):
                write(tokenizer.decode(self.ids, skip_special_tokens=True)[len(self.shown):])

        if causal:
            write(prompt)
        torch.manual_seed(a.seed)
        with torch.no_grad():
            out = self.model.generate(**inputs, **kwargs, streamer=None if a.beam else Stream())
        new = out[0, inputs["input_ids"].shape[1]:] if causal else out[0]
        text = self.tokenizer.decode(new, skip_special_tokens=True)
        if a.beam:
            write(text)
        return prompt + text if causal else text


def hf_checkpoint(folder: Path, step: int | None) -> Path:
    """The Trainer checkpoint folder for `folder` (a checkpoint, a run's checkpoint folder, or its
    results/finetune/<run>), the newest unless `step` is given."""
    if (folder / "config.json").is_file() and any(folder.glob("model*.safetensors")):
        return folder
    if not any(folder.glob("checkpoint-*")):  # a results folder: its run.json says where the weights are
        recorded = read_json(folder / "run.json").get("checkpoints") if (folder / "run.json").is_file() else None
        folder = project_root() / Path(recorded or Path("checkpoints") / "finetune" / folder.name)
    found = {int(p.name.split("-")[1]): p for p in folder.glob("checkpoint-*") if p.name.split("-")[1].isdigit()}
    if not found:
        raise TextgenError(f"{folder}: no Trainer checkpoint-<step> folder (fine-tuned weights stay in checkpoints/)")
    if step is not None and step not in found:
        raise TextgenError(f"--checkpoint {step}: {folder} keeps the steps {', '.join(map(str, sorted(found)))}")
    return found[step if step is not None else max(found)]


def load(folder: Path, args: argparse.Namespace) -> Generator:
    """The generator for whatever model `folder` holds."""
    if not folder.is_dir():
        raise TextgenError(f"{folder}: no such model folder (try one of results/lstm/models/*, results/gpt/models/*, "
                           "results/translate/nb_nn)")
    if (folder / "model.pt").is_file():
        return LSTMGenerator(folder, args)
    if (folder / "final.pt").is_file():
        return TranslationGenerator(folder, args)
    if (folder / "config.json").is_file() and any(folder.glob("model-*.pt")):
        return GPTGenerator(folder, args)
    fine_tuned = (folder / "run.json").is_file() and "checkpoints" in read_json(folder / "run.json")
    if fine_tuned or any(folder.glob("checkpoint-*")) or any(folder.glob("model*.safetensors")):
        return HFGenerator(folder, args)
    raise TextgenError(f"{folder}: not a trained model folder (no model.pt, final.pt, model-<step>.pt or "
                       "fine-tuning checkpoint)")


def prompts(args: argparse.Namespace, interactive: bool) -> Iterator[str]:
    if args.prompt is not None:
        yield args.prompt
        return
    while True:
        try:
            line = input("> ") if interactive else sys.stdin.readline()
        except EOFError:
            print()
            return
        if not interactive and not line:
            return
        yield line.rstrip("\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen generate", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model", type=Path, help="a model folder of results/")
    parser.add_argument("prompt", nargs="?", help="the text to continue or translate (none: read prompts)")
    parser.add_argument("--temperature", type=float, default=1.0, help="sampling temperature; 0: greedy (default 1)")
    parser.add_argument("--top-k", type=int, default=None, help="sample among the k most likely tokens (GPTs)")
    parser.add_argument("--beam", type=int, default=0, metavar="K", help="beam search of width K (LSTMs, translation)")
    parser.add_argument("--listed", action="store_true", help="with --beam on an LSTM: the seed's write_better as listed")
    parser.add_argument("--max-tokens", type=int, default=50, help="new tokens (words for the LSTMs) at most")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same text (default 0)")
    parser.add_argument("--checkpoint", type=int, default=None, metavar="STEP", help="a GPT's kept step (default: last)")
    parser.add_argument("--words", type=Path, default=None, help="an LSTM's vocabulary folder (default data/processed/words)")
    parser.add_argument("--tokenizer", type=Path, default=None, help="a GPT's BPE file (default from its config.json)")
    args = parser.parse_args(argv)
    try:
        for name, value, low in (("--max-tokens", args.max_tokens, 1), ("--beam", args.beam, 0),
                                 ("--top-k", args.top_k or 1, 1)):
            if value < low:
                raise TextgenError(f"{name}: must be at least {low}, got {value}")
        torch.set_num_threads(max(1, min(4, torch.get_num_threads())))
        generator = load(args.model, args)
        tty_in, tty_out = sys.stdin.isatty(), sys.stdout.isatty()
        interactive = args.prompt is None and tty_in
        if interactive:
            print(f"{generator.describe}: a prompt per line, Ctrl-D to end", file=sys.stderr)
        for prompt in prompts(args, interactive):
            if not prompt.strip():
                if interactive:
                    continue
                raise TextgenError("empty prompt: give the model some text to continue")
            if tty_out:  # stream
                text = generator.run(prompt, lambda piece: print(piece, end="", flush=True))
                print()
            else:
                text = generator.run(prompt, lambda piece: None)
                print(text.replace("\\", "\\\\").replace("\n", "\\n") if args.prompt is None else text, flush=True)
    except TextgenError as err:
        first = str(err).strip().splitlines()[0]  # one line: torch's own messages run on for a paragraph
        print(f"textgen generate: error: {first}" + (")" if first.count("(") > first.count(")") else ""),
              file=sys.stderr)
        return 2
    return 0
