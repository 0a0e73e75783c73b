"""The tensor table's reference: the MLP 64x784 -> 128 -> 10 (relu, softmax cross-entropy
averaged over the batch), forward and reverse, in NumPy on one thread.

Run by GradstepBench (TensorBench.swift) as `python3 tensor_mlp.py DIR`: DIR holds X, W1, b1,
W2, b2 and T as little-endian float64, written by the bench from one seed, so both sides see
the same numbers. Prints {"seconds": median seconds of one forward + reverse, "loss": ...} and
writes the gradients to DIR/gW1, gb1, gW2, gb2 for the bench to compare with gradstep's.
The bench sets OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 before NumPy loads, as gradstep
runs OpenBLAS on one thread.
"""
import os
import sys

import numpy as np
from tensor_timing import report

folder = sys.argv[1]
shapes = {"X": (64, 784), "W1": (784, 128), "b1": (128,), "W2": (128, 10), "b2": (10,), "T": (64, 10)}
d = {k: np.fromfile(os.path.join(folder, k), dtype="<f8").reshape(s) for k, s in shapes.items()}
X, W1, b1, W2, b2, T = (d[k] for k in ("X", "W1", "b1", "W2", "b2", "T"))
batch = X.shape[0]


def step():
    a1 = X @ W1 + b1
    h = np.maximum(a1, 0)
    z = h @ W2 + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -(T * np.log(p)).sum() / batch
    dz = (p - T) / batch  # each row of T sums to 1
    gW2 = h.T @ dz
    gb2 = dz.sum(axis=0)
    da1 = (dz @ W2.T) * (a1 > 0)  # relu'(0) = 0, as PyTorch and gradstep
    gW1 = X.T @ da1
    gb1 = da1.sum(axis=0)
    return loss, {"gW1": gW1, "gb1": gb1, "gW2": gW2, "gb2": gb2}


report(step, folder)
