import torch

from textgen.lstm.worked_examples import worked_examples


def test_the_seeds_three_results():
    results = [example.result for example in worked_examples()]
    expected = [[3.0, 5.0], [5.0, 4.4], [4.55, 4.25]]
    for got, want in zip(results, expected):
        assert torch.equal(got, torch.tensor(want, dtype=torch.float64))


def test_intermediate_products():
    hard, soft_q, soft_qk = worked_examples()
    assert torch.equal(hard.qk, torch.tensor([[0.0, 0.0, 1.0, 0.0, 0.0]], dtype=torch.float64))
    assert torch.allclose(soft_q.qk, torch.tensor([[0.0, 0.3, 0.2, 0.4, 0.1]], dtype=torch.float64))
    # The seed prints k^T . v for the soft keys; its q . k^T is not the one it prints.
    seed_kv = [[2, 4], [4.5, 5.5], [3, 5], [6, 3], [2, 4]]
    assert torch.allclose(soft_qk.kv, torch.tensor(seed_kv, dtype=torch.float64))
    assert torch.allclose(soft_qk.qk, torch.tensor([[0.0, 0.15, 0.35, 0.4, 0.1]], dtype=torch.float64))

