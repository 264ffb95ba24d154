"""textgen.linear.Linear: nn.Linear on oneDNN, checked against F.linear (values, gradients, FLOPs)."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from textgen import linear as onednn

needs_onednn = pytest.mark.skipif(not onednn.AVAILABLE, reason="this torch build has no oneDNN linear")


@pytest.fixture(autouse=True)
def _onednn_chosen(monkeypatch):
    """The oneDNN path under test whatever this CPU's measured choice (textgen.matmul)."""
    monkeypatch.setenv("TEXTGEN_MATMUL", "onednn")


def pair(in_features: int, out_features: int, bias: bool) -> tuple[nn.Linear, onednn.Linear]:
    torch.manual_seed(0)
    reference = nn.Linear(in_features, out_features, bias=bias)
    layer = onednn.Linear(in_features, out_features, bias=bias)
    layer.load_state_dict(reference.state_dict())
    return reference, layer


# narrow and wide weights take the two ways of computing grad_W
@pytest.mark.parametrize("in_features,out_features", [(24, 7), (7, 24), (16, 16)])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(33,), (3, 11), (2, 3, 5)])
def test_values_and_gradients_equal_nn_linear(in_features, out_features, bias, shape):
    reference, layer = pair(in_features, out_features, bias)
    x = torch.randn(*shape, in_features, generator=torch.Generator().manual_seed(1))
    x_ref, x_new = x.clone().requires_grad_(), x.clone().requires_grad_()
    upstream = torch.randn(*shape, out_features, generator=torch.Generator().manual_seed(2))
    y_ref, y_new = reference(x_ref), layer(x_new)
    (y_ref * upstream).sum().backward()
    (y_new * upstream).sum().backward()
    torch.testing.assert_close(y_new, y_ref, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(x_new.grad, x_ref.grad, rtol=1e-5, atol=1e-5)
    for new, ref in zip(layer.parameters(), reference.parameters(), strict=True):
        assert new.grad.shape == ref.grad.shape and new.grad.is_contiguous()
        torch.testing.assert_close(new.grad, ref.grad, rtol=1e-5, atol=1e-5)


@needs_onednn
def test_the_onednn_path_is_taken_for_float32_on_cpu():
    layer = onednn.Linear(4, 3)
    assert type(layer(torch.randn(2, 4)).grad_fn).__name__ == "OneDNNLinearBackward"


def test_where_torch_mm_is_the_faster_it_is_plain_f_linear(monkeypatch):
    monkeypatch.setenv("TEXTGEN_MATMUL", "torch")
    layer = onednn.Linear(4, 3)
    assert type(layer(torch.randn(2, 4)).grad_fn).__name__ == "AddmmBackward0"


def test_other_dtypes_and_empty_batches_fall_back_to_f_linear():
    x, w = torch.randn(3, 4, dtype=torch.float64), torch.randn(2, 4, dtype=torch.float64)
    assert torch.equal(onednn.linear(x, w), F.linear(x, w))
    assert onednn.linear(torch.randn(0, 4), torch.randn(2, 4)).shape == (0, 2)


def test_non_contiguous_input_and_shared_weight():
    """A transposed input, and one weight used twice (a tied head): gradients add up as in F.linear."""
    torch.manual_seed(0)
    w = torch.randn(6, 5, requires_grad=True)
    w_ref = w.detach().clone().requires_grad_()
    x = torch.randn(5, 4).t()  # (4, 5), not contiguous
    (onednn.linear(x, w).sum() + onednn.linear(2 * x, w).pow(2).sum()).backward()
    (F.linear(x, w_ref).sum() + F.linear(2 * x, w_ref).pow(2).sum()).backward()
    torch.testing.assert_close(w.grad, w_ref.grad, rtol=1e-5, atol=1e-5)


def test_the_same_input_gives_the_same_bits():
    _, layer = pair(32, 48, True)
    x = torch.randn(64, 32, generator=torch.Generator().manual_seed(3))
    assert torch.equal(layer(x), layer(x))


def test_drop_in_for_nn_linear():
    reference, layer = pair(8, 3, True)
    assert repr(layer) == repr(reference)
    assert isinstance(layer, nn.Linear)
    assert list(layer.state_dict()) == list(reference.state_dict())


def test_flop_counter_counts_it_like_nn_linear():
    reference, layer = pair(16, 8, True)

    def flops(module: nn.Module) -> int:
        x = torch.randn(5, 16, requires_grad=True)
        with FlopCounterMode(display=False) as counter:
            module(x).sum().backward()
        return counter.get_total_flops()

    assert flops(layer) == flops(reference) == 3 * 2 * 5 * 16 * 8


def test_fast_layers_turns_a_transformers_model_s_linears_into_oneDNN_ones_with_the_same_loss_and_gradients():
    import copy

    from textgen.finetune.random_llama import RandomLlamaConfig, byte_tokenizer, random_llama
    from textgen.perf import stock_layers

    tokenizer = byte_tokenizer(model_max_length=64)
    stock = random_llama(RandomLlamaConfig(), tokenizer, seed=0)
    fast = onednn.fast_layers(copy.deepcopy(stock))  # changed in place
    plain = [name for name, m in stock.named_modules() if type(m) is nn.Linear]
    assert plain and all(type(fast.get_submodule(name)) is onednn.Linear for name in plain)
    assert fast.state_dict().keys() == stock.state_dict().keys()
    ids = torch.tensor([tokenizer("a few words of text")["input_ids"]] * 3)
    losses = [model(input_ids=ids, labels=ids).loss for model in (stock, fast)]
    for loss in losses:
        loss.backward()
    torch.testing.assert_close(losses[1], losses[0], rtol=1e-5, atol=1e-5)
    for (name, p), q in zip(stock.named_parameters(), fast.parameters(), strict=True):
        torch.testing.assert_close(q.grad, p.grad, rtol=1e-4, atol=1e-5, msg=name)
    assert type(stock_layers(fast).lm_head) is nn.Linear  # and back
