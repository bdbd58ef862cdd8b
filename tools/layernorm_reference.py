"""PyTorch's reference data of chapter 24: the lecture's network with LayerNorm in place of
batchnorm (`hpreact = F.layer_norm(hprebn, (H,), lngain, lnbias)`, eps 1e-5, the biased variance
over the H features of an example). Called by tools/make_reference.py.

``<out>/layernorm/``
    One minibatch of the lecture's Exercise 1 setup, as ``<out>/lecture/`` but with LayerNorm:
    the parameters (lngain and lnbias instead of bngain and bnbias), the batch, the chunked
    forward pass (``lnvar_inv``, ``lnraw`` instead of batchnorm's six lines) and autograd's
    gradients.
``<out>/train_layernorm/``
    The first steps of the Exercise 4 loop with LayerNorm (n_hidden 200), by autograd and SGD:
    the minibatch indices, every step's loss, and the parameters after the last step.

lngain and lnbias are drawn as the lecture draws bngain and bnbias, from the seeded generator
right after b2, ``torch.randn(H) * 0.1 + 1.0`` and ``torch.randn(H) * 0.1``: the same numbers as
bngain's and bnbias's (randn draws by the number of elements), so that every other parameter, and
every minibatch drawn after them, is the lecture's.
"""
import os

import torch
import torch.nn.functional as F

from lecture import BATCH_SIZE, BLOCK_SIZE, EPS, N_EMBD, SEED, init_parameters

MODEL = ("model", "layernorm")


def layernorm_parameters(g, vocab_size, n_hidden):
    """The lecture's parameters with lngain and lnbias (H,) drawn in the place of bngain and
    bnbias (1, H)."""
    params = init_parameters(g, vocab_size, n_hidden)
    gain, bias = params.pop("bngain"), params.pop("bnbias")
    params["lngain"] = gain.detach().reshape(n_hidden).clone().requires_grad_()
    params["lnbias"] = bias.detach().reshape(n_hidden).clone().requires_grad_()
    return params


def make_layernorm_reference(out_dir, Xtr, Ytr, vocab_size, names_sha256, save_batch_reference):
    n_hidden, n = 64, BATCH_SIZE
    g = torch.Generator().manual_seed(SEED)
    params = layernorm_parameters(g, vocab_size, n_hidden)
    ix = torch.randint(0, Xtr.shape[0], (n,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]

    emb = params["C"][Xb]
    embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ params["W1"] + params["b1"]
    # LayerNorm, cut into lines as the lecture cuts batchnorm: statistics over the features.
    lnvar_inv = (hprebn.var(1, keepdim=True, unbiased=False) + EPS) ** -0.5
    lnraw = (hprebn - hprebn.mean(1, keepdim=True)) * lnvar_inv
    hpreact = params["lngain"] * lnraw + params["lnbias"]
    layer_norm = F.layer_norm(hprebn, (n_hidden,), params["lngain"], params["lnbias"], EPS)
    assert torch.allclose(hpreact, layer_norm, atol=1e-6), "the lines are not F.layer_norm"

    intermediates = {"emb": emb, "embcat": embcat, "hprebn": hprebn, "lnvar_inv": lnvar_inv,
                     "lnraw": lnraw, "hpreact": hpreact}
    loss = save_batch_reference(out_dir, params, intermediates, (ix, Xb, Yb), [
        ("torch_version", torch.__version__), MODEL, ("seed", SEED), ("n_embd", N_EMBD),
        ("n_hidden", n_hidden), ("block_size", BLOCK_SIZE), ("batch_size", n),
        ("vocab_size", vocab_size), ("n_train", Xtr.shape[0]),
        ("n_params", sum(p.nelement() for p in params.values())), ("bn_eps", EPS),
        ("names_sha256", names_sha256)])
    return loss


def make_train_layernorm_reference(out_dir, Xtr, Ytr, vocab_size, steps, names_sha256, save):
    """`save(directory, name, tensor)` writes an array; returns the losses."""
    n_hidden, n = 200, BATCH_SIZE
    g = torch.Generator().manual_seed(SEED)
    params = layernorm_parameters(g, vocab_size, n_hidden)
    all_ix = torch.empty((steps, n), dtype=torch.int64)
    all_loss = torch.empty(steps, dtype=torch.float32)
    for i in range(steps):
        lr = 0.1 if i < 100000 else 0.01
        ix = torch.randint(0, Xtr.shape[0], (n,), generator=g)
        emb = params["C"][Xtr[ix]]
        hprebn = emb.view(n, -1) @ params["W1"] + params["b1"]
        hpreact = F.layer_norm(hprebn, (n_hidden,), params["lngain"], params["lnbias"], EPS)
        logits = torch.tanh(hpreact) @ params["W2"] + params["b2"]
        loss = F.cross_entropy(logits, Ytr[ix])
        for p in params.values():
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params.values():
                p -= lr * p.grad
        all_ix[i], all_loss[i] = ix, loss.item()

    os.makedirs(out_dir, exist_ok=True)
    save(out_dir, "ix", all_ix)
    save(out_dir, "loss", all_loss)
    for name, p in params.items():
        save(out_dir, name, p)
    return all_loss
