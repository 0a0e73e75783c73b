"""The timing both tensor references share (tensor_mlp.py, tensor_cnn.py), as GradstepBench's
Measure.median times gradstep: warm up, size a sample to last >= 20 ms, take the median of 9
samples; then write the gradients to FOLDER and print {"seconds": ..., "loss": ...}.
"""
import json
import os
import time


def report(step, folder):
    loss, grads = step()
    inner = 1
    while True:
        t = time.perf_counter()
        for _ in range(inner):
            step()
        elapsed = time.perf_counter() - t
        if elapsed >= 0.02:
            break
        inner *= max(2, int(0.02 / max(elapsed, 1e-9)))
    samples = []
    for _ in range(9):
        t = time.perf_counter()
        for _ in range(inner):
            step()
        samples.append((time.perf_counter() - t) / inner)
    samples.sort()
    for k, g in grads.items():
        g.astype("<f8").tofile(os.path.join(folder, k))
    print(json.dumps({"seconds": samples[len(samples) // 2], "loss": float(loss)}))
