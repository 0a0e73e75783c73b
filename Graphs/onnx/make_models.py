#!/usr/bin/env python3
"""Writes the small ONNX models gradstep's ONNX import is tested on, with the `onnx` package.

    python3 Graphs/onnx/make_models.py DIR            every model into DIR
    python3 Graphs/onnx/make_models.py --example DIR  only small-cnn.onnx (the Graphs/ example)
    python3 Graphs/onnx/make_models.py --run MODEL INPUTS.json
        runs MODEL with onnxruntime on the inputs (name -> nested list) and prints its outputs
        as JSON (name -> flat list), with the gradient of the sum of the first output with
        respect to every float64 initializer by central differences through onnxruntime
        ("grad:NAME" -> flat list): the oracle gradstep is compared with.
    python3 Graphs/onnx/make_models.py --oracle DIR REQUESTS.json
        every model into DIR, then the answer of `--run` for each request of REQUESTS.json
        (a list of {"model": PATH, "inputs": {name -> nested list}}), printed as one JSON
        list, an answer per request in order: the tests' oracle in one process, since
        importing onnx and onnxruntime costs most of a second each time.

Node names follow what torch.onnx.export writes (`/conv1/Conv`), so the module paths become
gradstep's groups. Weights are drawn from a seeded generator: the files are the same each run.
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def _init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def _model(nodes, inputs, outputs, initializers, name):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="gradstep make_models.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def mlp():
    """A float64 MLP 4 -> 3 -> 2 in PyTorch's export style: Gemm (transB), Relu, Gemm, LogSoftmax."""
    rng = np.random.default_rng(1)
    D = TensorProto.DOUBLE
    inits = [
        _init("fc1.weight", rng.normal(size=(3, 4))), _init("fc1.bias", rng.normal(size=3)),
        _init("fc2.weight", rng.normal(size=(2, 3))), _init("fc2.bias", rng.normal(size=2)),
    ]
    nodes = [
        helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["/fc1/Gemm_output_0"], name="/fc1/Gemm", transB=1),
        helper.make_node("Relu", ["/fc1/Gemm_output_0"], ["/act/Relu_output_0"], name="/act/Relu"),
        helper.make_node("Gemm", ["/act/Relu_output_0", "fc2.weight", "fc2.bias"], ["/fc2/Gemm_output_0"],
                         name="/fc2/Gemm", transB=1),
        helper.make_node("LogSoftmax", ["/fc2/Gemm_output_0"], ["logp"], name="/LogSoftmax", axis=-1),
    ]
    return _model(nodes, [helper.make_tensor_value_info("x", D, [2, 4])],
                  [helper.make_tensor_value_info("logp", D, [2, 2])], inits, "mlp")


def elementwise():
    """float64 arithmetic and functions: Add, Sub, Mul, Div, Pow, Neg, Exp, Log, Sqrt, Sigmoid,
    Tanh, Softmax, LeakyRelu, Identity, Dropout (inference), Constant, MatMul, Transpose, ReduceSum."""
    rng = np.random.default_rng(2)
    D = TensorProto.DOUBLE
    inits = [_init("w", rng.uniform(0.5, 1.5, size=(3, 3))), _init("c", rng.uniform(0.5, 2.0, size=3)),
             _init("axes", np.array([1], dtype=np.int64))]
    two = helper.make_tensor("two", D, [], [2.0])
    nodes = [
        helper.make_node("Constant", [], ["k"], name="/k/Constant", value=two),
        helper.make_node("MatMul", ["x", "w"], ["m"], name="/mix/MatMul"),
        helper.make_node("Add", ["m", "c"], ["a"], name="/mix/Add"),
        helper.make_node("Sigmoid", ["a"], ["s"], name="/f/Sigmoid"),
        helper.make_node("Tanh", ["a"], ["t"], name="/f/Tanh"),
        helper.make_node("Softmax", ["a"], ["sm"], name="/f/Softmax", axis=-1),
        helper.make_node("Mul", ["s", "t"], ["st0"], name="/f/Mul"),
        helper.make_node("Add", ["st0", "sm"], ["st"], name="/f/Add"),
        helper.make_node("Exp", ["st"], ["e"], name="/g/Exp"),
        helper.make_node("Log", ["e"], ["l"], name="/g/Log"),
        helper.make_node("Sqrt", ["e"], ["q"], name="/g/Sqrt"),
        helper.make_node("Pow", ["q", "k"], ["p"], name="/g/Pow"),
        helper.make_node("Div", ["p", "c"], ["d"], name="/h/Div"),
        helper.make_node("Sub", ["d", "l"], ["u"], name="/h/Sub"),
        helper.make_node("Neg", ["u"], ["n"], name="/h/Neg"),
        helper.make_node("LeakyRelu", ["n"], ["lr"], name="/h/LeakyRelu", alpha=0.1),
        helper.make_node("Identity", ["lr"], ["i"], name="/h/Identity"),
        helper.make_node("Dropout", ["i"], ["dr"], name="/h/Dropout"),
        helper.make_node("Transpose", ["dr"], ["tr"], name="/h/Transpose", perm=[1, 0]),
        helper.make_node("ReduceSum", ["tr", "axes"], ["y"], name="/out/ReduceSum", keepdims=0),
    ]
    return _model(nodes, [helper.make_tensor_value_info("x", D, [2, 3])],
                  [helper.make_tensor_value_info("y", D, [3])], inits, "elementwise")


def cnn():
    """A CNN as torch.onnx.export writes it: Conv (padding 1), BatchNormalization (inference),
    Relu, MaxPool 2×2, AveragePool, GlobalAveragePool beside Flatten, Concat, Gemm (the logits)."""
    rng = np.random.default_rng(3)
    f = lambda a: np.asarray(a, dtype=np.float32)
    inits = [
        _init("conv1.weight", f(rng.normal(scale=0.5, size=(2, 1, 3, 3)))), _init("conv1.bias", f(rng.normal(size=2))),
        _init("bn1.weight", f(rng.uniform(0.5, 1.5, size=2))), _init("bn1.bias", f(rng.normal(size=2))),
        _init("bn1.running_mean", f(rng.normal(size=2))), _init("bn1.running_var", f(rng.uniform(0.5, 2.0, size=2))),
        _init("fc.weight", f(rng.normal(scale=0.5, size=(3, 10)))), _init("fc.bias", f(rng.normal(size=3))),
    ]
    nodes = [
        helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"], ["/conv1/Conv_output_0"], name="/conv1/Conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1], dilations=[1, 1], group=1),
        helper.make_node("BatchNormalization", ["/conv1/Conv_output_0", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                                "bn1.running_var"], ["/bn1/BatchNormalization_output_0"],
                         name="/bn1/BatchNormalization", epsilon=1e-5, momentum=0.9),
        helper.make_node("Relu", ["/bn1/BatchNormalization_output_0"], ["/relu/Relu_output_0"], name="/relu/Relu"),
        helper.make_node("MaxPool", ["/relu/Relu_output_0"], ["/pool/MaxPool_output_0"], name="/pool/MaxPool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("AveragePool", ["/pool/MaxPool_output_0"], ["/avg/AveragePool_output_0"], name="/avg/AveragePool",
                         kernel_shape=[2, 2], strides=[1, 1]),
        helper.make_node("Flatten", ["/avg/AveragePool_output_0"], ["/flatten/Flatten_output_0"], name="/flatten/Flatten", axis=1),
        helper.make_node("GlobalAveragePool", ["/pool/MaxPool_output_0"], ["/gap/GlobalAveragePool_output_0"],
                         name="/gap/GlobalAveragePool"),
        helper.make_node("Flatten", ["/gap/GlobalAveragePool_output_0"], ["/gap/Flatten_output_0"], name="/gap/Flatten", axis=1),
        helper.make_node("Concat", ["/flatten/Flatten_output_0", "/gap/Flatten_output_0"], ["/cat/Concat_output_0"],
                         name="/cat/Concat", axis=1),
        helper.make_node("Gemm", ["/cat/Concat_output_0", "fc.weight", "fc.bias"], ["logits"], name="/fc/Gemm",
                         alpha=1.0, beta=1.0, transB=1),
    ]
    F = TensorProto.FLOAT
    return _model(nodes, [helper.make_tensor_value_info("input", F, [1, 1, 6, 6])],
                  [helper.make_tensor_value_info("logits", F, [1, 3])], inits, "small-cnn")


def layers():
    """float64 LayerNormalization, ReduceMean (axes attribute, keepdims), Reshape, Gather of
    integer indices (an embedding lookup)."""
    rng = np.random.default_rng(4)
    D = TensorProto.DOUBLE
    inits = [
        _init("emb.weight", rng.normal(size=(5, 4))), _init("ids", np.array([3, 0, 3], dtype=np.int64)),
        _init("ln.weight", rng.uniform(0.5, 1.5, size=4)), _init("ln.bias", rng.normal(size=4)),
        _init("shape", np.array([2, -1], dtype=np.int64)),
    ]
    nodes = [
        helper.make_node("Gather", ["emb.weight", "ids"], ["g"], name="/emb/Gather", axis=0),
        helper.make_node("Add", ["g", "x"], ["h"], name="/emb/Add"),
        helper.make_node("LayerNormalization", ["h", "ln.weight", "ln.bias"], ["n"], name="/ln/LayerNormalization",
                         axis=-1, epsilon=1e-5),
        helper.make_node("Reshape", ["n", "shape"], ["r"], name="/r/Reshape"),
        helper.make_node("ReduceMean", ["r"], ["y"], name="/r/ReduceMean", axes=[1], keepdims=1),
    ]
    return _model(nodes, [helper.make_tensor_value_info("x", D, [3, 4])],
                  [helper.make_tensor_value_info("y", D, [2, 1])], inits, "layers")


def pools():
    """MaxPool and AveragePool with symmetric padding and rectangular kernels and strides,
    AveragePool counting the padding (count_include_pad = 1, as PyTorch exports avg_pool2d).
    float32: onnxruntime has no float64 AveragePool."""
    F = TensorProto.FLOAT
    nodes = [
        helper.make_node("MaxPool", ["x"], ["p"], name="/pool/MaxPool", kernel_shape=[3, 2], strides=[2, 1],
                         pads=[1, 0, 1, 0]),
        helper.make_node("AveragePool", ["p"], ["y"], name="/avg/AveragePool", kernel_shape=[2, 3], strides=[1, 2],
                         pads=[1, 1, 1, 1], count_include_pad=1),
    ]
    return _model(nodes, [helper.make_tensor_value_info("x", F, [1, 1, 5, 6])],
                  [helper.make_tensor_value_info("y", F, [1, 1, 4, 3])], [], "pools")


def unsupported_attribute():
    """A dilated convolution: gradstep's conv2d has no dilation."""
    D = TensorProto.DOUBLE
    inits = [_init("w", np.ones((1, 1, 2, 2)))]
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="/conv/Conv", kernel_shape=[2, 2], dilations=[2, 2])]
    return _model(nodes, [helper.make_tensor_value_info("x", D, [1, 1, 5, 5])],
                  [helper.make_tensor_value_info("y", D, [1, 1, 3, 3])], inits, "unsupported-attribute")


def unsupported_pads():
    """A max pool padded on one side only (asymmetric pads): gradstep pads both sides alike."""
    F = TensorProto.FLOAT
    nodes = [helper.make_node("MaxPool", ["x"], ["y"], name="/pool/MaxPool", kernel_shape=[2, 2], pads=[1, 0, 0, 0])]
    return _model(nodes, [helper.make_tensor_value_info("x", F, [1, 1, 4, 4])],
                  [helper.make_tensor_value_info("y", F, [1, 1, 4, 3])], [], "unsupported-pads")


def unsupported_op():
    """An op gradstep does not map (Einsum), after one it does."""
    D = TensorProto.DOUBLE
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="/act/Relu"),
             helper.make_node("Einsum", ["r"], ["y"], name="/sum/Einsum", equation="ij->")]
    return _model(nodes, [helper.make_tensor_value_info("x", D, [2, 2])],
                  [helper.make_tensor_value_info("y", D, [])], [], "unsupported-op")


MODELS = {"mlp": mlp, "elementwise": elementwise, "small-cnn": cnn, "layers": layers, "pools": pools,
          "unsupported-attribute": unsupported_attribute, "unsupported-pads": unsupported_pads,
          "unsupported-op": unsupported_op}


def run(path, inputs_path):
    with open(inputs_path) as f:
        given = json.load(f)
    print(json.dumps(oracle(onnx.load(path), given)))


def oracle(model, given):
    """onnxruntime's outputs of `model` on `given` and the central-difference gradients of the
    sum of its first output with respect to its float64 initializers (see `--run`)."""
    import onnxruntime as ort
    session_options = ort.SessionOptions()
    session_options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL

    def feeds(m):
        out = {}
        for value in m.graph.input:
            elem = value.type.tensor_type.elem_type
            np_type = np.float64 if elem == TensorProto.DOUBLE else np.float32
            out[value.name] = np.asarray(given[value.name], dtype=np_type)
        return out

    def evaluate(m):
        session = ort.InferenceSession(m.SerializeToString(), session_options, providers=["CPUExecutionProvider"])
        return session.run(None, feeds(m))

    outputs = evaluate(model)
    result = {o.name: np.asarray(v, dtype=np.float64).ravel().tolist() for o, v in zip(model.graph.output, outputs)}
    for k, init in enumerate(model.graph.initializer):
        if init.data_type != TensorProto.DOUBLE:
            continue
        base = numpy_helper.to_array(init).astype(np.float64)
        grad = np.zeros(base.size)
        h = 1e-6
        for i in range(base.size):
            values = []
            for step in (h, -h):
                moved = base.copy().ravel()
                moved[i] += step
                m = onnx.ModelProto()
                m.CopyFrom(model)
                m.graph.initializer[k].CopyFrom(numpy_helper.from_array(moved.reshape(base.shape), init.name))
                values.append(float(np.sum(evaluate(m)[0])))
            grad[i] = (values[0] - values[1]) / (2 * h)
        result["grad:" + init.name] = grad.tolist()
    return result


def write_models(folder):
    for name, make in MODELS.items():
        onnx.save(make(), f"{folder}/{name}.onnx")


def main(argv):
    if len(argv) == 4 and argv[1] == "--run":
        run(argv[2], argv[3])
        return
    if len(argv) == 4 and argv[1] == "--oracle":
        write_models(argv[2])
        with open(argv[3]) as f:
            requests = json.load(f)
        print(json.dumps([oracle(onnx.load(r["model"]), r["inputs"]) for r in requests]))
        return
    if len(argv) == 3 and argv[1] == "--example":
        onnx.save(cnn(), f"{argv[2]}/small-cnn.onnx")
        return
    if len(argv) != 2:
        sys.exit(__doc__)
    write_models(argv[1])


if __name__ == "__main__":
    main(sys.argv)
