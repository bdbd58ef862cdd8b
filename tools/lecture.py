"""The lecture's data and model in PyTorch: the one copy of its set-up and of its training step,
shared by tools/make_reference.py (the reference data) and the PyTorch benchmarks.

Every function here follows the lecture "makemore part 4: becoming a backprop ninja" line by
line; see make_reference.py for what is computed with it.
"""

import hashlib
import random

import torch
import torch.nn.functional as F

# sha256 of the names.txt of karpathy/makemore that the workbook is built on.
EXPECTED_SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"

SEED = 2147483647      # seed of the torch generator, as in the lecture
SPLIT_SEED = 42        # seed of Python's `random` for the train/dev/test shuffle
BLOCK_SIZE = 3         # context length: how many symbols predict the next one
N_EMBD = 10            # size of one character embedding
BATCH_SIZE = 32
EPS = 1e-5             # BatchNorm epsilon


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

def sha256_of(path):
    """Hex sha256 digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def build_vocab(words):
    """'.' is 0; the sorted distinct characters of the names are 1, 2, ..."""
    chars = sorted(set("".join(words)))
    stoi = {ch: i + 1 for i, ch in enumerate(chars)}
    stoi["."] = 0
    return stoi


def build_dataset(words, stoi):
    """One example per symbol of every name and its terminating '.'.

    X holds the BLOCK_SIZE previous symbol ids (padded with 0 = '.'),
    Y the id of the symbol that follows them.
    """
    xs, ys = [], []
    for w in words:
        context = [0] * BLOCK_SIZE
        for ch in w + ".":
            target = stoi[ch]
            xs.append(context)
            ys.append(target)
            context = context[1:] + [target]
    return torch.tensor(xs), torch.tensor(ys)


def load_splits(data_path):
    """Read names.txt and split it exactly as the lecture does.

    Returns (stoi, (Xtr, Ytr), (Xdev, Ydev), (Xte, Yte)).
    """
    with open(data_path, "r") as f:
        words = f.read().splitlines()
    stoi = build_vocab(words)

    # The split depends on CPython's Mersenne Twister and its shuffle().
    random.seed(SPLIT_SEED)
    random.shuffle(words)
    n1 = int(0.8 * len(words))
    n2 = int(0.9 * len(words))

    train = build_dataset(words[:n1], stoi)
    dev = build_dataset(words[n1:n2], stoi)
    test = build_dataset(words[n2:], stoi)
    return stoi, train, dev, test


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------

def init_parameters(g, vocab_size, n_hidden):
    """Draw the 7 parameters from generator g, in the lecture's order.

    The small random biases (instead of zeros) are on purpose: a zero bias
    or a unit gain can hide a wrong gradient formula.
    """
    fan_in = N_EMBD * BLOCK_SIZE
    C = torch.randn((vocab_size, N_EMBD), generator=g)
    # Kaiming init for tanh: gain 5/3 over sqrt(fan_in).
    W1 = torch.randn((fan_in, n_hidden), generator=g) * (5 / 3) / (fan_in ** 0.5)
    b1 = torch.randn(n_hidden, generator=g) * 0.1
    W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
    b2 = torch.randn(vocab_size, generator=g) * 0.1
    # DEVIATION FROM THE LECTURE: the lecture draws bngain and bnbias without
    # `generator=g`, i.e. from the unseeded global generator. We use g so
    # that the whole setup is reproducible.
    bngain = torch.randn((1, n_hidden), generator=g) * 0.1 + 1.0
    bnbias = torch.randn((1, n_hidden), generator=g) * 0.1

    params = {"C": C, "W1": W1, "b1": b1, "W2": W2, "b2": b2,
              "bngain": bngain, "bnbias": bnbias}
    for p in params.values():
        p.requires_grad = True
    return params


def lecture_step(params, Xtr, Ytr, g, n, lr, index_add=False):
    """One step of the lecture's Exercise 4 loop: a minibatch, the compact forward pass, the
    manual backward pass and the SGD update of `params` (C, W1, b1, W2, b2, bngain, bnbias) in
    place. `dC` is accumulated with the lecture's Python loop unless `index_add`. Returns the
    minibatch indices and the loss. Call it under torch.no_grad()."""
    C, W1, b1, W2, b2, bngain, bnbias = params
    # minibatch
    ix = torch.randint(0, Xtr.shape[0], (n,), generator=g, device=Xtr.device)
    Xb, Yb = Xtr[ix], Ytr[ix]

    # forward pass (compact form)
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmean = hprebn.mean(0, keepdim=True)
    bnvar = hprebn.var(0, keepdim=True, unbiased=True)
    bnvar_inv = (bnvar + EPS) ** -0.5
    bnraw = (hprebn - bnmean) * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yb)

    # manual backward pass
    # cross-entropy: (softmax - one_hot(Yb)) / n
    dlogits = F.softmax(logits, 1)
    dlogits[range(n), Yb] -= 1
    dlogits /= n
    # linear layer 2
    dh = dlogits @ W2.T
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(0)
    # tanh
    dhpreact = (1.0 - h ** 2) * dh
    # batchnorm (scale and shift, then the normalisation in one step)
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnbias = dhpreact.sum(0, keepdim=True)
    dhprebn = bngain * bnvar_inv / n * (
        n * dhpreact - dhpreact.sum(0)
        - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
    # linear layer 1
    dembcat = dhprebn @ W1.T
    dW1 = embcat.T @ dhprebn
    db1 = dhprebn.sum(0)
    # embedding lookup: route each row of demb back to the row of C it came from
    demb = dembcat.view(emb.shape)
    dC = torch.zeros_like(C)
    if index_add:
        dC.index_add_(0, Xb.view(-1), demb.view(-1, C.shape[1]))
    else:  # the lecture's loop, in order: example k, then context position j
        for k in range(Xb.shape[0]):
            for j in range(Xb.shape[1]):
                dC[Xb[k, j]] += demb[k, j]
    grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias]

    # SGD update
    for p, grad in zip(params, grads):
        p.data += -lr * grad
    return ix, loss
