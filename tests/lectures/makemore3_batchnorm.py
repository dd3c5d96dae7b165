# ruff: noqa: N812, N816, SIM115, UP031, B007  (the lectures' names, open() and % formatting)
"""makemore, part 3: activations, gradients and BatchNorm, as a learner types it while following
the lecture (Karpathy, "Building makemore Part 3: Activations & Gradients, BatchNorm", 2022):
the expected loss at initialisation, Kaiming-style init with tanh's gain 5/3, batch norm written
by hand with running statistics, then the "PyTorch-ified" Linear / BatchNorm1d / Tanh layers
written by hand and the statistics the lecture looks at (saturation, gradient and
update-to-data ratios). The step counts are cut short (STEPS) so that it runs in seconds.
"""

import os
import random

import torch
import torch.nn.functional as F

STEPS = int(os.environ.get("LECTURE_STEPS", "100"))  # training steps (the lecture: 200,000; deep net 1,000)
EVAL = int(os.environ.get("LECTURE_EVAL", "20000"))  # examples of the training split to evaluate
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("NAMES_TXT", os.path.join(HERE, "..", "..", "demos", "data", "names.txt"))

RESULTS = {}

words = open(DATA).read().splitlines()
chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size = len(itos)
print(itos)
print(vocab_size)

block_size = 3


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(X.shape, Y.shape)
    return X, Y


random.seed(42)
random.shuffle(words)
n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])  # 80%
Xdev, Ydev = build_dataset(words[n1:n2])  # 10%
Xte, Yte = build_dataset(words[n2:])  # 10%

# --- what loss to expect at initialisation ------------------------------------------------------
expected = -torch.tensor(1 / 27.0).log()
print("expected initial loss", expected)
RESULTS["expected_init_loss"] = expected.item()

# a 4-dimensional example: equal logits give a uniform distribution
logits = torch.tensor([0.0, 0.0, 0.0, 0.0])
probs = torch.softmax(logits, dim=0)
loss = -probs[2].log()
print(probs, loss)
RESULTS["uniform4"] = [probs.tolist(), loss.item()]
logits = torch.tensor([0.0, 0.0, 5.0, 0.0])
probs = torch.softmax(logits, dim=0)
RESULTS["confident4"] = [probs.tolist(), (-probs[2].log()).item()]

# why 1/sqrt(fan_in): the standard deviation of x @ w
g0 = torch.Generator().manual_seed(2147483647)
x = torch.randn(1000, 10, generator=g0)
w = torch.randn(10, 200, generator=g0) / 10**0.5
y = x @ w
print(x.mean(), x.std())
print(y.mean(), y.std())
RESULTS["fan_in_stats"] = [x.mean().item(), x.std().item(), y.mean().item(), y.std().item()]

# PyTorch's own helper gives the same scale: std = gain / sqrt(fan_in), gain 5/3 for tanh
torch.manual_seed(42)
w = torch.empty(200, 30)
torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="tanh")
print(w.std(), (5 / 3) / 30**0.5)
RESULTS["kaiming_std"] = w.std().item()
RESULTS["kaiming_expected"] = (5 / 3) / 30**0.5

# --- the MLP revisited: Kaiming init and a batch-norm layer written by hand ------------------
n_embd = 10  # the dimensionality of the character embedding vectors
n_hidden = 200  # the number of neurons in the hidden layer of the MLP

g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size) ** 0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.01  # not used: batch norm's bias takes its place
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
b2 = torch.randn(vocab_size, generator=g) * 0

# BatchNorm parameters and buffers
bngain = torch.ones((1, n_hidden))
bnbias = torch.zeros((1, n_hidden))
bnmean_running = torch.zeros((1, n_hidden))
bnstd_running = torch.ones((1, n_hidden))

parameters = [C, W1, W2, b2, bngain, bnbias]
print(sum(p.nelement() for p in parameters))  # number of parameters in total
RESULTS["bn_num_params"] = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True

max_steps = STEPS
batch_size = 32
lossi = []
losses = []
saturation = []

for i in range(max_steps):
    # minibatch construct
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]  # batch X,Y

    # forward pass
    emb = C[Xb]  # embed the characters into vectors
    embcat = emb.view(emb.shape[0], -1)  # concatenate the vectors
    # Linear layer
    hpreact = embcat @ W1  # + b1: hidden layer pre-activation
    # BatchNorm layer
    bnmeani = hpreact.mean(0, keepdim=True)
    bnstdi = hpreact.std(0, keepdim=True)
    hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
    with torch.no_grad():
        bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
        bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
    # Non-linearity
    h = torch.tanh(hpreact)  # hidden layer
    logits = h @ W2 + b2  # output layer
    loss = F.cross_entropy(logits, Yb)  # loss function

    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()

    # update
    lr = 0.1 if i < max_steps // 2 else 0.01  # step learning rate decay
    for p in parameters:
        p.data += -lr * p.grad

    # track stats
    if i % 50 == 0:  # print every once in a while
        print(f"{i:7d}/{max_steps:7d}: {loss.item():.4f}")
        saturation.append((h.abs() > 0.99).float().mean().item())  # how many tanh units are flat
    lossi.append(loss.log10().item())
    losses.append(loss.item())

RESULTS["bn_losses"] = losses
RESULTS["bn_log10_losses"] = lossi
RESULTS["bn_saturation"] = saturation
RESULTS["bn_requires_grad"] = [bnmean_running.requires_grad, bnstd_running.requires_grad]

# calibrate the batch norm at the end of training
with torch.no_grad():
    emb = C[Xtr[:EVAL]]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ W1
    bnmean = hpreact.mean(0, keepdim=True)
    bnstd = hpreact.std(0, keepdim=True)
RESULTS["bn_calibrated_vs_running"] = [
    (bnmean - bnmean_running).abs().max().item(),
    (bnstd - bnstd_running).abs().max().item(),
]


@torch.no_grad()  # this decorator disables gradient tracking
def split_loss(split):
    x, y = {
        "train": (Xtr[:EVAL], Ytr[:EVAL]),
        "val": (Xdev, Ydev),
        "test": (Xte, Yte),
    }[split]
    emb = C[x]  # (N, block_size, n_embd)
    embcat = emb.view(emb.shape[0], -1)  # concat into (N, block_size * n_embd)
    hpreact = embcat @ W1
    hpreact = bngain * (hpreact - bnmean_running) / bnstd_running + bnbias
    h = torch.tanh(hpreact)  # (N, n_hidden)
    logits = h @ W2 + b2  # (N, vocab_size)
    loss = F.cross_entropy(logits, y)
    print(split, loss.item())
    return loss


RESULTS["bn_train_loss"] = split_loss("train").item()
RESULTS["bn_dev_loss"] = split_loss("val").item()
RESULTS["no_grad_result_requires_grad"] = split_loss("val").requires_grad


# --- SUMMARY + PYTORCHIFYING: the layers written as classes, with PyTorch's API ----------------
class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.momentum = momentum
        self.training = True
        # parameters (trained with backprop)
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)
        # buffers (trained with a running "momentum update")
        self.running_mean = torch.zeros(dim)
        self.running_var = torch.ones(dim)

    def __call__(self, x):
        # the forward pass
        if self.training:
            xmean = x.mean(0, keepdim=True)  # batch mean
            xvar = x.var(0, keepdim=True)  # batch variance
        else:
            xmean = self.running_mean
            xvar = self.running_var
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)  # normalize to unit variance
        self.out = self.gamma * xhat + self.beta
        # update the buffers
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out

    def parameters(self):
        return []


n_embd = 10
n_hidden = 100
g = torch.Generator().manual_seed(2147483647)

C = torch.randn((vocab_size, n_embd), generator=g)
layers = [
    Linear(n_embd * block_size, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, vocab_size, bias=False), BatchNorm1d(vocab_size),
]  # fmt: skip

with torch.no_grad():
    # last layer: make less confident
    layers[-1].gamma *= 0.1
    # all other layers: apply gain
    for layer in layers[:-1]:
        if isinstance(layer, Linear):
            layer.weight *= 1.0  # 5/3 without batch norm

parameters = [C] + [p for layer in layers for p in layer.parameters()]
print(sum(p.nelement() for p in parameters))  # number of parameters in total
RESULTS["deep_num_params"] = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True

max_steps = STEPS
batch_size = 32
lossi = []
losses = []
ud = []

for i in range(max_steps):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]

    # forward pass
    emb = C[Xb]
    x = emb.view(emb.shape[0], -1)
    for layer in layers:
        x = layer(x)
    loss = F.cross_entropy(x, Yb)

    # backward pass
    for layer in layers:
        layer.out.retain_grad()  # to look at the gradients of the activations below
    for p in parameters:
        p.grad = None
    loss.backward()

    # update
    lr = 0.1 if i < max_steps * 3 // 4 else 0.01
    for p in parameters:
        p.data += -lr * p.grad

    # track stats
    if i % 50 == 0:
        print(f"{i:7d}/{max_steps:7d}: {loss.item():.4f}")
    lossi.append(loss.log10().item())
    losses.append(loss.item())
    with torch.no_grad():
        ud.append([((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters])

RESULTS["deep_losses"] = losses
RESULTS["deep_log10_losses"] = lossi
RESULTS["update_to_data"] = ud[-1]

# the activations: mean, std and how saturated each tanh is
activations = []
print("activation distribution")
for i, layer in enumerate(layers[:-1]):  # note: exclude the output layer
    if isinstance(layer, Tanh):
        t = layer.out
        print(
            "layer %d (%10s): mean %+.2f, std %.2f, saturated: %.2f%%"
            % (i, layer.__class__.__name__, t.mean(), t.std(), (t.abs() > 0.97).float().mean() * 100)
        )
        hy, hx = torch.histogram(t, density=True)
        activations.append(
            {
                "layer": i,
                "mean": t.mean().item(),
                "std": t.std().item(),
                "saturated": ((t.abs() > 0.97).float().mean() * 100).item(),
                "hist_bins": hy.shape[0],
                "hist_edges": [hx[0].item(), hx[-1].item()],
                "hist_area": (hy * (hx[1:] - hx[:-1])).sum().item(),
                "plot": [hx[:-1].detach().tolist(), hy.detach().tolist()],
            }
        )
RESULTS["activations"] = activations

# the gradients flowing into each activation
gradients = []
print("gradient distribution")
for i, layer in enumerate(layers[:-1]):
    if isinstance(layer, Tanh):
        t = layer.out.grad
        print("layer %d (%10s): mean %+f, std %e" % (i, layer.__class__.__name__, t.mean(), t.std()))
        hy, hx = torch.histogram(t, density=True)
        gradients.append({"layer": i, "mean": t.mean().item(), "std": t.std().item(), "hist": hy.tolist()})
RESULTS["gradients"] = gradients

# the weights' gradients, and their size relative to the weights
weights = []
print("weights gradient distribution")
for i, p in enumerate(parameters):
    t = p.grad
    if p.ndim == 2:
        print(
            "weight %10s | mean %+f | std %e | grad:data ratio %e"
            % (tuple(p.shape), t.mean(), t.std(), t.std() / p.std())
        )
        weights.append(
            {
                "index": i,
                "shape": list(p.shape),
                "mean": t.mean().item(),
                "std": t.std().item(),
                "ratio": (t.std() / p.std()).item(),
            }
        )
RESULTS["weights"] = weights
# the update:data ratios the lecture plots should sit near 1e-3 (log10 about -3)
RESULTS["ud_2d"] = [ud[-1][i] for i, p in enumerate(parameters) if p.ndim == 2]
print("update:data (log10)", RESULTS["ud_2d"])


@torch.no_grad()
def split_loss_layers(split):
    x, y = {
        "train": (Xtr[:EVAL], Ytr[:EVAL]),
        "val": (Xdev, Ydev),
        "test": (Xte, Yte),
    }[split]
    emb = C[x]
    x = emb.view(emb.shape[0], -1)
    for layer in layers:
        x = layer(x)
    loss = F.cross_entropy(x, y)
    print(split, loss.item())
    return loss.item()


# put the layers into eval mode: batch norm uses its running statistics
for layer in layers:
    layer.training = False
RESULTS["deep_train_loss"] = split_loss_layers("train")
RESULTS["deep_dev_loss"] = split_loss_layers("val")

# sample from the model
g = torch.Generator().manual_seed(2147483647 + 10)
samples = []
for _ in range(20):
    out = []
    context = [0] * block_size
    while True:
        emb = C[torch.tensor([context])]  # (1, block_size, n_embd)
        x = emb.view(emb.shape[0], -1)
        for layer in layers:
            x = layer(x)
        logits = x
        probs = F.softmax(logits, dim=1)
        ix = torch.multinomial(probs, num_samples=1, generator=g).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0:
            break
    print("".join(itos[i] for i in out))
    samples.append("".join(itos[i] for i in out))
RESULTS["samples"] = samples
