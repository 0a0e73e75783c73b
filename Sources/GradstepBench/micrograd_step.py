"""Times one optimisation step of micrograd (PyPI `micrograd`) on the network and data of
gradstep's benchmark (GraphBench/ScalarMLP.swift): MLP(2, [16, 16, 1]), ReLU hidden layers,
a linear output, 100 fixed points, mean squared error, plain SGD.

A step is what micrograd must do each iteration: build the graph by running the forward pass,
zero the gradients, backward, update. Prints JSON: {"loss": L0, "seconds_per_step": t}, the
loss at the starting parameters (so the two programs can be seen to compute the same thing)
and the median time of a step.
"""
import json
import math
import time

from micrograd.nn import MLP

POINTS = 100


def point(i):
    x = [2 * math.sin(0.37 * i), 2 * math.cos(0.91 * i)]
    return x, (1.0 if x[0] * x[1] > 0 else -1.0)


def main():
    model = MLP(2, [16, 16, 1])
    for k, p in enumerate(model.parameters()):
        p.data = 0.5 * math.sin(1.3 * k + 0.2)
    data = [point(i) for i in range(POINTS)]

    def step():
        loss = None
        for x, y in data:
            d = model(x) + (-y)
            square = d * d
            loss = square if loss is None else loss + square
        loss = loss * (1 / POINTS)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.01 * p.grad
        return loss.data

    first = step()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    times.sort()
    print(json.dumps({"loss": first, "seconds_per_step": times[len(times) // 2]}))


if __name__ == "__main__":
    main()
