"""The model's module tree against the architecture printouts in seed 001's Results notebooks.

Transcribed from the seed's `print(model)` output. The PDF splits each printout at a page break
and wraps the out_proj lines; here each is one piece and out_proj sits on one line. The root's
class name is the one difference by design: the seed calls its model `Transformer`, ours is
`Seq2SeqTransformer` (it would otherwise shadow nn.Transformer, its own child).
"""

from __future__ import annotations

import re

import pytest
import torch

from textgen.translate import Seq2SeqTransformer, preset

_ENCODER_LAYER = """\
          (self_attn): MultiheadAttention(
            (out_proj): NonDynamicallyQuantizableLinear(in_features=512, out_features=512, bias=True)
          )
          (linear1): Linear(in_features=512, out_features={ff}, bias=True)
          (dropout): Dropout(p=0.1, inplace=False)
          (linear2): Linear(in_features={ff}, out_features=512, bias=True)
          (norm1): LayerNorm((512,), eps=1e-05, elementwise_affine=True)
          (norm2): LayerNorm((512,), eps=1e-05, elementwise_affine=True)
          (dropout1): Dropout(p=0.1, inplace=False)
          (dropout2): Dropout(p=0.1, inplace=False)
"""

_DECODER_LAYER = """\
          (self_attn): MultiheadAttention(
            (out_proj): NonDynamicallyQuantizableLinear(in_features=512, out_features=512, bias=True)
          )
          (multihead_attn): MultiheadAttention(
            (out_proj): NonDynamicallyQuantizableLinear(in_features=512, out_features=512, bias=True)
          )
          (linear1): Linear(in_features=512, out_features={ff}, bias=True)
          (dropout): Dropout(p=0.1, inplace=False)
          (linear2): Linear(in_features={ff}, out_features=512, bias=True)
          (norm1): LayerNorm((512,), eps=1e-05, elementwise_affine=True)
          (norm2): LayerNorm((512,), eps=1e-05, elementwise_affine=True)
          (norm3): LayerNorm((512,), eps=1e-05, elementwise_affine=True)
          (dropout1): Dropout(p=0.1, inplace=False)
          (dropout2): Dropout(p=0.1, inplace=False)
          (dropout3): Dropout(p=0.1, inplace=False)
"""


def _printout(enc: str, dec: str, ff: int, vocab: int) -> str:
    """The seed's printout for layer groups `enc`/`dec` (e.g. "(0-2): 3 x"), ff width and vocab."""
    return f"""\
Transformer(
  (transformer): Transformer(
    (encoder): TransformerEncoder(
      (layers): ModuleList(
        {enc} TransformerEncoderLayer(
{_ENCODER_LAYER.format(ff=ff)}        )
      )
      (norm): LayerNorm((512,), eps=1e-05, elementwise_affine=True)
    )
    (decoder): TransformerDecoder(
      (layers): ModuleList(
        {dec} TransformerDecoderLayer(
{_DECODER_LAYER.format(ff=ff)}        )
      )
      (norm): LayerNorm((512,), eps=1e-05, elementwise_affine=True)
    )
  )
  (src_tok_emb): Embedding(
    (embedding): Embedding({vocab}, 512)
  )
  (tgt_tok_emb): Embedding(
    (embedding): Embedding({vocab}, 512)
  )
  (positional_encoding): PositionalEncoding(
    (dropout): Dropout(p=0.1, inplace=False)
  )
  (generator): Linear(in_features=512, out_features={vocab}, bias=True)
)"""


# English -> Norwegian: 3 + 3 layers, feed-forward 512, vocabulary 65536.
EN_NO = _printout("(0-2): 3 x", "(0-2): 3 x", ff=512, vocab=65536)
# Bokmål -> Nynorsk: 6 + 8 layers (its hyperparameter block says 8 + 12), feed-forward 2048, vocabulary 50000.
NB_NN = _printout("(0-5): 6 x", "(0-7): 8 x", ff=2048, vocab=50000)

_ENTRY = re.compile(r"\((?P<name>[^)]+)\): (?:(?P<count>\d+) x )?(?P<cls>\w+)\((?P<rest>.*)$")


def parse_printout(text: str) -> list[tuple[str, str, str]]:
    """A torch module printout -> [(dotted path, class name, extra_repr)], layer groups expanded."""
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0].endswith("(") and lines[-1] == ")"
    entries: list[tuple[str, str, str]] = []
    stack: list[list[str]] = [[""]]  # the open modules' paths; a group "(0-2): 3 x" opens several
    for line in lines[1:-1]:
        if line == ")":
            stack.pop()
            continue
        m = _ENTRY.fullmatch(line)
        assert m, line
        first, _, last = m["name"].partition("-")
        names = [str(i) for i in range(int(first), int(last or first) + 1)] if first.isdigit() else [first]
        assert m["count"] is None or int(m["count"]) == len(names), line
        paths = [f"{p}.{n}".lstrip(".") for p in stack[-1] for n in names]
        opens = m["rest"] == ""
        entries += [(p, m["cls"], "" if opens else m["rest"][:-1]) for p in paths]
        if opens:
            stack.append(paths)
    assert len(stack) == 1, "unbalanced printout"
    return sorted(entries)


def module_tree(model: torch.nn.Module) -> list[tuple[str, str, str]]:
    # torch >= 2.1 prints LayerNorm's bias flag; the seed's older torch did not.
    return sorted((name, type(m).__name__, m.extra_repr().replace("affine=True, bias=True", "affine=True"))
                  for name, m in model.named_modules() if name)


def build(name: str) -> Seq2SeqTransformer:
    with torch.device("meta"):  # shapes only: no memory for 100M+ parameters, no init time
        return Seq2SeqTransformer(preset(name))


@pytest.mark.parametrize("name, printout", [("en-no", EN_NO), ("nb-nn", NB_NN)])
def test_module_tree_matches_the_seed_printout(name, printout):
    assert module_tree(build(name)) == parse_printout(printout)


def test_printed_model_is_the_seed_printout_up_to_root_name_and_layernorm_bias():
    printed = repr(build("en-no")).replace("Seq2SeqTransformer(", "Transformer(", 1)
    assert printed.replace("elementwise_affine=True, bias=True)", "elementwise_affine=True)") == EN_NO


@pytest.mark.parametrize("name, n_enc, n_dec, ff, vocab", [
    ("en-no", 3, 3, 512, 65536), ("nb-nn", 6, 8, 2048, 50000), ("nb-nn-block", 8, 12, 2048, 50000)])
def test_layer_counts_and_shapes(name, n_enc, n_dec, ff, vocab):
    model = build(name)
    assert len(model.transformer.encoder.layers) == n_enc
    assert len(model.transformer.decoder.layers) == n_dec
    assert model.transformer.encoder.layers[0].linear1.out_features == ff
    assert model.src_tok_emb.embedding.weight.shape == model.tgt_tok_emb.embedding.weight.shape == (vocab, 512)
    assert model.generator.weight.shape == (vocab, 512)


def test_parser_expands_groups_and_tells_models_apart():
    tree = parse_printout(EN_NO)
    assert ("transformer.decoder.layers.2.multihead_attn.out_proj", "NonDynamicallyQuantizableLinear",
            "in_features=512, out_features=512, bias=True") in tree
    assert not any(path.startswith("transformer.decoder.layers.3") for path, _, _ in tree)
    assert parse_printout(NB_NN) != tree
    assert module_tree(build("nb-nn-block")) != parse_printout(NB_NN)
