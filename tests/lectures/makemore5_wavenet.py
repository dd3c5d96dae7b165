# ruff: noqa: N812, N816, SIM115, UP031, B007  (the lectures' names, open() and % formatting)
"""makemore, part 5: building a WaveNet, as a learner types it while following the lecture
(Karpathy, "Building makemore Part 5: Building a WaveNet", 2022). The layers are written by hand
with PyTorch's API (Embedding, FlattenConsecutive, Linear, BatchNorm1d over dims (0, 1) for 3-D
input, Tanh, Sequential), stacked into a hierarchical model over a context of 8 characters.
Random numbers come from the global generator (torch.manual_seed(42)), as in the lecture.
The step counts are cut short (STEPS) so that it runs in seconds.
"""

import os
import random

import torch
import torch.nn.functional as F

STEPS = int(os.environ.get("LECTURE_STEPS", "100"))  # training steps (the lecture: 200,000)
EVAL = int(os.environ.get("LECTURE_EVAL", "20000"))  # examples of the training split to evaluate
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("NAMES_TXT", os.path.join(HERE, "..", "..", "demos", "data", "names.txt"))

RESULTS = {}

words = open(DATA).read().splitlines()
print(len(words))
print(max(len(w) for w in words))
print(words[:8])

chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size = len(itos)
print(itos)
print(vocab_size)

# shuffle up the words
random.seed(42)
random.shuffle(words)

block_size = 8  # context length: how many characters we take to predict the next one


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


n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])  # 80%
Xdev, Ydev = build_dataset(words[n1:n2])  # 10%
Xte, Yte = build_dataset(words[n2:])  # 10%

examples = []
for x, y in zip(Xtr[:20], Ytr[:20]):
    print("".join(itos[ix.item()] for ix in x), "-->", itos[y.item()])
    examples.append("".join(itos[ix.item()] for ix in x) + "-->" + itos[y.item()])
RESULTS["examples"] = examples


# -----------------------------------------------------------------------------------------------
class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out)) / fan_in**0.5  # note: kaiming init
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


# -----------------------------------------------------------------------------------------------
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
            if x.ndim == 2:
                dim = 0
            elif x.ndim == 3:
                dim = (0, 1)
            xmean = x.mean(dim, keepdim=True)  # batch mean
            xvar = x.var(dim, keepdim=True)  # batch variance
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


# -----------------------------------------------------------------------------------------------
class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out

    def parameters(self):
        return []


# -----------------------------------------------------------------------------------------------
class Embedding:
    def __init__(self, num_embeddings, embedding_dim):
        self.weight = torch.randn((num_embeddings, embedding_dim))

    def __call__(self, IX):
        self.out = self.weight[IX]
        return self.out

    def parameters(self):
        return [self.weight]


# -----------------------------------------------------------------------------------------------
class FlattenConsecutive:
    def __init__(self, n):
        self.n = n

    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out

    def parameters(self):
        return []


# -----------------------------------------------------------------------------------------------
class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        self.out = x
        return self.out

    def parameters(self):
        # the parameters of all the layers, stretched out into one list
        return [p for layer in self.layers for p in layer.parameters()]


torch.manual_seed(42)  # seed rng for reproducibility

# --- what FlattenConsecutive does: view pairs of consecutive characters as one vector ---------
e = torch.randn(4, 8, 10)  # 4 examples, 8 characters, 10-dimensional embeddings
explicit = torch.cat([e[:, ::2, :], e[:, 1::2, :]], dim=2)  # (4, 4, 20)
print(explicit.shape, (e.view(4, 4, 20) == explicit).all())
RESULTS["flatten_view_equals_cat"] = (e.view(4, 4, 20) == explicit).all().item()

# the matrix multiply works on the last dimension, with any batch dimensions in front
RESULTS["batched_matmul_shape"] = list(
    (torch.randn(4, 5, 6, 80) @ torch.randn(80, 200) + torch.randn(200)).shape
)

# --- the hierarchical network --------------------------------------------------------------
n_embd = 24  # the dimensionality of the character embedding vectors
n_hidden = 128  # the number of neurons in the hidden layer of the MLP
model = Sequential([
    Embedding(vocab_size, n_embd),
    FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, vocab_size),
])  # fmt: skip

# parameter init
with torch.no_grad():
    model.layers[-1].weight *= 0.1  # last layer: make less confident

parameters = model.parameters()
print(sum(p.nelement() for p in parameters))  # number of parameters in total
RESULTS["num_params"] = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True

# the shapes through the model, on a batch of 4
ix = torch.randint(0, Xtr.shape[0], (4,))
Xb, Yb = Xtr[ix], Ytr[ix]
logits = model(Xb)
print(Xb.shape)
shapes = []
for layer in model.layers:
    print(layer.__class__.__name__, ":", tuple(layer.out.shape))
    shapes.append([layer.__class__.__name__, list(layer.out.shape)])
RESULTS["layer_shapes"] = shapes
# the batch norm over dims (0, 1) keeps one statistic per channel: (1, 1, n_hidden)
RESULTS["running_mean_shape"] = list(model.layers[3].running_mean.shape)

max_steps = STEPS
batch_size = 32
lossi = []
losses = []

for i in range(max_steps):
    # minibatch construct
    ix = torch.randint(0, Xtr.shape[0], (batch_size,))
    Xb, Yb = Xtr[ix], Ytr[ix]  # batch X,Y

    # forward pass
    logits = model(Xb)
    loss = F.cross_entropy(logits, Yb)  # loss function

    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()

    # update: simple SGD
    lr = 0.1 if i < max_steps * 3 // 4 else 0.01  # step learning rate decay
    for p in parameters:
        p.data += -lr * p.grad

    # track stats
    if i % 50 == 0:  # print every once in a while
        print(f"{i:7d}/{max_steps:7d}: {loss.item():.4f}")
    lossi.append(loss.log10().item())
    losses.append(loss.item())

RESULTS["losses"] = losses
RESULTS["log10_losses"] = lossi
# the lecture plots the mean of every 1000 steps; here every 10
chunk = 10 if len(lossi) % 10 == 0 and lossi else 1
RESULTS["loss_curve"] = torch.tensor(lossi).view(-1, chunk).mean(1).tolist()

# put layers into eval mode (needed for batchnorm especially)
for layer in model.layers:
    layer.training = False


# evaluate the loss
@torch.no_grad()  # this decorator disables gradient tracking inside pytorch
def split_loss(split):
    x, y = {
        "train": (Xtr[:EVAL], Ytr[:EVAL]),
        "val": (Xdev, Ydev),
        "test": (Xte, Yte),
    }[split]
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    print(split, loss.item())
    return loss.item()


RESULTS["train_loss"] = split_loss("train")
RESULTS["dev_loss"] = split_loss("val")

# sample from the model
samples = []
for _ in range(20):
    out = []
    context = [0] * block_size  # initialize with all ...
    while True:
        # forward pass the neural net
        logits = model(torch.tensor([context]))
        probs = F.softmax(logits, dim=1)
        # sample from the distribution
        ix = torch.multinomial(probs, num_samples=1).item()
        # shift the context window and track the samples
        context = context[1:] + [ix]
        out.append(ix)
        # if we sample the special '.' token, break
        if ix == 0:
            break
    print("".join(itos[i] for i in out))  # decode and print the generated word
    samples.append("".join(itos[i] for i in out))
RESULTS["samples"] = samples

# --- towards convolutions: the same model applied at every position of one name -----------------
for x, y in zip(Xtr[7:15], Ytr[7:15]):
    print("".join(itos[ix.item()] for ix in x), "-->", itos[y.item()])

# forward a single example
logits = model(Xtr[[7]])
print(logits.shape)
RESULTS["single_shape"] = list(logits.shape)

# forward all of them, one at a time, into rows of a tensor
logits = torch.zeros(8, 27)
for i in range(8):
    logits[i] = model(Xtr[[7 + i]])
print(logits.shape)
RESULTS["rows_shape"] = list(logits.shape)
RESULTS["rows_equal_batch"] = torch.allclose(logits, model(Xtr[7:15]), atol=1e-6)
RESULTS["rows_logits"] = logits[0, :5].tolist()
