"""The tensor table's CNN reference: conv 1->8 3x3 (+ bias) on a batch of 8 one-channel 28x28
images, relu, 2x2 max-pool (stride 2), flatten to (8, 1352), a linear layer to 10 classes,
softmax cross-entropy averaged over the batch; forward and reverse in NumPy on one thread.

Run by GradstepBench (TensorBench.swift) as `python3 tensor_cnn.py DIR`: DIR holds X, W, b, W2,
b2 and T as little-endian float64, written by the bench from one seed. Prints {"seconds":
median seconds of one forward + reverse, "loss": ...} and writes the gradients to DIR/gW, gb,
gW2, gb2. The convolution is im2col and one matrix product each way (the usual NumPy way); a
pooling window's adjoint goes to its first maximum, as PyTorch and gradstep send it.
"""
import os
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from tensor_timing import report

folder = sys.argv[1]
shapes = {"X": (8, 1, 28, 28), "W": (8, 1, 3, 3), "b": (8,), "W2": (1352, 10), "b2": (10,), "T": (8, 10)}
d = {k: np.fromfile(os.path.join(folder, k), dtype="<f8").reshape(s) for k, s in shapes.items()}
X, W, b, W2, b2, T = (d[k] for k in ("X", "W", "b", "W2", "b2", "T"))
n, out = X.shape[0], W.shape[0]
# The images are data: their columns (every 3x3 window, one row per output pixel) are built once.
cols = np.ascontiguousarray(sliding_window_view(X[:, 0], (3, 3), axis=(1, 2))).reshape(n * 26 * 26, 9)


def step():
    a = (cols @ W.reshape(out, 9).T).reshape(n, 26, 26, out).transpose(0, 3, 1, 2) + b[None, :, None, None]
    r = np.maximum(a, 0)
    windows = r.reshape(n, out, 13, 2, 13, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, out, 13, 13, 4)
    first = windows.argmax(axis=-1)  # the first maximum of each window
    pooled = np.take_along_axis(windows, first[..., None], axis=-1)[..., 0]
    f = pooled.reshape(n, -1)
    z = f @ W2 + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -(T * np.log(p)).sum() / n
    dz = (p - T) / n  # each row of T sums to 1
    gW2 = f.T @ dz
    gb2 = dz.sum(axis=0)
    dpool = (dz @ W2.T).reshape(n, out, 13, 13)
    dwin = np.zeros((n, out, 13, 13, 4))
    np.put_along_axis(dwin, first[..., None], dpool[..., None], axis=-1)
    dr = dwin.reshape(n, out, 13, 13, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, out, 26, 26)
    da = dr * (a > 0)  # relu'(0) = 0, as PyTorch and gradstep
    gb = da.sum(axis=(0, 2, 3))
    gW = (da.transpose(1, 0, 2, 3).reshape(out, -1) @ cols).reshape(out, 1, 3, 3)
    return loss, {"gW": gW, "gb": gb, "gW2": gW2, "gb2": gb2}


report(step, folder)
