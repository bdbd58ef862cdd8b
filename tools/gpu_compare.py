#!/usr/bin/env python3
"""The GPU's gradients against the CPU's, for tools/gpu-check.sh: DIR holds one folder per
chapter program, each with `cuda/` and `cpu/` as the program's `--dump` wrote them. Every gradient
(`d*.npy`) of the GPU must lie within ATOL + RTOL * |cpu| of the CPU's, element by element: the
bounds of the chained GPU backward's test (tests/test_cuda_kernels.cpp,
the_chained_backward_matches_the_cpu), since a chapter's GPU backward is the chain of its steps.

Prints one line per chapter and a last line with the count; exits 1 when a gradient is missing,
of another shape, or out of bounds, and when no chapter was compared. Standard library only (the
GPU machine's Python may lack numpy).
usage: gpu_compare.py DIR
"""
import ast
import os
import struct
import sys

RTOL, ATOL = 1e-3, 1e-7


def load_npy(path):
    """(shape, values) of a little-endian float32 or float64 .npy file, C order."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{path}: not a .npy file")
    major = data[6]
    size_bytes = 2 if major == 1 else 4
    header_len = int.from_bytes(data[8:8 + size_bytes], "little")
    start = 8 + size_bytes + header_len
    header = ast.literal_eval(data[8 + size_bytes:start].decode("latin1"))
    code = {"<f4": "f", "<f8": "d"}.get(header["descr"])
    if code is None or header["fortran_order"]:
        raise ValueError(f"{path}: {header['descr']}, fortran_order {header['fortran_order']}")
    count = 1
    for n in header["shape"]:
        count *= n
    return header["shape"], struct.unpack_from(f"<{count}{code}", data, start)


def compare_chapter(folder):
    """(worst |gpu - cpu| / bound, its gradient, gradients compared); raises on a mismatch."""
    gpu_dir, cpu_dir = os.path.join(folder, "cuda"), os.path.join(folder, "cpu")
    grads = sorted(f for f in os.listdir(gpu_dir) if f.startswith("d") and f.endswith(".npy"))
    if not grads:
        raise ValueError("no gradient was dumped")
    worst, where = 0.0, ""
    for name in grads:
        gpu_shape, gpu = load_npy(os.path.join(gpu_dir, name))
        cpu_shape, cpu = load_npy(os.path.join(cpu_dir, name))
        if gpu_shape != cpu_shape:
            raise ValueError(f"{name}: shape {gpu_shape} on the GPU, {cpu_shape} on the CPU")
        for g, c in zip(gpu, cpu):
            excess = abs(g - c) / (ATOL + RTOL * abs(c))
            if not excess <= worst:  # NaN counts as the worst
                worst, where = excess, name[:-4]
    return worst, where, len(grads)


def main():
    root = sys.argv[1]
    passed, chapters = 0, sorted(os.listdir(root))
    chapters = [c for c in chapters if os.path.isdir(os.path.join(root, c))]
    for chapter in chapters:
        try:
            worst, where, count = compare_chapter(os.path.join(root, chapter))
        except (OSError, ValueError, struct.error) as e:
            print(f"{chapter}: FAILED: {e}")
            continue
        ok = worst <= 1.0
        passed += ok
        largest = f"{worst:.3g} of the bound ({where})" if where else "0"
        print(f"{chapter}: {count} gradients, largest |gpu - cpu| {largest}"
              f"{'' if ok else ': FAILED'}")
    print(f"{passed} of {len(chapters)} chapters: every GPU gradient within "
          f"{ATOL:g} + {RTOL:g} * |cpu| of the CPU's")
    return 0 if chapters and passed == len(chapters) else 1


if __name__ == "__main__":
    sys.exit(main())
