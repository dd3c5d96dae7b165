"""PyTorch's Quickstart tutorial, under PyTorch and under scratchgrad with its imports changed."""

from __future__ import annotations

import pytest
from checks import Diff, compare, mean, torch_results

# --- PyTorch's Quickstart tutorial ---------------------------------------------------------------


def test_quickstart_torch() -> None:
    r = torch_results("quickstart")
    assert r["batch_shapes"] == [[64, 1, 28, 28], [64], "torch.int64", "torch.float32"]
    assert r["device"] == "cpu"
    assert r["num_params"] == 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10
    assert r["param_names"] == [f"linear_relu_stack.{i}.{w}" for i in (0, 2, 4) for w in ("weight", "bias")]
    assert r["state_dict_keys"] == r["param_names"]
    assert r["model_repr"].startswith("NeuralNetwork(\n  (flatten): Flatten(start_dim=1, end_dim=-1)")
    batches = r["batches_per_epoch"]
    assert batches == 10 and len(r["train_losses"]) == 2 * batches
    epoch1, epoch2 = r["train_losses"][:batches], r["train_losses"][batches:]
    assert mean(epoch2) < mean(epoch1)  # the second pass over the same batches fits them better
    assert all(2.0 < x < 2.6 for x in r["train_losses"])  # about ln 10 on random labels
    assert len(r["test_losses"]) == 2 and all(0 <= a <= 1 for a in r["test_accuracies"])
    predicted, actual = r["prediction"]
    assert predicted in QUICKSTART_CLASSES and actual in QUICKSTART_CLASSES
    assert r["reloaded_test"] == pytest.approx([r["test_losses"][-1], r["test_accuracies"][-1]], rel=1e-6)


QUICKSTART_CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


def test_quickstart_scratchgrad() -> None:
    def body(d: Diff) -> None:
        for key in (
            "device",
            "num_params",
            "param_names",
            "state_dict_keys",
            "batches_per_epoch",
            "prediction",
            "model_repr",
        ):
            d.equal(key)
        d.dtype("batch_shapes")
        d.close("init_weight", rtol=1e-6)  # nn.Linear's init draws what PyTorch's draws
        for key in ("train_losses", "test_losses", "pred_logits"):
            d.close(key)
        d.close("printed")
        d.close("test_accuracies", atol=1e-9)
        d.close("reloaded_test")

    compare("quickstart", body)
