# ruff: noqa: N812, N816, SIM115, UP031, B007  (the lectures' names, open() and % formatting)
"""PyTorch's "Quickstart" tutorial (Learn the Basics), as a learner types it, on random data shaped
like FashionMNIST instead of the download: a Dataset and DataLoader, a NeuralNetwork module,
the train and test loops, saving and loading the state dict, and one prediction.
"""

import os
import tempfile

import torch
from torch import nn

EPOCHS = int(os.environ.get("LECTURE_STEPS", "2"))  # epochs (the tutorial: 5)
N_TRAIN = int(os.environ.get("LECTURE_TRAIN_SIZE", "640"))  # FashionMNIST has 60,000
N_TEST = int(os.environ.get("LECTURE_TEST_SIZE", "192"))  # and 10,000

RESULTS = {}

# random "images" and labels in place of datasets.FashionMNIST(..., transform=ToTensor())
torch.manual_seed(0)
training_data = torch.utils.data.TensorDataset(
    torch.rand((N_TRAIN, 1, 28, 28)), torch.randint(0, 10, (N_TRAIN,))
)
test_data = torch.utils.data.TensorDataset(torch.rand((N_TEST, 1, 28, 28)), torch.randint(0, 10, (N_TEST,)))

batch_size = 64

# Create data loaders.
train_dataloader = torch.utils.data.DataLoader(training_data, batch_size=batch_size)
test_dataloader = torch.utils.data.DataLoader(test_data, batch_size=batch_size)

for X, y in test_dataloader:
    print(f"Shape of X [N, C, H, W]: {X.shape}")
    print(f"Shape of y: {y.shape} {y.dtype}")
    RESULTS["batch_shapes"] = [list(X.shape), list(y.shape), str(y.dtype), str(X.dtype)]
    break

device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")
RESULTS["device"] = device


# Define model
class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork().to(device)
print(model)
RESULTS["model_repr"] = str(model)
RESULTS["num_params"] = sum(p.numel() for p in model.parameters())
RESULTS["param_names"] = [name for name, _ in model.named_parameters()]
RESULTS["init_weight"] = model.linear_relu_stack[0].weight[0, :5].tolist()

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)

TRAIN_LOSSES = []  # every batch's loss, to compare the backends step by step
PRINTED = []


def train(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)

        # Compute prediction error
        pred = model(X)
        loss = loss_fn(pred, y)

        # Backpropagation
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        TRAIN_LOSSES.append(loss.item())
        if batch % 5 == 0:  # the tutorial prints every 100 batches of 60,000 images
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")
            PRINTED.append((loss, current))


def test(dataloader, model, loss_fn):
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100 * correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")
    return test_loss, correct


epochs = EPOCHS
test_results = []
for t in range(epochs):
    print(f"Epoch {t + 1}\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
    test_results.append(test(test_dataloader, model, loss_fn))
print("Done!")
RESULTS["train_losses"] = TRAIN_LOSSES
RESULTS["printed"] = PRINTED
RESULTS["test_losses"] = [loss for loss, _ in test_results]
RESULTS["test_accuracies"] = [acc for _, acc in test_results]
RESULTS["batches_per_epoch"] = len(train_dataloader)

# Saving the model (to a temporary folder here, not the working directory)
path = os.path.join(tempfile.mkdtemp(), "model.pth")
torch.save(model.state_dict(), path)
print(f"Saved PyTorch Model State to {path}")
RESULTS["state_dict_keys"] = list(model.state_dict().keys())

# Loading the model: re-create the structure and load the state dictionary into it
model = NeuralNetwork().to(device)
model.load_state_dict(torch.load(path, weights_only=True))
os.remove(path)
os.rmdir(os.path.dirname(path))

classes = [
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

model.eval()
x, y = test_data[0][0], test_data[0][1]
with torch.no_grad():
    x = x.to(device)
    pred = model(x)
    predicted, actual = classes[pred[0].argmax(0)], classes[y]
    print(f'Predicted: "{predicted}", Actual: "{actual}"')
RESULTS["prediction"] = [predicted, actual]
RESULTS["pred_logits"] = pred[0].tolist()
# the reloaded model predicts as the trained one did
RESULTS["reloaded_test"] = test(test_dataloader, model, loss_fn)
