#!/usr/bin/env python3
"""The lecture's training loop ("makemore part 4", manual backward) in PyTorch on a CUDA GPU,
eager mode, timed: prints one line `pytorch-gpu: <steps> steps, <us> us/step, last loss <x>`.

Usage: bench_pytorch_gpu.py [--steps N] [--names data/names.txt]
Exits with 0 and a "skipped" line when torch or a CUDA device is missing.
"""
import argparse
import random
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--names", default="data/names.txt")
    ap.add_argument("--warmup", type=int, default=200)
    args = ap.parse_args()
    try:
        import torch
        import torch.nn.functional as F
    except ImportError as e:
        print(f"pytorch-gpu: skipped (import torch failed: {e})")
        return 0
    if not torch.cuda.is_available():
        print("pytorch-gpu: skipped (torch.cuda.is_available() is False)")
        return 0
    dev = torch.device("cuda")

    # The lecture's data set: names.txt shuffled with random.seed(42), the first 80% for training.
    try:
        words = open(args.names).read().splitlines()
    except OSError:
        words = None
    block_size = 3
    if words:
        chars = sorted(set("".join(words)))
        stoi = {s: i + 1 for i, s in enumerate(chars)}
        stoi["."] = 0
        random.seed(42)
        random.shuffle(words)
        X, Y = [], []
        for w in words[: int(0.8 * len(words))]:
            context = [0] * block_size
            for ch in w + ".":
                X.append(context)
                Y.append(stoi[ch])
                context = context[1:] + [stoi[ch]]
        Xtr, Ytr = torch.tensor(X, device=dev), torch.tensor(Y, device=dev)
    else:  # timing does not depend on the data: random contexts of the lecture's size
        g0 = torch.Generator().manual_seed(0)
        Xtr = torch.randint(0, 27, (182625, block_size), generator=g0).to(dev)
        Ytr = torch.randint(0, 27, (182625,), generator=g0).to(dev)

    n_embd, n_hidden, vocab_size, batch_size = 10, 200, 27, 32
    g = torch.Generator(device=dev).manual_seed(2147483647)
    C = torch.randn((vocab_size, n_embd), generator=g, device=dev)
    W1 = torch.randn((n_embd * block_size, n_hidden), generator=g, device=dev) * (5 / 3) / ((n_embd * block_size) ** 0.5)
    b1 = torch.randn(n_hidden, generator=g, device=dev) * 0.1
    W2 = torch.randn((n_hidden, vocab_size), generator=g, device=dev) * 0.1
    b2 = torch.randn(vocab_size, generator=g, device=dev) * 0.1
    bngain = torch.randn((1, n_hidden), generator=g, device=dev) * 0.1 + 1.0
    bnbias = torch.randn((1, n_hidden), generator=g, device=dev) * 0.1
    parameters = [C, W1, b1, W2, b2, bngain, bnbias]
    n = batch_size

    def step(i):
        ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g, device=dev)
        Xb, Yb = Xtr[ix], Ytr[ix]
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
        # the lecture's manual backward (exercise 4)
        dlogits = F.softmax(logits, 1)
        dlogits[range(n), Yb] -= 1
        dlogits /= n
        dh = dlogits @ W2.T
        dW2 = h.T @ dlogits
        db2 = dlogits.sum(0)
        dhpreact = (1.0 - h ** 2) * dh
        dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
        dbnbias = dhpreact.sum(0, keepdim=True)
        dhprebn = bngain * bnvar_inv / n * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
        dembcat = dhprebn @ W1.T
        dW1 = embcat.T @ dhprebn
        db1 = dhprebn.sum(0)
        demb = dembcat.view(emb.shape)
        dC = torch.zeros_like(C)
        dC.index_add_(0, Xb.view(-1), demb.view(-1, n_embd))
        lr = 0.1 if i < 100000 else 0.01
        for p, grad in zip(parameters, [dC, dW1, db1, dW2, db2, dbngain, dbnbias]):
            p.data += -lr * grad
        return loss

    with torch.no_grad():
        for i in range(args.warmup):
            step(i)
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for i in range(args.steps):
            loss = step(i)
        torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
    print(f"pytorch-gpu: {args.steps} steps, {seconds * 1e6 / args.steps:.2f} us/step, last loss {loss.item():.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
