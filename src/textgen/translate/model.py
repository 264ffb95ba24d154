"""The seed's encoder-decoder translation Transformer, module for module.

Token embeddings scaled by sqrt(n_embd), a fixed sinusoidal positional encoding with dropout,
torch's nn.Transformer (post-norm, ReLU, sequence-first) and a linear generator head over the
target vocabulary. Submodule names and order follow the seed's printout, so `print(model)` shows
the same tree (tests/translate/test_translate_printout.py holds the transcription).

    >>> from textgen.translate.config import TranslationConfig
    >>> cfg = TranslationConfig(vocab_size=11, n_embd=16, n_head=2, n_feedforward=32,
    ...                         n_encoder_layer=1, n_decoder_layer=1)
    >>> model = Seq2SeqTransformer(cfg)
    >>> src = torch.tensor([[1, 1], [5, 6], [2, 2]])  # (S=3, B=2): BOS, token, EOS
    >>> tgt = torch.tensor([[1, 1], [7, 8]])          # (T=2, B=2): BOS, token
    >>> model(src, tgt).shape                        # (T, B, vocab_size) logits
    torch.Size([2, 2, 11])
"""

from __future__ import annotations

import math
import warnings

import torch
from torch import nn

from textgen.errors import TextgenError
from textgen.linear import Linear
from textgen.translate.config import TranslationConfig
from textgen.translate.masks import additive, create_masks, padding_mask, square_mask


class PositionalEncoding(nn.Module):
    """Adds sin/cos of geometric wavelengths (2*pi .. 10000*2*pi) to a (T, B, C) input, then dropout.

    Dimension 2i holds sin(pos / 10000^(2i/C)), dimension 2i+1 the matching cos, so that any fixed
    offset is a linear map of the encoding (Vaswani et al. 2017, 3.5). Fixed, not learned.
    """

    def __init__(self, n_embd: int, dropout: float, max_len: int = 5000):
        super().__init__()
        inv_freq = torch.exp(torch.arange(0, n_embd, 2) * (-math.log(10000.0) / n_embd))
        angle = torch.arange(max_len).unsqueeze(1) * inv_freq  # (max_len, C/2)
        table = torch.zeros(max_len, 1, n_embd)  # the middle 1 broadcasts over the batch
        table[:, 0, 0::2] = torch.sin(angle)
        table[:, 0, 1::2] = torch.cos(angle)
        self.dropout = nn.Dropout(dropout)
        # Not persistent: it is a pure function of (n_embd, max_len), so checkpoints need not carry it.
        self.register_buffer("pos_embedding", table, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.size(0) > self.pos_embedding.size(0):
            raise TextgenError(f"max_len: a sequence of {x.size(0)} tokens exceeds the "
                               f"{self.pos_embedding.size(0)} encoded positions")
        return self.dropout(x + self.pos_embedding[: x.size(0)])


class Embedding(nn.Module):
    """Token ids -> vectors times sqrt(n_embd) (Vaswani et al. 2017, 3.4).

    Named and nested as in the seed's printout: `(src_tok_emb): Embedding((embedding): Embedding(V, C))`.
    The scale keeps the token signal from being drowned by the unit-amplitude positional encoding.
    """

    def __init__(self, vocab_size: int, n_embd: int):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, n_embd)
        self.scale = math.sqrt(n_embd)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.embedding(ids) * self.scale


class Seq2SeqTransformer(nn.Module):
    """Source ids (S, B) and shifted target ids (T, B) -> next-token logits (T, B, vocab_size)."""

    def __init__(self, config: TranslationConfig):
        super().__init__()
        self.config = config
        with warnings.catch_warnings():
            # Sequence-first layout (the seed's) rules out torch's nested-tensor fast path, and
            # torch warns about it at construction; nothing to act on.
            warnings.filterwarnings("ignore", message="enable_nested_tensor is True")
            self.transformer = nn.Transformer(
                d_model=config.n_embd,
                nhead=config.n_head,
                num_encoder_layers=config.n_encoder_layer,
                num_decoder_layers=config.n_decoder_layer,
                dim_feedforward=config.n_feedforward,
                dropout=config.dropout,
                bias=config.bias,
            )
        self.src_tok_emb = Embedding(config.vocab_size, config.n_embd)
        self.tgt_tok_emb = Embedding(config.vocab_size, config.n_embd)
        self.positional_encoding = PositionalEncoding(config.n_embd, config.dropout, config.max_len)
        self.generator = Linear(config.n_embd, config.vocab_size, bias=config.bias)
        # Xavier-uniform for every matrix, as nn.Transformer already does for its own: the seed
        # does not show its init, but the PyTorch translation tutorial its code follows does this.
        # It matters: with nn.Embedding's N(0, 1) rows times sqrt(n_embd), a toy reversal task
        # reaches 82% exact match in 300 steps instead of 99%.
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
        if config.tie_embeddings:
            self.tgt_tok_emb.embedding.weight = self.src_tok_emb.embedding.weight
            self.generator.weight = self.src_tok_emb.embedding.weight

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        src_mask, tgt_mask, src_pad, tgt_pad = create_masks(src, tgt, self.config.pad_id)
        memory = self.encode(src, src_mask, src_pad)
        return self.generator(self._decode(tgt, memory, tgt_mask, tgt_pad, src_pad))

    def encode(self, src: torch.Tensor, src_mask: torch.Tensor | None = None,
               src_pad: torch.Tensor | None = None) -> torch.Tensor:
        """(S, B) source ids -> (S, B, C) memory for the decoder."""
        if src_pad is None:
            src_pad = padding_mask(src, self.config.pad_id)
        x = self.positional_encoding(self.src_tok_emb(src))
        return self.transformer.encoder(x, mask=src_mask, src_key_padding_mask=src_pad)

    def decode(self, tgt: torch.Tensor, memory: torch.Tensor, src_pad: torch.Tensor,
               last_only: bool = False) -> torch.Tensor:
        """(T, B) target prefix + memory -> (T, B, vocab_size) logits, or with `last_only` the last
        position's (B, vocab_size): what decoding calls each step (T times less memory and work in
        the generator, whose vocab-sized output dominates a decoding step's memory)."""
        tgt_mask = square_mask(tgt.size(0), device=tgt.device)
        hidden = self._decode(tgt, memory, tgt_mask, padding_mask(tgt, self.config.pad_id), src_pad)
        return self.generator(hidden[-1] if last_only else hidden)

    def _decode(self, tgt, memory, tgt_mask, tgt_pad, src_pad) -> torch.Tensor:
        x = self.positional_encoding(self.tgt_tok_emb(tgt))
        # memory_key_padding_mask = the source's: the decoder must not attend to source padding.
        return self.transformer.decoder(x, memory, tgt_mask=tgt_mask, tgt_key_padding_mask=additive(tgt_pad),
                                        memory_key_padding_mask=src_pad)
