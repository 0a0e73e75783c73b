/// Each ONNX op written as the graph language's expression, with the shape it gives. An
/// attribute the language has no counterpart for is an error naming it.
extension ONNXConverter {
    /// The op types converted, for the error that names an unknown one.
    static let supported = [
        "Abs", "Add", "AveragePool", "BatchNormalization", "Concat", "Constant", "Conv", "Cos", "Div", "Dropout", "Erf",
        "Exp", "Flatten", "Gather", "Gemm", "GlobalAveragePool", "Identity", "LayerNormalization", "LeakyRelu", "Log",
        "LogSoftmax", "MatMul", "MaxPool", "Mul", "Neg", "Pow", "ReduceMean", "ReduceSum", "Relu", "Reshape", "Sigmoid",
        "Sin", "Softmax", "Softplus", "Sqrt", "Sub", "Tanh", "Transpose",
    ]

    static let unary: [String: String] = [
        "Abs": "abs", "Cos": "cos", "Erf": "erf", "Exp": "exp", "Log": "ln", "Relu": "relu", "Sigmoid": "sigmoid",
        "Sin": "sin", "Softplus": "softplus", "Sqrt": "sqrt", "Tanh": "tanh",
    ]
    static let binary: [String: String] = ["Add": "+", "Sub": "-", "Mul": "*", "Div": "/"]

    mutating func convert(_ node: ONNXNode) throws(ONNXError) {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw ONNXError("\(describe(node)): ops of the domain \(ONNXNames.shown(node.domain)) are not mapped; gradstep maps the standard ONNX ops")
        }
        guard let output = node.output.first, !output.isEmpty else {
            throw ONNXError("\(describe(node)): the node has no output")
        }
        let attributes = ONNXAttributes(node: node, context: describe(node))
        if node.opType == "Constant" {
            try attributes.only(["value", "value_float", "value_floats", "value_int", "value_ints"])
            let tensor = try attributes.constant()
            values[output] = Value(name: "", shape: tensor.shape, tensor: tensor, onnxName: "#constant " + output)
            return
        }
        let (expression, shape) = try expression(node, attributes)
        for extra in node.output.dropFirst() where !extra.isEmpty {
            // A second output (Dropout's mask, MaxPool's indices, BatchNormalization's running
            // statistics in training) is not computed: a node reading it is an error.
            values[extra] = nil
        }
        guard shape.count <= 4 else {
            throw ONNXError("\(describe(node)): it gives a tensor of rank \(shape.count); gradstep's tensors have rank 0 to 4")
        }
        let path = node.name.split(separator: "/", omittingEmptySubsequences: true)
        let module = path.count >= 2 ? path.dropLast().joined(separator: "_") : nil
        let base = outputNames.contains(output) ? output : (node.name.isEmpty ? output : node.name)
        let name = names.make(base, fallback: node.opType.lowercased())
        values[output] = Value(name: name, shape: shape, tensor: nil, onnxName: output)
        statements.append((module, "\(name) = \(expression)"))
    }

    private mutating func expression(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        let op = node.opType
        if let f = Self.unary[op] {
            try a.only([])
            let x = try operand(node, 0)
            return ("\(f)(\(x.name))", x.shape)
        }
        if let symbol = Self.binary[op] {
            try a.only([])
            let x = try operand(node, 0), y = try operand(node, 1)
            return ("\(x.name) \(symbol) \(y.name)", try broadcast(x.shape, y.shape, node))
        }
        switch op {
        case "Neg":
            try a.only([])
            let x = try operand(node, 0)
            return ("-\(x.name)", x.shape)
        case "Pow":
            try a.only([])
            let x = try operand(node, 0), y = try operand(node, 1)
            return ("pow(\(x.name), \(y.name))", try broadcast(x.shape, y.shape, node))
        case "LeakyRelu":
            try a.only(["alpha"])
            let x = try operand(node, 0)
            return ("leaky_relu(\(x.name), \(Self.number(try a.float("alpha", 0.01))))", x.shape)
        case "Identity":
            try a.only([])
            let x = try operand(node, 0)
            return (x.name, x.shape)
        case "Dropout":
            try a.only(["seed"])
            if node.input.count > 2, !node.input[2].isEmpty {
                let training = try staticTensor(node, 2, what: "training_mode")
                if training.values.first ?? 0 != 0 {
                    throw ONNXError("\(describe(node)): training_mode is true; gradstep reads Dropout as in inference (the identity); write dropout(h, p, seed) in the converted file for training")
                }
            }
            let x = try operand(node, 0)
            return (x.name, x.shape)
        case "MatMul":
            try a.only([])
            let x = try operand(node, 0), y = try operand(node, 1)
            return ("\(x.name) @ \(y.name)", try matmulShape(x.shape, y.shape, node))
        case "Gemm": return try gemm(node, a)
        case "Softmax", "LogSoftmax":
            try a.only(["axis"])
            let x = try operand(node, 0)
            let axis = try normalized(try a.int("axis", opset >= 13 ? -1 : 1), rank: x.shape.count, node, "axis")
            guard x.shape.count <= 1 || (x.shape.count == 2 && axis == 1) else {
                throw ONNXError("\(describe(node)): attribute axis = \(axis) on a tensor of rank \(x.shape.count) is not supported; gradstep's \(op == "Softmax" ? "softmax" : "log_softmax") takes a vector or each row of a matrix")
            }
            return ("\(op == "Softmax" ? "softmax" : "log_softmax")(\(x.name))", x.shape)
        case "Conv": return try convolution(node, a)
        case "MaxPool", "AveragePool": return try pooling(node, a)
        case "GlobalAveragePool":
            try a.only([])
            let x = try operand(node, 0)
            guard x.shape.count == 3 || x.shape.count == 4 else {
                throw ONNXError("\(describe(node)): it needs a tensor (N, C, L) or (N, C, H, W), got rank \(x.shape.count)")
            }
            var text = x.name
            for axis in stride(from: x.shape.count - 1, through: 2, by: -1) { text = "mean(\(text), axis=\(axis), keepdim=true)" }
            return (text, Array(x.shape.prefix(2)) + Array(repeating: 1, count: x.shape.count - 2))
        case "BatchNormalization": return try batchNormalization(node, a)
        case "LayerNormalization": return try layerNormalization(node, a)
        case "Flatten":
            try a.only(["axis"])
            let x = try operand(node, 0)
            let axis = try normalized(try a.int("axis", 1), rank: x.shape.count + 1, node, "axis")
            let shape = [x.shape.prefix(axis).reduce(1, *), x.shape.dropFirst(axis).reduce(1, *)]
            return ("reshape(\(x.name), \(Self.list(shape)))", shape)
        case "Reshape": return try reshape(node, a)
        case "Transpose":
            try a.only(["perm"])
            let x = try operand(node, 0)
            let perm = try a.ints("perm") ?? Array((0..<x.shape.count).reversed())
            if perm == Array(0..<x.shape.count) { return (x.name, x.shape) }
            guard x.shape.count == 2 else {
                throw ONNXError("\(describe(node)): attribute perm = \(perm) on a tensor of rank \(x.shape.count) is not supported; gradstep transposes matrices")
            }
            return ("transpose(\(x.name))", [x.shape[1], x.shape[0]])
        case "Concat":
            try a.only(["axis"])
            var operands: [Value] = []
            for k in node.input.indices { operands.append(try operand(node, k)) }
            guard var shape = operands.first?.shape else { throw ONNXError("\(describe(node)): it has no inputs") }
            let axis = try normalized(try a.int("axis", 0), rank: shape.count, node, "axis")
            var text = operands[0].name
            for other in operands.dropFirst() {
                guard other.shape.count == shape.count, (0..<shape.count).allSatisfy({ $0 == axis || other.shape[$0] == shape[$0] }) else {
                    throw ONNXError("\(describe(node)): its inputs of shapes \(shape) and \(other.shape) do not join along axis \(axis)")
                }
                text = "concat(\(text), \(other.name), axis=\(axis))"
                shape[axis] += other.shape[axis]
            }
            return (text, shape)
        case "ReduceMean", "ReduceSum": return try reduction(node, a)
        case "Gather": return try gather(node, a)
        default:
            throw ONNXError("\(describe(node)): the op type \(ONNXNames.shown(op).dropFirst().dropLast()) is not supported (`gradstep convert --help` lists the ops gradstep maps)")
        }
    }

    // MARK: - Shapes

    func normalized(_ axis: Int, rank: Int, _ node: ONNXNode, _ name: String) throws(ONNXError) -> Int {
        let k = axis < 0 ? axis + max(rank, 1) : axis
        guard k >= 0, k < max(rank, 1) else {
            throw ONNXError("\(describe(node)): attribute \(name) = \(axis) is outside a tensor of rank \(rank)")
        }
        return k
    }

    func broadcast(_ a: [Int], _ b: [Int], _ node: ONNXNode) throws(ONNXError) -> [Int] {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a, pb = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else {
                throw ONNXError("\(describe(node)): its inputs of shapes \(a) and \(b) do not broadcast together")
            }
            out.append(max(x, y))
        }
        return out
    }

    func matmulShape(_ a: [Int], _ b: [Int], _ node: ONNXNode) throws(ONNXError) -> [Int] {
        guard (1...2).contains(a.count), (1...2).contains(b.count) else {
            throw ONNXError("\(describe(node)): a product of tensors of ranks \(a.count) and \(b.count) is not supported; gradstep multiplies vectors and matrices (no batched MatMul)")
        }
        let k1 = a.last!, k2 = b.count == 2 ? b[0] : b[0]
        guard k1 == k2 else { throw ONNXError("\(describe(node)): shapes \(a) and \(b) do not multiply") }
        return (a.count == 2 ? [a[0]] : []) + (b.count == 2 ? [b[1]] : [])
    }
}
