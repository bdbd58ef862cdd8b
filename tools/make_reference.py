#!/usr/bin/env python3
"""Produce the PyTorch reference data that the C++ workbook is checked against.

The workbook re-derives, in C++, the backward pass of the lecture
"makemore part 4: becoming a backprop ninja". Its tests and chapter programs
need numbers computed by PyTorch itself, so that every hand-written gradient
can be compared with what autograd gets. This script computes them once and
stores them as small ``.npy`` files (plus a ``meta.txt`` of ``key value``
lines) under ``--out`` (default ``tests/reference``):

``<out>/lecture/``
    The lecture's Exercise 1 setup: n_embd = 10, n_hidden = 64, one
    minibatch of 32 examples. Holds the 7 parameters, the minibatch
    (``ix``, ``Xb``, ``Yb``), every named intermediate of the "chunked"
    forward pass (``emb`` ... ``logprobs``, ``loss``), and the autograd
    gradient of the loss with respect to each of them, saved under the same
    name with a ``d`` prefix (``dC``, ``dlogprobs``, ...).

``<out>/train/``
    The first ``--train-steps`` steps (default 300) of the lecture's
    Exercise 4 loop: n_hidden = 200, the compact forward pass, the lecture's
    *manual* backward pass, and plain SGD. Holds the minibatch indices of
    every step (``ix``, shape (steps, 32)), the loss of every step
    (``loss``, shape (steps,)), and the 7 parameters after the last step.

Everything runs on the CPU with one thread and explicitly seeded generators,
so rerunning the script reproduces the files bit for bit on the same PyTorch
build. To regenerate, from the project root:

    /usr/bin/python3 tools/make_reference.py --data /path/to/names.txt

Run ``--help`` for the options. Float tensors are written as float32, index
tensors as int64, all C-contiguous; ``numpy.load`` reads them back.

One deliberate difference from the lecture: the lecture draws ``bngain`` and
``bnbias`` from PyTorch's *unseeded* global generator, which makes its numbers
impossible to reproduce. Here they come from the same seeded generator ``g``
as the other parameters, right after ``b2``.
"""

import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lecture import (  # noqa: E402  the lecture's set-up and step, shared with the benchmarks
    EXPECTED_SHA256,
    SEED,
    BLOCK_SIZE,
    N_EMBD,
    BATCH_SIZE,
    EPS,
    sha256_of,
    load_splits,
    init_parameters,
    lecture_step)
from layernorm_reference import (  # noqa: E402  chapter 24's: LayerNorm in place of batchnorm
    make_layernorm_reference,
    make_train_layernorm_reference)


# --------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------

def save_array(directory, name, tensor):
    """Save a tensor as <directory>/<name>.npy: float32 or int64, C order."""
    a = tensor.detach().cpu().numpy()
    if np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float32)
    elif np.issubdtype(a.dtype, np.integer):
        a = a.astype(np.int64)
    else:
        raise TypeError(f"{name}: unexpected dtype {a.dtype}")
    np.save(os.path.join(directory, name + ".npy"), np.ascontiguousarray(a))


def write_meta(directory, items):
    """Write meta.txt: one `key value` pair per line, no spaces in values."""
    with open(os.path.join(directory, "meta.txt"), "w") as f:
        for key, value in items:
            text = str(value)
            assert " " not in text and "\n" not in text, (key, text)
            f.write(f"{key} {text}\n")


# --------------------------------------------------------------------------
# A. Exercise 1: one minibatch, chunked forward pass, autograd gradients
# --------------------------------------------------------------------------

def make_lecture_reference(out_dir, Xtr, Ytr, vocab_size, names_sha256):
    n_hidden = 64
    g = torch.Generator().manual_seed(SEED)
    params = init_parameters(g, vocab_size, n_hidden)
    C, W1, b1, W2, b2 = (params[k] for k in ("C", "W1", "b1", "W2", "b2"))
    bngain, bnbias = params["bngain"], params["bnbias"]
    n_params = sum(p.nelement() for p in params.values())
    assert n_params == 4137, n_params

    # One minibatch, drawn from the same generator after the parameters.
    n = BATCH_SIZE
    ix = torch.randint(0, Xtr.shape[0], (n,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]

    # The forward pass, cut into small steps so each one can be
    # differentiated by hand.
    emb = C[Xb]                                   # (32, 3, 10)
    embcat = emb.view(emb.shape[0], -1)           # (32, 30)
    # Linear layer 1
    hprebn = embcat @ W1 + b1                     # (32, 64)
    # BatchNorm, with Bessel's correction 1/(n-1) in the variance
    bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
    bndiff = hprebn - bnmeani
    bndiff2 = bndiff ** 2
    bnvar = 1 / (n - 1) * (bndiff2).sum(0, keepdim=True)
    bnvar_inv = (bnvar + EPS) ** -0.5
    bnraw = bndiff * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    intermediates = {
        "emb": emb, "embcat": embcat, "hprebn": hprebn, "bnmeani": bnmeani,
        "bndiff": bndiff, "bndiff2": bndiff2, "bnvar": bnvar,
        "bnvar_inv": bnvar_inv, "bnraw": bnraw, "hpreact": hpreact,
    }
    loss = save_batch_reference(out_dir, params, intermediates, (ix, Xb, Yb), [
        ("torch_version", torch.__version__),
        ("seed", SEED),
        ("n_embd", N_EMBD),
        ("n_hidden", n_hidden),
        ("block_size", BLOCK_SIZE),
        ("batch_size", n),
        ("vocab_size", vocab_size),
        ("n_train", Xtr.shape[0]),
        ("n_params", n_params),
        ("bn_eps", EPS),
        ("names_sha256", names_sha256),
    ])
    return loss, ix


def save_batch_reference(out_dir, params, intermediates, batch, meta):
    """The rest of the chunked forward pass after `hpreact` (tanh, the second linear layer, the
    cross-entropy written out), autograd's gradient of the loss with respect to every parameter
    and intermediate, all saved into `out_dir` with `meta` (and the loss); returns the loss."""
    ix, Xb, Yb = batch
    n = Yb.shape[0]
    h = torch.tanh(intermediates["hpreact"])
    logits = h @ params["W2"] + params["b2"]
    # Cross-entropy, written out: softmax, log, pick the targets, mean.
    logit_maxes = logits.max(1, keepdim=True).values
    norm_logits = logits - logit_maxes            # for numerical safety
    counts = norm_logits.exp()
    counts_sum = counts.sum(1, keepdims=True)
    counts_sum_inv = counts_sum ** -1
    probs = counts * counts_sum_inv
    logprobs = probs.log()
    loss = -logprobs[range(n), Yb].mean()
    intermediates = dict(intermediates, h=h, logits=logits, logit_maxes=logit_maxes,
                         norm_logits=norm_logits, counts=counts, counts_sum=counts_sum,
                         counts_sum_inv=counts_sum_inv, probs=probs, logprobs=logprobs)
    for t in intermediates.values():
        t.retain_grad()
    loss.backward()

    os.makedirs(out_dir, exist_ok=True)
    for name, t in params.items():
        save_array(out_dir, name, t)
    save_array(out_dir, "ix", ix)
    save_array(out_dir, "Xb", Xb)
    save_array(out_dir, "Yb", Yb)
    for name, t in intermediates.items():
        save_array(out_dir, name, t)
    save_array(out_dir, "loss", loss.reshape(1))   # shape (1,), not 0-d
    for name, t in list(params.items()) + list(intermediates.items()):
        assert t.grad is not None, name
        save_array(out_dir, "d" + name, t.grad)
    write_meta(out_dir, meta + [("loss", repr(loss.item()))])
    return loss.item()


def make_train_reference(out_dir, Xtr, Ytr, vocab_size, steps, names_sha256):
    n_hidden = 200
    g = torch.Generator().manual_seed(SEED)
    params = init_parameters(g, vocab_size, n_hidden)
    C, W1, b1, W2, b2 = (params[k] for k in ("C", "W1", "b1", "W2", "b2"))
    bngain, bnbias = params["bngain"], params["bnbias"]
    parameters = [C, W1, b1, W2, b2, bngain, bnbias]
    n_params = sum(p.nelement() for p in parameters)
    assert n_params == 12297, n_params

    n = BATCH_SIZE
    all_ix = torch.empty((steps, n), dtype=torch.int64)
    all_loss = torch.empty(steps, dtype=torch.float32)

    # No autograd at all: every gradient is computed by hand in lecture_step().
    with torch.no_grad():
        for i in range(steps):
            lr = 0.1 if i < 100000 else 0.01
            all_ix[i], loss = lecture_step(parameters, Xtr, Ytr, g, n, lr)
            all_loss[i] = loss.item()

    os.makedirs(out_dir, exist_ok=True)
    save_array(out_dir, "ix", all_ix)
    save_array(out_dir, "loss", all_loss)
    for name, p in params.items():
        save_array(out_dir, name, p)
    write_training_meta(out_dir, vocab_size, steps, n_params, all_loss, names_sha256)
    return all_ix, all_loss


def write_training_meta(out_dir, vocab_size, steps, n_params, losses, names_sha256, more=()):
    """meta.txt of a training reference (n_hidden 200, the lecture's schedule)."""
    write_meta(out_dir, [
        ("torch_version", torch.__version__),
        ("seed", SEED),
        ("steps", steps),
        ("n_embd", N_EMBD),
        ("n_hidden", 200),
        ("block_size", BLOCK_SIZE),
        ("batch_size", BATCH_SIZE),
        ("vocab_size", vocab_size),
        ("n_params", n_params),
        ("lr", 0.1),
        ("lr_decay_step", 100000),
        ("lr_after_decay", 0.01),
        ("final_loss", repr(losses[-1].item())),
        ("names_sha256", names_sha256),
    ] + list(more))


# --------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Write the PyTorch reference data (.npy files and "
                    "meta.txt) that the C++ backprop workbook is tested "
                    "against.")
    parser.add_argument("--data", default="data/names.txt",
                        help="path to names.txt (default: %(default)s)")
    parser.add_argument("--out", default="tests/reference",
                        help="output directory; 'lecture/' and 'train/' "
                             "are created inside it (default: %(default)s)")
    parser.add_argument("--train-steps", type=int, default=300,
                        help="steps of the Exercise 4 training run to "
                             "record (default: %(default)s)")
    parser.add_argument("--only", choices=("batchnorm", "layernorm"),
                        help="write the lecture's folders (lecture/, train/) or chapter 24's "
                             "(layernorm/, train_layernorm/) only (default: all four)")
    args = parser.parse_args(argv)
    if args.train_steps < 1:
        parser.error("--train-steps must be at least 1")

    start = time.perf_counter()
    torch.set_num_threads(1)

    names_sha256 = sha256_of(args.data)
    if names_sha256 != EXPECTED_SHA256:
        print(f"WARNING: {args.data} has sha256 {names_sha256}, expected "
              f"{EXPECTED_SHA256}; the reference data will not match the "
              f"lecture's numbers.", file=sys.stderr)

    stoi, (Xtr, Ytr), (Xdev, Ydev), (Xte, Yte) = load_splits(args.data)
    vocab_size = len(stoi)
    print(f"examples: train {Xtr.shape[0]}, dev {Xdev.shape[0]}, "
          f"test {Xte.shape[0]}; vocab_size {vocab_size}")
    assert vocab_size == 27, vocab_size
    assert Xtr.shape == (182625, BLOCK_SIZE), Xtr.shape
    assert Xdev.shape[0] == 22655, Xdev.shape
    assert Xte.shape[0] == 22866, Xte.shape

    if args.only != "layernorm":
        loss, ix = make_lecture_reference(
            os.path.join(args.out, "lecture"), Xtr, Ytr, vocab_size, names_sha256)
        print(f"lecture (n_hidden 64): loss {loss!r}; first minibatch {ix[:8].tolist()}")
        _, train_loss = make_train_reference(
            os.path.join(args.out, "train"), Xtr, Ytr, vocab_size,
            args.train_steps, names_sha256)
        print(f"train (n_hidden 200, {args.train_steps} steps): loss at step 0 "
              f"{train_loss[0].item()!r}, last step {train_loss[-1].item()!r}")
    if args.only != "batchnorm":
        loss = make_layernorm_reference(os.path.join(args.out, "layernorm"), Xtr, Ytr,
                                        vocab_size, names_sha256, save_batch_reference)
        print(f"layernorm (n_hidden 64): loss {loss!r}")
        out = os.path.join(args.out, "train_layernorm")
        losses = make_train_layernorm_reference(out, Xtr, Ytr, vocab_size, args.train_steps,
                                                names_sha256, save_array)
        write_training_meta(out, vocab_size, args.train_steps, 12297, losses, names_sha256,
                            [("model", "layernorm")])
        print(f"train_layernorm ({args.train_steps} steps): last step {losses[-1].item()!r}")

    print(f"done in {time.perf_counter() - start:.1f} s; wrote {args.out}")


if __name__ == "__main__":
    main()
