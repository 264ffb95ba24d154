"""Seed 001's encoder-decoder translation Transformer (Bokmål -> Nynorsk, English -> Norwegian).

config: TranslationConfig and the seed's presets; model: Seq2SeqTransformer; masks: the seed's
causal and padding masks; batch: id lists -> padded (T, B) tensors; train: loss, Adam, train_step,
evaluate_loss; decode: greedy and beam-search translation; bench: training throughput on this CPU.
"""

from textgen.translate.batch import collate
from textgen.translate.config import PRESETS, TranslationConfig, preset
from textgen.translate.decode import (
    Hypothesis,
    beam_search,
    greedy,
    sequence_logprob,
    translate,
)
from textgen.translate.masks import create_masks, padding_mask, square_mask
from textgen.translate.model import Seq2SeqTransformer
from textgen.translate.train import evaluate_loss, make_loss, make_optimizer, train_step

__all__ = [
    "PRESETS", "Hypothesis", "Seq2SeqTransformer", "TranslationConfig", "beam_search", "collate",
    "create_masks", "evaluate_loss", "greedy", "make_loss", "make_optimizer", "padding_mask", "preset",
    "sequence_logprob", "square_mask", "train_step", "translate",
]
