#!/usr/bin/env python3
"""The lecture's training loop ("makemore part 4", manual backward) in PyTorch on a CUDA GPU,
eager mode, timed: `--repeats` runs of `--steps` steps, one line each
(`pytorch-gpu: <steps> steps, <us> us/step, last loss <x>`), then `median_us_per_step <us>`.

Usage: bench_pytorch_gpu.py [--steps N] [--repeats R] [--names data/names.txt]
Exits with 0 and a "skipped" line (and no median) when torch or a CUDA device is missing. The step is
lecture.py's lecture_step(), with dC accumulated by one index_add_ (the lecture's Python
loop over dC would time the interpreter, not the GPU).
"""
import argparse
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--names", default="data/names.txt")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    try:
        import torch
    except ImportError as e:
        print(f"pytorch-gpu: skipped (import torch failed: {e})")
        return 0
    if not torch.cuda.is_available():
        print("pytorch-gpu: skipped (torch.cuda.is_available() is False)")
        return 0
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from lecture import SEED, init_parameters, lecture_step, load_splits
    dev = torch.device("cuda")

    if os.path.exists(args.names):
        _, (Xtr, Ytr), _, _ = load_splits(args.names)
    else:  # the timing does not depend on the data: random contexts of the lecture's size
        g0 = torch.Generator().manual_seed(0)
        Xtr = torch.randint(0, 27, (182625, 3), generator=g0)
        Ytr = torch.randint(0, 27, (182625,), generator=g0)
    Xtr, Ytr = Xtr.to(dev), Ytr.to(dev)
    named = init_parameters(torch.Generator().manual_seed(SEED), 27, 200)
    params = [named[k].detach().to(dev) for k in ("C", "W1", "b1", "W2", "b2", "bngain", "bnbias")]
    g = torch.Generator(device=dev).manual_seed(SEED)

    def step(i):
        lr = 0.1 if i < 100000 else 0.01
        return lecture_step(params, Xtr, Ytr, g, 32, lr, index_add=True)[1]

    us = []
    with torch.no_grad():
        for i in range(args.warmup):
            step(i)
        for _ in range(args.repeats):
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            for i in range(args.steps):
                loss = step(i)
            torch.cuda.synchronize()
            us.append((time.perf_counter() - t0) * 1e6 / args.steps)
            print(f"pytorch-gpu: {args.steps} steps, {us[-1]:.2f} us/step, "
                  f"last loss {loss.item():.4f}")
    print(f"median_us_per_step {statistics.median(us):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
