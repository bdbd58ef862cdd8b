#!/usr/bin/env python3
"""Time the lecture's Exercise 4 training step in PyTorch, on one CPU thread.

The loop is the one of ``tools/lecture.py`` (the lecture's manual
backward pass, no autograd): minibatch, compact forward pass, the hand-written
gradients, SGD. It runs ``--warmup`` steps, then ``--repeats`` timed runs of
``--steps`` steps each, and prints the microseconds per step of every run and
their median (wall clock, and the process's CPU time, which is what to trust on
a busy machine), so that ``tools/benchmark.sh`` can set them beside the C++
numbers.

The lecture routes the gradient of the embedding rows back into ``dC`` with a
Python double loop over the 32 x 3 entries of the batch, and that loop costs
more than everything else in the step together. ``--dC index_add`` replaces it
by the one call ``dC.index_add_(0, Xb.view(-1), demb.view(-1, n_embd))``
(the same sums, in the same order) to show what PyTorch costs without it.

    /usr/bin/python3 tools/bench_pytorch.py --data data/names.txt
"""

import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lecture import SEED, init_parameters, lecture_step, load_splits  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="data/names.txt", help="path to names.txt")
    parser.add_argument("--steps", type=int, default=5000, help="steps per timed run")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs (median reported)")
    parser.add_argument("--warmup", type=int, default=200, help="steps before timing")
    parser.add_argument("--dC", choices=("loop", "index_add"), default="loop",
                        help="how dC is accumulated: the lecture's Python loop (default) or "
                             "one index_add_ call")
    args = parser.parse_args(argv)
    if args.steps < 1 or args.repeats < 1:
        parser.error("--steps and --repeats must be at least 1")

    torch.set_num_threads(1)
    _, (Xtr, Ytr), _, _ = load_splits(args.data)
    g = torch.Generator().manual_seed(SEED)
    named = init_parameters(g, 27, 200)
    params = [named[k] for k in ("C", "W1", "b1", "W2", "b2", "bngain", "bnbias")]
    n = 32
    index_add = args.dC == "index_add"
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread; n_hidden 200, batch {n}, "
          f"{sum(p.nelement() for p in params)} parameters; dC by {args.dC}")
    with torch.no_grad():
        for _ in range(args.warmup):
            lecture_step(params, Xtr, Ytr, g, n, 0.1, index_add)
        wall, cpu = [], []
        for r in range(args.repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.steps):
                _, loss = lecture_step(params, Xtr, Ytr, g, n, 0.1, index_add)
            wall.append(1e6 * (time.perf_counter() - start) / args.steps)
            cpu.append(1e6 * (time.process_time() - start_cpu) / args.steps)
            print(f"repeat {r + 1}: {wall[-1]:8.2f} us/step wall, {cpu[-1]:8.2f} us/step cpu "
                  f"(loss {loss.item():.4f})")
    print(f"median_us_per_step {statistics.median(wall):.3f}")
    print(f"median_cpu_us_per_step {statistics.median(cpu):.3f}")


if __name__ == "__main__":
    main()
