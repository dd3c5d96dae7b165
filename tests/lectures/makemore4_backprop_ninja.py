# ruff: noqa: N812, N816, SIM115, UP031, B007  (the lectures' names, open() and % formatting)
"""makemore, part 4: becoming a backprop ninja, as a learner types it while following the lecture
(Karpathy, "Building makemore Part 4: Becoming a Backprop Ninja", 2022). The MLP's forward pass
is broken into small steps; each step's gradient is written by hand and compared with what
loss.backward() put in .grad (exercise 1); then cross-entropy (exercise 2) and batch norm
(exercise 3) are backpropagated in one go; finally the net is trained with the hand-written
gradients alone (exercise 4). The step counts are cut short (STEPS) so that it runs in seconds.
"""

import os
import random

import torch
import torch.nn.functional as F

STEPS = int(os.environ.get("LECTURE_STEPS", "200"))  # training steps (the lecture: 200,000)
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

CMP = {}


# compare a gradient computed by hand with the one PyTorch computed
def cmp(s, dt, t):
    ex = torch.all(dt == t.grad).item()
    app = torch.allclose(dt, t.grad)
    maxdiff = (dt - t.grad).abs().max().item()
    print(f"{s:15s} | exact: {str(ex):5s} | approximate: {str(app):5s} | maxdiff: {maxdiff}")
    CMP[s] = {"exact": ex, "approx": app, "maxdiff": maxdiff}


n_embd = 10  # the dimensionality of the character embedding vectors
n_hidden = 64  # the number of neurons in the hidden layer of the MLP

g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((vocab_size, n_embd), generator=g)
# Layer 1
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size) ** 0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.1  # useless next to batch norm, but a gradient to check
# Layer 2
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
b2 = torch.randn(vocab_size, generator=g) * 0.1
# BatchNorm parameters
bngain = torch.randn((1, n_hidden)) * 0.1 + 1.0
bnbias = torch.randn((1, n_hidden)) * 0.1
# (non-standard initialisations on purpose: zeros could hide a wrong backward pass)

parameters = [C, W1, b1, W2, b2, bngain, bnbias]
print(sum(p.nelement() for p in parameters))  # number of parameters in total
RESULTS["num_params"] = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True

batch_size = 32
n = batch_size  # shorter, for convenience
ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
Xb, Yb = Xtr[ix], Ytr[ix]  # batch X,Y

# forward pass, in steps small enough to backpropagate one at a time
emb = C[Xb]  # embed the characters into vectors
embcat = emb.view(emb.shape[0], -1)  # concatenate the vectors
# Linear layer 1
hprebn = embcat @ W1 + b1  # hidden layer pre-activation
# BatchNorm layer
bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
bndiff = hprebn - bnmeani
bndiff2 = bndiff**2
bnvar = 1 / (n - 1) * (bndiff2).sum(0, keepdim=True)  # Bessel's correction: n-1, not n
bnvar_inv = (bnvar + 1e-5) ** -0.5
bnraw = bndiff * bnvar_inv
hpreact = bngain * bnraw + bnbias
# Non-linearity
h = torch.tanh(hpreact)  # hidden layer
# Linear layer 2
logits = h @ W2 + b2  # output layer
# cross entropy loss (the same as F.cross_entropy(logits, Yb))
logit_maxes = logits.max(1, keepdim=True).values
norm_logits = logits - logit_maxes  # subtract the max for numerical stability
counts = norm_logits.exp()
counts_sum = counts.sum(1, keepdims=True)
counts_sum_inv = counts_sum**-1  # (1.0 / counts_sum) would not be bit-exact in the backward pass
probs = counts * counts_sum_inv
logprobs = probs.log()
loss = -logprobs[range(n), Yb].mean()

# PyTorch backward pass
for p in parameters:
    p.grad = None
for t in [logprobs, probs, counts, counts_sum, counts_sum_inv,
          norm_logits, logit_maxes, logits, h, hpreact, bnraw,
          bnvar_inv, bnvar, bndiff2, bndiff, hprebn, bnmeani,
          embcat, emb]:  # fmt: skip
    t.retain_grad()
loss.backward()
print(loss)
RESULTS["loss"] = loss.item()

# --- exercise 1: backprop through every step by hand ----------------------------------------
# loss = -(1/n) * sum of the picked log-probabilities: each picked one gets -1/n, the rest 0
dlogprobs = torch.zeros_like(logprobs)
dlogprobs[range(n), Yb] = -1.0 / n
# log: d/dx log x = 1/x
dprobs = (1.0 / probs) * dlogprobs
# probs = counts * counts_sum_inv: counts_sum_inv is broadcast along each row, so its gradient sums
dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
dcounts = counts_sum_inv * dprobs  # first of counts' two uses
# x**-1 -> -x**-2
dcounts_sum = (-(counts_sum**-2)) * dcounts_sum_inv
# counts_sum adds each row: its gradient flows to every element of the row (second use)
dcounts += torch.ones_like(counts) * dcounts_sum
# exp: the local derivative is the output itself
dnorm_logits = counts * dcounts
# norm_logits = logits - logit_maxes
dlogits = dnorm_logits.clone()
dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
# max picks one element per row: route the gradient to where it was (second use of logits)
dlogits += F.one_hot(logits.max(1).indices, num_classes=logits.shape[1]) * dlogit_maxes
# logits = h @ W2 + b2
dh = dlogits @ W2.T
dW2 = h.T @ dlogits
db2 = dlogits.sum(0)
# tanh: 1 - tanh**2
dhpreact = (1.0 - h**2) * dh
# hpreact = bngain * bnraw + bnbias (both (1, n_hidden): sum over the batch)
dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
dbnraw = bngain * dhpreact
dbnbias = dhpreact.sum(0, keepdim=True)
# bnraw = bndiff * bnvar_inv
dbndiff = bnvar_inv * dbnraw
dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
# (x + eps)**-0.5 -> -0.5 * (x + eps)**-1.5
dbnvar = (-0.5 * (bnvar + 1e-5) ** -1.5) * dbnvar_inv
# bnvar = 1/(n-1) * bndiff2.sum(0)
dbndiff2 = (1.0 / (n - 1)) * torch.ones_like(bndiff2) * dbnvar
# bndiff2 = bndiff**2 (second use of bndiff)
dbndiff += (2 * bndiff) * dbndiff2
# bndiff = hprebn - bnmeani
dhprebn = dbndiff.clone()
dbnmeani = (-dbndiff).sum(0)
# bnmeani = 1/n * hprebn.sum(0) (second use of hprebn)
dhprebn += 1.0 / n * (torch.ones_like(hprebn) * dbnmeani)
# hprebn = embcat @ W1 + b1
dembcat = dhprebn @ W1.T
dW1 = embcat.T @ dhprebn
db1 = dhprebn.sum(0)
# embcat is a view of emb
demb = dembcat.view(emb.shape)
# emb = C[Xb]: each row of C gathers the gradient of every place it was picked
dC = torch.zeros_like(C)
for k in range(Xb.shape[0]):
    for j in range(Xb.shape[1]):
        ix = Xb[k, j]
        dC[ix] += demb[k, j]

cmp("logprobs", dlogprobs, logprobs)
cmp("probs", dprobs, probs)
cmp("counts_sum_inv", dcounts_sum_inv, counts_sum_inv)
cmp("counts_sum", dcounts_sum, counts_sum)
cmp("counts", dcounts, counts)
cmp("norm_logits", dnorm_logits, norm_logits)
cmp("logit_maxes", dlogit_maxes, logit_maxes)
cmp("logits", dlogits, logits)
cmp("h", dh, h)
cmp("W2", dW2, W2)
cmp("b2", db2, b2)
cmp("hpreact", dhpreact, hpreact)
cmp("bngain", dbngain, bngain)
cmp("bnbias", dbnbias, bnbias)
cmp("bnraw", dbnraw, bnraw)
cmp("bnvar_inv", dbnvar_inv, bnvar_inv)
cmp("bnvar", dbnvar, bnvar)
cmp("bndiff2", dbndiff2, bndiff2)
cmp("bndiff", dbndiff, bndiff)
cmp("bnmeani", dbnmeani, bnmeani)
cmp("hprebn", dhprebn, hprebn)
cmp("embcat", dembcat, embcat)
cmp("W1", dW1, W1)
cmp("b1", db1, b1)
cmp("emb", demb, emb)
cmp("C", dC, C)
RESULTS["exercise1"] = dict(CMP)
CMP.clear()

# the gradient of logit_maxes should be ~0: the max does not change the loss
RESULTS["dlogit_maxes_absmax"] = dlogit_maxes.abs().max().item()

# --- exercise 2: cross-entropy in one go --------------------------------------------------------
loss_fast = F.cross_entropy(logits, Yb)
print(loss_fast.item(), "diff:", (loss_fast - loss).item())
RESULTS["loss_fast"] = loss_fast.item()
RESULTS["loss_fast_diff"] = (loss_fast - loss).item()

# dloss/dlogits = (softmax - one_hot(target)) / n
dlogits = F.softmax(logits, 1)
dlogits[range(n), Yb] -= 1
dlogits /= n
cmp("logits", dlogits, logits)  # only approximately equal: maxdiff about 5e-9
RESULTS["exercise2"] = dict(CMP)
CMP.clear()
RESULTS["dlogits_row0_sum"] = dlogits[0].sum().item()  # each row sums to zero
RESULTS["dlogits_row0_scaled"] = (dlogits[0] * n).tolist()

# --- exercise 3: batch norm in one go --------------------------------------------------------
hpreact_fast = (
    bngain
    * (hprebn - hprebn.mean(0, keepdim=True))
    / torch.sqrt(hprebn.var(0, keepdim=True, unbiased=True) + 1e-5)
    + bnbias
)
print("max diff:", (hpreact_fast - hpreact).abs().max())
RESULTS["hpreact_fast_maxdiff"] = (hpreact_fast - hpreact).abs().max().item()

# dhprebn from dhpreact, simplified on paper
dhprebn = (
    bngain
    * bnvar_inv
    / n
    * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
)
cmp("hprebn", dhprebn, hprebn)  # only approximately equal: maxdiff about 1e-9
RESULTS["exercise3"] = dict(CMP)
CMP.clear()
RESULTS["shapes"] = [
    list(dhprebn.shape),
    list(bngain.shape),
    list(bnvar_inv.shape),
    list(dbnraw.sum(0).shape),
]

# --- exercise 4: train with the hand-written backward pass alone ----------------------------
n_embd = 10
n_hidden = 200

g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size) ** 0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.1
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
b2 = torch.randn(vocab_size, generator=g) * 0.1
bngain = torch.randn((1, n_hidden)) * 0.1 + 1.0
bnbias = torch.randn((1, n_hidden)) * 0.1

parameters = [C, W1, b1, W2, b2, bngain, bnbias]
print(sum(p.nelement() for p in parameters))
RESULTS["train_num_params"] = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True

max_steps = STEPS
batch_size = 32
n = batch_size
lossi = []
losses = []

# use this context manager for efficiency once the backward pass is written by hand
with torch.no_grad():
    for i in range(max_steps):
        # minibatch construct
        ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
        Xb, Yb = Xtr[ix], Ytr[ix]

        # forward pass
        emb = C[Xb]
        embcat = emb.view(emb.shape[0], -1)
        # Linear layer
        hprebn = embcat @ W1 + b1
        # BatchNorm layer
        bnmean = hprebn.mean(0, keepdim=True)
        bnvar = hprebn.var(0, keepdim=True, unbiased=True)
        bnvar_inv = (bnvar + 1e-5) ** -0.5
        bnraw = (hprebn - bnmean) * bnvar_inv
        hpreact = bngain * bnraw + bnbias
        # Non-linearity
        h = torch.tanh(hpreact)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Yb)

        # backward pass, by hand
        for p in parameters:
            p.grad = None
        dlogits = F.softmax(logits, 1)
        dlogits[range(n), Yb] -= 1
        dlogits /= n
        # second layer
        dh = dlogits @ W2.T
        dW2 = h.T @ dlogits
        db2 = dlogits.sum(0)
        # tanh
        dhpreact = (1.0 - h**2) * dh
        # batch norm
        dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
        dbnbias = dhpreact.sum(0, keepdim=True)
        dhprebn = (
            bngain
            * bnvar_inv
            / n
            * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
        )
        # first layer
        dembcat = dhprebn @ W1.T
        dW1 = embcat.T @ dhprebn
        db1 = dhprebn.sum(0)
        # embedding
        demb = dembcat.view(emb.shape)
        dC = torch.zeros_like(C)
        for k in range(Xb.shape[0]):
            for j in range(Xb.shape[1]):
                ix = Xb[k, j]
                dC[ix] += demb[k, j]
        grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias]

        # update
        lr = 0.1 if i < max_steps // 2 else 0.01
        for p, grad in zip(parameters, grads):
            p.data += -lr * grad

        # track stats
        if i % 50 == 0:
            print(f"{i:7d}/{max_steps:7d}: {loss.item():.4f}")
        lossi.append(loss.log10().item())
        losses.append(loss.item())

RESULTS["losses"] = losses
RESULTS["log10_losses"] = lossi
RESULTS["train_requires_grad"] = loss.requires_grad

# check the hand-written backward pass against autograd (the lecture's "use this for correctness
# comparisons"): the same forward pass on the last batch, with the graph this time
emb = C[Xb]
embcat = emb.view(emb.shape[0], -1)
hprebn = embcat @ W1 + b1
bnmean = hprebn.mean(0, keepdim=True)
bnvar = hprebn.var(0, keepdim=True, unbiased=True)
bnvar_inv = (bnvar + 1e-5) ** -0.5
bnraw = (hprebn - bnmean) * bnvar_inv
hpreact = bngain * bnraw + bnbias
h = torch.tanh(hpreact)
logits = h @ W2 + b2
loss = F.cross_entropy(logits, Yb)
for p in parameters:
    p.grad = None
loss.backward()
with torch.no_grad():
    dlogits = F.softmax(logits, 1)
    dlogits[range(n), Yb] -= 1
    dlogits /= n
    dh = dlogits @ W2.T
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(0)
    dhpreact = (1.0 - h**2) * dh
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnbias = dhpreact.sum(0, keepdim=True)
    dhprebn = (
        bngain
        * bnvar_inv
        / n
        * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
    )
    dembcat = dhprebn @ W1.T
    dW1 = embcat.T @ dhprebn
    db1 = dhprebn.sum(0)
    demb = dembcat.view(emb.shape)
    dC = torch.zeros_like(C)
    for k in range(Xb.shape[0]):
        for j in range(Xb.shape[1]):
            ix = Xb[k, j]
            dC[ix] += demb[k, j]
    grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias]
for name, p, grad in zip(["C", "W1", "b1", "W2", "b2", "bngain", "bnbias"], parameters, grads):
    cmp(f"{name} {tuple(p.shape)}", grad, p)
RESULTS["exercise4_grads"] = dict(CMP)
CMP.clear()

# calibrate the batch norm at the end of training
with torch.no_grad():
    emb = C[Xtr[:EVAL]]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ W1 + b1
    bnmean = hpreact.mean(0, keepdim=True)
    bnvar = hpreact.var(0, keepdim=True, unbiased=True)


@torch.no_grad()  # this decorator disables gradient tracking
def split_loss(split):
    x, y = {
        "train": (Xtr[:EVAL], Ytr[:EVAL]),
        "val": (Xdev, Ydev),
        "test": (Xte, Yte),
    }[split]
    emb = C[x]  # (N, block_size, n_embd)
    embcat = emb.view(emb.shape[0], -1)  # concat into (N, block_size * n_embd)
    hpreact = embcat @ W1 + b1
    hpreact = bngain * (hpreact - bnmean) * (bnvar + 1e-5) ** -0.5 + bnbias
    h = torch.tanh(hpreact)  # (N, n_hidden)
    logits = h @ W2 + b2  # (N, vocab_size)
    loss = F.cross_entropy(logits, y)
    print(split, loss.item())
    return loss.item()


RESULTS["train_loss"] = split_loss("train")
RESULTS["dev_loss"] = split_loss("val")

# sample from the model
g = torch.Generator().manual_seed(2147483647 + 10)
samples = []
for _ in range(20):
    out = []
    context = [0] * block_size
    while True:
        emb = C[torch.tensor([context])]  # (1, block_size, n_embd)
        embcat = emb.view(emb.shape[0], -1)
        hpreact = embcat @ W1 + b1
        hpreact = bngain * (hpreact - bnmean) * (bnvar + 1e-5) ** -0.5 + bnbias
        h = torch.tanh(hpreact)
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
