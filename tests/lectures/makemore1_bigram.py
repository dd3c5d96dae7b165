# ruff: noqa: N812, N816, SIM115, UP031, B007  (the lectures' names, open() and % formatting)
"""makemore, part 1: the bigram character model, as a learner types it while following the lecture
(Karpathy, "The spelled-out intro to language modeling: building makemore", 2022).
First by counting, then as a one-layer neural net trained by gradient descent; both sampled.
Written for PyTorch; the acceptance tests run it again with only the import lines changed.
"""

import os

import torch
import torch.nn.functional as F

STEPS = int(os.environ.get("LECTURE_STEPS", "5"))  # full-batch gradient steps (the lecture: 100)
COUNT_LOOP_WORDS = int(os.environ.get("LECTURE_COUNT_WORDS", "1000"))  # words counted bigram by bigram
NLL_WORDS = int(os.environ.get("LECTURE_NLL_WORDS", "3"))  # words scored one bigram at a time
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("NAMES_TXT", os.path.join(HERE, "..", "..", "demos", "data", "names.txt"))

RESULTS = {}

words = open(DATA).read().splitlines()
print(words[:10])
print(len(words), min(len(w) for w in words), max(len(w) for w in words))
RESULTS["num_words"] = len(words)

# --- counting bigrams in a 2-D array ----------------------------------------------------------
N = torch.zeros((27, 27), dtype=torch.int32)

chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}

# the lecture adds 1 to N[ix1, ix2] for each of the 228,146 bigrams; counting them in a dict first
# (as the lecture did before it had N) and adding each count once gives the same N, faster
b = {}
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        bigram = (ch1, ch2)
        b[bigram] = b.get(bigram, 0) + 1
print(sorted(b.items(), key=lambda kv: -kv[1])[:5])

for (ch1, ch2), count in b.items():
    ix1 = stoi[ch1]
    ix2 = stoi[ch2]
    N[ix1, ix2] += count

# and the lecture's own loop, one bigram at a time, for the first words
N_first = torch.zeros((27, 27), dtype=torch.int32)
for w in words[:COUNT_LOOP_WORDS]:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        N_first[ix1, ix2] += 1
RESULTS["count_loop_total"] = N_first.sum().item()
RESULTS["count_loop_start_a"] = N_first[0, 1].item()

print(N.dtype, N.shape, N[0, 1].item(), N[1, 0].item())  # '.a' starts 4410 names, 'a.' ends 6640
RESULTS["count_dtype"] = str(N.dtype)
RESULTS["count_start_a"] = N[0, 1].item()
RESULTS["count_a_end"] = N[1, 0].item()
RESULTS["count_total"] = N.sum().item()
RESULTS["count_row0"] = N[0].tolist()

# the first row as probabilities, and one sample from it
p = N[0].float()
p = p / p.sum()
print(p)
g = torch.Generator().manual_seed(2147483647)
ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
print(itos[ix])
RESULTS["first_letter"] = itos[ix]

# a tiny distribution to understand torch.multinomial
g = torch.Generator().manual_seed(2147483647)
p = torch.rand(3, generator=g)
p = p / p.sum()
print(p)
RESULTS["rand3"] = p.tolist()
draws = torch.multinomial(p, num_samples=100, replacement=True, generator=g)
print(draws)
RESULTS["draws100"] = draws.tolist()

# broadcasting: normalise every row at once (and add-one smoothing)
P = (N + 1).float()
print(P.sum(1, keepdim=True).shape, P.sum(1).shape)
RESULTS["row_sums_shape"] = list(P.sum(1, keepdim=True).shape)
P /= P.sum(1, keepdims=True)
RESULTS["P_row0_sum"] = P[0].sum().item()

g = torch.Generator().manual_seed(2147483647)
count_names = []
for i in range(5):
    out = []
    ix = 0
    while True:
        p = P[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print("".join(out))
    count_names.append("".join(out))
RESULTS["count_samples"] = count_names

# --- the quality of the model: the average negative log likelihood ----------------------------
# first bigram by bigram over a few words, printing each (the lecture loops over them all)
log_likelihood = 0.0
n = 0
for w in words[:NLL_WORDS]:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        prob = P[ix1, ix2]
        logprob = torch.log(prob)
        log_likelihood += logprob
        n += 1
        print(f"{ch1}{ch2}: {prob:.4f} {logprob:.4f}")

print(f"{log_likelihood=}")
nll = -log_likelihood
print(f"{nll=}")
print(f"{nll / n}")
RESULTS["few_words_log_likelihood"] = log_likelihood.item()
RESULTS["few_words_nll"] = (nll / n).item()

# --- the same model as a neural net --------------------------------------------------------
# the first word's bigrams, one example at a time
xs, ys = [], []
for w in words[:1]:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        print(ch1, ch2)
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
print(xs, ys)
RESULTS["emma_xs"] = xs.tolist()
RESULTS["emma_ys"] = ys.tolist()

xenc = F.one_hot(xs, num_classes=27).float()
print(xenc.shape, xenc.dtype)
RESULTS["xenc_dtype"] = str(xenc.dtype)
RESULTS["xenc_shape"] = list(xenc.shape)

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g)
logits = xenc @ W  # log-counts
counts = logits.exp()  # like N
probs = counts / counts.sum(1, keepdims=True)  # these two lines: a softmax
print(probs.shape, probs[0].sum())
RESULTS["W_first"] = W[0, :5].tolist()

nlls = torch.zeros(5)
for i in range(5):
    x = xs[i].item()
    y = ys[i].item()
    print("--------")
    print(f"bigram example {i + 1}: {itos[x]}{itos[y]} (indexes {x},{y})")
    print("output probabilities from the neural net:", probs[i])
    p = probs[i, y]
    print("probability assigned by the net to the correct character:", p.item())
    logp = torch.log(p)
    print("log likelihood:", logp.item())
    nll = -logp
    print("negative log likelihood:", nll.item())
    nlls[i] = nll
print("=========")
print("average negative log likelihood, i.e. loss =", nlls.mean().item())
RESULTS["emma_nlls"] = nlls.tolist()
RESULTS["emma_loss"] = nlls.mean().item()

# one step of optimisation on those five examples
g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)
emma_steps = []
for k in range(3):
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    loss = -probs[torch.arange(5), ys].log().mean()
    print(loss.item())
    emma_steps.append(loss.item())
    W.grad = None
    loss.backward()
    W.data += -0.1 * W.grad
RESULTS["emma_step_losses"] = emma_steps

# now the whole data set
xs, ys = [], []
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        xs.append(ix1)
        ys.append(ix2)
xs = torch.tensor(xs)
ys = torch.tensor(ys)
num = xs.nelement()
print("number of examples: ", num)
RESULTS["num_examples"] = num

# the counting model's loss over the whole training set, all bigrams at once
count_nll = -P[xs, ys].log().mean()
print(f"{count_nll=}")
RESULTS["count_nll"] = count_nll.item()

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)

losses = []
for k in range(STEPS):
    # forward pass
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W**2).mean()
    print(k, loss.item())
    losses.append(loss.item())

    # backward pass
    W.grad = None
    loss.backward()

    # update
    W.data += -50 * W.grad
RESULTS["losses"] = losses

# sample from the neural net, as from the counts before
g = torch.Generator().manual_seed(2147483647)
net_names = []
for i in range(5):
    out = []
    ix = 0
    while True:
        xenc = F.one_hot(torch.tensor([ix]), num_classes=27).float()
        logits = xenc @ W
        counts = logits.exp()
        p = counts / counts.sum(1, keepdims=True)
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print("".join(out))
    net_names.append("".join(out))
RESULTS["samples"] = net_names
