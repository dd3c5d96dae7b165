# ruff: noqa: N812, N816, SIM115, UP031, B007  (the lectures' names, open() and % formatting)
"""makemore, part 2: the MLP of Bengio et al. (2003) on names, as a learner types it while
following the lecture (Karpathy, "Building makemore Part 2: MLP", 2022): a learned embedding
table C, a tanh hidden layer, minibatch SGD, a learning-rate search, train/dev/test splits and
sampling. The step counts are cut short (STEPS) so that it runs in seconds.
"""

import os
import random

import torch
import torch.nn.functional as F

STEPS = int(os.environ.get("LECTURE_STEPS", "200"))  # training steps (the lecture: 200,000)
LR_STEPS = int(os.environ.get("LECTURE_LR_STEPS", "1000"))  # learning-rate search steps (lecture: 1000)
EVAL = int(os.environ.get("LECTURE_EVAL", "20000"))  # examples of the training split to evaluate
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("NAMES_TXT", os.path.join(HERE, "..", "..", "demos", "data", "names.txt"))

RESULTS = {}

words = open(DATA).read().splitlines()
print(words[:8], len(words))

chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
print(itos)

block_size = 3  # context length: how many characters we take to predict the next one


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]  # crop and append
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(X.shape, Y.shape)
    return X, Y


random.seed(42)
random.shuffle(words)
n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))

Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])
print(Xtr.shape, Xtr.dtype, Ytr.shape, Ytr.dtype)
RESULTS["split_sizes"] = [Xtr.shape[0], Xdev.shape[0], Xte.shape[0]]
RESULTS["X_dtype"] = str(Xtr.dtype)
RESULTS["first_contexts"] = Xtr[:5].tolist()

# --- the embedding lookup, first by hand ----------------------------------------------------
C = torch.randn((27, 2))
print(C[5], F.one_hot(torch.tensor(5), num_classes=27).float() @ C)  # the same row
emb = C[Xtr[:32]]
print(emb.shape)
RESULTS["emb_shape"] = list(emb.shape)
RESULTS["view_is_cat"] = torch.all(
    emb.view(32, 6) == torch.cat([emb[:, 0, :], emb[:, 1, :], emb[:, 2, :]], 1)
).item()
RESULTS["unbind_is_cat"] = torch.all(emb.view(-1, 6) == torch.cat(torch.unbind(emb, 1), 1)).item()

# --- now made respectable --------------------------------------------------------------------
g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g)
b1 = torch.randn(200, generator=g)
W2 = torch.randn((200, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters))  # number of parameters in total
RESULTS["num_params"] = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True

# the learning-rate search: exponents from -3 to 0, one learning rate per step
lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre
RESULTS["lre_ends"] = [lre[0].item(), lre[-1].item()]
RESULTS["lrs_ends"] = [lrs[0].item(), lrs[-1].item()]

lri = []
lossi = []
for i in range(LR_STEPS):
    # minibatch construct
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)

    # forward pass
    emb = C[Xtr[ix]]  # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 200)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])

    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()

    # update
    lr = lrs[i]
    for p in parameters:
        p.data += -lr * p.grad

    # track stats
    lri.append(lre[i].item())
    lossi.append(loss.item())

RESULTS["lr_search_losses"] = lossi
# a good learning rate is where the (smoothed) loss was lowest: about 10**-1 in the lecture
window = 50
smooth = [sum(lossi[i : i + window]) / window for i in range(len(lossi) - window)]
if smooth:
    best = min(range(len(smooth)), key=lambda i: smooth[i])
    RESULTS["best_lre"] = lri[best + window // 2]
    print("best learning-rate exponent", RESULTS["best_lre"])

# --- train again from the same initialisation with the learning rate found -----------------
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g)
b1 = torch.randn(200, generator=g)
W2 = torch.randn((200, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True

stepi = []
lossi = []
losses = []
for i in range(STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)

    emb = C[Xtr[ix]]  # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 200)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])

    for p in parameters:
        p.grad = None
    loss.backward()

    lr = 0.1 if i < STEPS // 2 else 0.01  # step decay halfway, as the lecture's 100,000 of 200,000
    for p in parameters:
        p.data += -lr * p.grad

    stepi.append(i)
    lossi.append(loss.log10().item())
    losses.append(loss.item())
    if i % 50 == 0:
        print(f"{i:7d}/{STEPS:7d}: {loss.item():.4f}")

RESULTS["losses"] = losses
RESULTS["log10_losses"] = lossi

# the loss of the whole training and dev sets
emb = C[Xtr[:EVAL]]
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
logits = h @ W2 + b2
loss = F.cross_entropy(logits, Ytr[:EVAL])
print("train", loss)
RESULTS["train_loss"] = loss.item()

emb = C[Xdev]
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
logits = h @ W2 + b2
loss = F.cross_entropy(logits, Ydev)
print("dev", loss)
RESULTS["dev_loss"] = loss.item()

# the first two dimensions of the embedding, as the lecture's scatter plot shows them
RESULTS["C_xy"] = [[C[i, 0].item(), C[i, 1].item()] for i in range(C.shape[0])]
RESULTS["C_col0_data"] = C[:, 0].data.tolist()

# --- sample from the model --------------------------------------------------------------------
context = [0] * block_size
print(C[torch.tensor([context])].shape)
g = torch.Generator().manual_seed(2147483647 + 10)
samples = []
for _ in range(20):
    out = []
    context = [0] * block_size
    while True:
        emb = C[torch.tensor([context])]  # (1, block_size, d)
        h = torch.tanh(emb.view(1, -1) @ W1 + b1)
        logits = h @ W2 + b2
        probs = F.softmax(logits, dim=1)
        ix = torch.multinomial(probs, num_samples=1, generator=g).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0:
            break
    print("".join(itos[i] for i in out))
    samples.append("".join(itos[i] for i in out))
RESULTS["samples"] = samples
