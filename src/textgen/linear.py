"""`Linear`: nn.Linear whose matrix products run on oneDNN, forward and backward.

Why: torch.mm and nn.Linear call MKL's sgemm, which on AVX-512 AMD CPUs takes its AVX2 path
(about 200 GFLOP/s on 2 cores), while oneDNN, the library under nn.LSTM, uses AVX-512 (about
460 GFLOP/s) at the same fp32 accuracy. On AVX2-only CPUs it is the other way round, so the layer
takes oneDNN only where `textgen.matmul` measured it faster on this machine, and only for
product shapes where it measured faster: oneDNN's fixed cost per call loses on small products
(`matmul.use_onednn`). torch exposes
oneDNN's fp32 linear only as an inference op without autograd, so `OneDNNLinear` supplies the
backward: each of the three products of a linear layer is again one oneDNN linear,

    y   = x W^T + b        linear(x, W)
    g_x = g W              linear(g, W^T)
    g_W = g^T x            linear(g^T, x^T), or the transpose of linear(x^T, g^T)

oneDNN re-lays out its "weight" operand cheaply but copies a transposed activation, so g_W takes
the form whose copies move fewer numbers: g^T (out x rows), or x^T (in x rows) plus transposing
the result (out x in). A GPT layer on 2048 tokens takes the second; an LSTM cell on a batch of 64,
the first. The module is a drop-in: same parameters, state_dict keys, initialisation and
`print(model)`; where oneDNN cannot serve (another dtype or device, autocast, no oneDNN build, an
empty batch) it is plain `F.linear`.

>>> torch.manual_seed(0) is not None
True
>>> layer, reference = Linear(4, 3), nn.Linear(4, 3)
>>> reference.load_state_dict(layer.state_dict())
<All keys matched successfully>
>>> x = torch.randn(2, 5, 4)
>>> torch.allclose(layer(x), reference(x), atol=1e-6)
True
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.autograd.function import once_differentiable

from textgen import matmul

_linear_pointwise = getattr(getattr(torch.ops, "mkldnn", None), "_linear_pointwise", None)
AVAILABLE = _linear_pointwise is not None and torch.backends.mkldnn.is_available()


def _register_flop_count() -> None:
    """Teach torch's FlopCounterMode this op (2 FLOPs per multiply-add, as for aten.mm), so FLOP
    counts of models built from `Linear` stay right."""
    from torch.utils import flop_counter

    if _linear_pointwise is None or _linear_pointwise in flop_counter.flop_registry:
        return

    @flop_counter.register_flop_formula(_linear_pointwise)
    def _linear_flops(x_shape, w_shape, *args, **kwargs) -> int:
        rows = 1
        for size in x_shape[:-1]:
            rows *= size
        return 2 * rows * x_shape[-1] * w_shape[0]


_register_flop_count()


def _onednn(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """x @ weight^T (+ bias) through oneDNN; x is 2-D, weight (out, in), either may be a strided view."""
    return _linear_pointwise(x, weight, bias, "none", [], "")


class OneDNNLinear(torch.autograd.Function):
    """F.linear with oneDNN products in both passes (see the module docstring for the algebra)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        x2 = x.reshape(-1, x.shape[-1]).contiguous()  # strided rows send oneDNN down a slow path
        ctx.save_for_backward(x2, weight)
        ctx.input_shape, ctx.has_bias = x.shape, bias is not None
        y = _onednn(x2, weight.detach(), None if bias is None else bias.detach())
        return y.reshape(*x.shape[:-1], weight.shape[0])

    @staticmethod
    @once_differentiable
    def backward(ctx, grad: torch.Tensor):
        x2, weight = ctx.saved_tensors
        g2 = grad.reshape(-1, grad.shape[-1]).contiguous()
        grad_x = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_x = _onednn(g2, weight.t()).reshape(ctx.input_shape)
        if ctx.needs_input_grad[1]:
            out_features, in_features = weight.shape
            rows = x2.shape[0]
            # the cheaper of copying g^T, or copying x^T and transposing the result (docstring)
            if out_features * rows <= in_features * rows + out_features * in_features:
                grad_weight = _onednn(g2.t(), x2.t())
            else:
                grad_weight = _onednn(x2.t(), g2.t()).t().contiguous()
        if ctx.has_bias and ctx.needs_input_grad[2]:
            grad_bias = g2.sum(0)
        return grad_x, grad_weight, grad_bias


def linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """F.linear(x, weight, bias), on oneDNN where it can run there.

    >>> x, w = torch.ones(2, 3), torch.full((4, 3), 0.5)
    >>> linear(x, w, torch.ones(4)).tolist()
    [[2.5, 2.5, 2.5, 2.5], [2.5, 2.5, 2.5, 2.5]]
    """
    if (AVAILABLE and x.device.type == "cpu" and x.dtype == weight.dtype == torch.float32
            and x.numel() > 0 and (bias is None or bias.dtype == torch.float32)
            and not torch.is_autocast_enabled("cpu")  # mixed precision: F.linear, which autocast casts
            and matmul.use_onednn(x.numel() // x.shape[-1], weight.shape[1], weight.shape[0])):
        # the faster library on this CPU for a product this size, measured (textgen.matmul)
        return OneDNNLinear.apply(x, weight, bias)
    return F.linear(x, weight, bias)


class Linear(nn.Linear):
    """nn.Linear computed by `linear` (oneDNN on CPU); parameters and state_dict unchanged."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return linear(x, self.weight, self.bias)


def fast_layers(model: nn.Module) -> nn.Module:
    """`model` (a library's, e.g. a transformers model) with every plain nn.Linear computed by
    `linear`, in place: the class changes, the parameters and state_dict stay. The inverse of
    `textgen.perf.stock_layers`, so the matmul library of a pretrained model's layers is chosen by
    measurement on this machine as for the models built here.

    >>> model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    >>> type(fast_layers(model)[0]) is Linear
    True
    """
    for module in model.modules():
        if type(module) is nn.Linear:  # exactly nn.Linear: a subclass may compute something else
            module.__class__ = Linear
    return model
