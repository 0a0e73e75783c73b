/// The ops with several operands or attributes: Gemm, Conv, pooling, the normalisations,
/// Reshape, the reductions and Gather.
extension ONNXConverter {
    mutating func gemm(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        try a.only(["alpha", "beta", "transA", "transB"])
        let x = try operand(node, 0), w = try operand(node, 1)
        let c = node.input.count > 2 && !node.input[2].isEmpty ? try operand(node, 2) : nil
        let alpha = try a.float("alpha", 1), beta = try a.float("beta", 1)
        let transA = try a.int("transA", 0) != 0, transB = try a.int("transB", 0) != 0
        guard x.shape.count == 2, w.shape.count == 2 else {
            throw ONNXError("\(describe(node)): Gemm needs matrices, got shapes \(x.shape) and \(w.shape)")
        }
        let m = transA ? x.shape[1] : x.shape[0], k = transA ? x.shape[0] : x.shape[1]
        let n = transB ? w.shape[0] : w.shape[1], k2 = transB ? w.shape[1] : w.shape[0]
        guard k == k2 else { throw ONNXError("\(describe(node)): shapes \(x.shape) and \(w.shape) do not multiply (transA \(transA ? 1 : 0), transB \(transB ? 1 : 0))") }
        if let c { _ = try broadcast([m, n], c.shape, node) }
        // PyTorch's nn.Linear exports as Gemm with transB = 1: written as linear(x, W, b).
        if !transA, transB, alpha == 1, beta == 1, c == nil || c!.shape == [n] {
            return ("linear(\(x.name), \(w.name)\(c.map { ", " + $0.name } ?? ""))", [m, n])
        }
        var text = "\(transA ? "transpose(\(x.name))" : x.name) @ \(transB ? "transpose(\(w.name))" : w.name)"
        if alpha != 1 { text = "\(Self.number(alpha)) * (\(text))" }
        if let c { text += beta == 1 ? " + \(c.name)" : " + \(Self.number(beta)) * \(c.name)" }
        return (text, [m, n])
    }

    /// The spatial attributes Conv and the pools share, checked to be what the language's
    /// `stride` and `padding` say: one stride, the same padding on every side, no dilation.
    func window(_ node: ONNXNode, _ a: ONNXAttributes, spatial: Int, kernel: [Int]) throws(ONNXError) -> (stride: Int, padding: Int) {
        let autoPad = try a.string("auto_pad", "NOTSET")
        guard autoPad == "NOTSET" || autoPad == "VALID" else {
            throw ONNXError("\(describe(node)): attribute auto_pad = \(autoPad) is not supported; gradstep pads explicitly (pads)")
        }
        if let shape = try a.ints("kernel_shape"), shape != kernel {
            throw ONNXError("\(describe(node)): attribute kernel_shape = \(shape) does not match the weight's \(kernel)")
        }
        let strides = try a.ints("strides") ?? Array(repeating: 1, count: spatial)
        guard strides.count == spatial, Set(strides).count == 1, let stride = strides.first, stride >= 1 else {
            throw ONNXError("\(describe(node)): attribute strides = \(strides) is not supported; gradstep uses one stride for every axis")
        }
        let pads = try a.ints("pads") ?? Array(repeating: 0, count: 2 * spatial)
        guard pads.count == 2 * spatial, Set(pads).count == 1, let padding = pads.first, padding >= 0 else {
            throw ONNXError("\(describe(node)): attribute pads = \(pads) is not supported; gradstep pads every side by the same amount")
        }
        if let dilations = try a.ints("dilations"), dilations.contains(where: { $0 != 1 }) {
            throw ONNXError("\(describe(node)): attribute dilations = \(dilations) is not supported; gradstep's windows are not dilated")
        }
        return (stride, padding)
    }

    mutating func convolution(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        try a.only(["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"])
        let x = try operand(node, 0), w = try operand(node, 1)
        let b = node.input.count > 2 && !node.input[2].isEmpty ? try operand(node, 2) : nil
        guard try a.int("group", 1) == 1 else {
            throw ONNXError("\(describe(node)): attribute group = \(try a.int("group", 1)) is not supported; gradstep's convolutions are not grouped")
        }
        guard x.shape.count == 3 || x.shape.count == 4, w.shape.count == x.shape.count, w.shape[1] == x.shape[1] else {
            throw ONNXError("\(describe(node)): Conv needs x (N, C, …) and a weight (out, C, …) of the same rank, got \(x.shape) and \(w.shape)")
        }
        let spatial = x.shape.count - 2
        let kernel = Array(w.shape.dropFirst(2))
        let (stride, padding) = try window(node, a, spatial: spatial, kernel: kernel)
        var shape = [x.shape[0], w.shape[0]]
        for d in 0..<spatial {
            let size = (x.shape[2 + d] + 2 * padding - kernel[d]) / stride + 1
            guard size >= 1 else { throw ONNXError("\(describe(node)): the kernel \(kernel) does not fit the input \(x.shape)") }
            shape.append(size)
        }
        let f = spatial == 2 ? "conv2d" : "conv1d"
        return ("\(f)(\(x.name), \(w.name)\(b.map { ", " + $0.name } ?? ""), stride=\(stride), padding=\(padding))", shape)
    }

    /// MaxPool and AveragePool as `maxpool2d`/`avgpool2d`: any kernel, strides (ONNX's
    /// default 1) and padding, the same on both sides of an axis (`pads` = [top, left,
    /// bottom, right]). AveragePool must count the padding in the divisor
    /// (`count_include_pad` = 1, as PyTorch exports `avg_pool2d`) when it pads.
    mutating func pooling(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        let isMax = node.opType == "MaxPool"
        try a.only(["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "strides"]
                   + (isMax ? ["storage_order"] : ["count_include_pad"]))
        let x = try operand(node, 0)
        guard x.shape.count == 4 || x.shape.count == 3 else {
            throw ONNXError("\(describe(node)): \(node.opType) needs an image (N, C, H, W) or (C, H, W), got \(x.shape)")
        }
        guard let kernel = try a.ints("kernel_shape"), kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }) else {
            throw ONNXError("\(describe(node)): attribute kernel_shape = \((try? a.ints("kernel_shape")).flatMap { $0 } ?? []) is not supported; gradstep pools 2-D windows of an image")
        }
        guard try a.int("ceil_mode", 0) == 0 else {
            throw ONNXError("\(describe(node)): attribute ceil_mode = 1 is not supported; gradstep's pools round the output size down")
        }
        let autoPad = try a.string("auto_pad", "NOTSET")
        guard autoPad == "NOTSET" || autoPad == "VALID" else {
            throw ONNXError("\(describe(node)): attribute auto_pad = \(autoPad) is not supported; gradstep pads explicitly (pads)")
        }
        if let dilations = try a.ints("dilations"), dilations.contains(where: { $0 != 1 }) {
            throw ONNXError("\(describe(node)): attribute dilations = \(dilations) is not supported; gradstep's windows are not dilated")
        }
        let strides = try a.ints("strides") ?? [1, 1]
        guard strides.count == 2, strides.allSatisfy({ $0 >= 1 }) else {
            throw ONNXError("\(describe(node)): attribute strides = \(strides) is not supported; gradstep pools with a stride ≥ 1 along each of the two axes")
        }
        let pads = try a.ints("pads") ?? [0, 0, 0, 0]
        guard pads.count == 4, pads[0] == pads[2], pads[1] == pads[3], pads.allSatisfy({ $0 >= 0 }) else {
            throw ONNXError("\(describe(node)): attribute pads = \(pads) is not supported; gradstep pads both sides alike")
        }
        let padding = [pads[0], pads[1]]
        if padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1] {
            throw ONNXError("\(describe(node)): attribute pads = \(pads) is more than half the kernel \(kernel); gradstep pads a pool by at most half its window, as PyTorch")
        }
        if !isMax, padding != [0, 0], try a.int("count_include_pad", 0) == 0 {
            throw ONNXError("\(describe(node)): attribute count_include_pad = 0 is not supported; gradstep's avgpool2d divides by the whole window, padding included (count_include_pad = 1)")
        }
        let h = x.shape[x.shape.count - 2], w = x.shape[x.shape.count - 1]
        guard h + 2 * padding[0] >= kernel[0], w + 2 * padding[1] >= kernel[1] else {
            throw ONNXError("\(describe(node)): the window \(kernel) does not fit the input \(x.shape)")
        }
        let shape = Array(x.shape.dropLast(2)) + [(h + 2 * padding[0] - kernel[0]) / strides[0] + 1, (w + 2 * padding[1] - kernel[1]) / strides[1] + 1]
        func pair(_ v: [Int]) -> String { v[0] == v[1] ? "\(v[0])" : "[\(v[0]), \(v[1])]" }
        let extra = padding == [0, 0] ? "" : ", padding=\(pair(padding))"
        return ("\(isMax ? "maxpool2d" : "avgpool2d")(\(x.name), \(pair(kernel)), \(pair(strides))\(extra))", shape)
    }

    mutating func batchNormalization(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        try a.only(["epsilon", "momentum", "training_mode", "spatial"])
        guard try a.int("training_mode", 0) == 0, node.output.filter({ !$0.isEmpty }).count == 1 else {
            throw ONNXError("\(describe(node)): training_mode is set; gradstep reads BatchNormalization as in inference (export the model in eval mode), or write batchnorm(h, gamma, beta) for training")
        }
        let x = try operand(node, 0), scale = try operand(node, 1), bias = try operand(node, 2)
        let mean = try operand(node, 3, asConstant: true), variance = try operand(node, 4, asConstant: true)
        guard (2...4).contains(x.shape.count) else {
            throw ONNXError("\(describe(node)): it needs (N, C), (N, C, L) or (N, C, H, W), got \(x.shape)")
        }
        let eps = Self.number(try a.float("epsilon", 1e-5))
        return ("batchnorm(\(x.name), \(scale.name), \(bias.name), mode=eval, running_mean=\(mean.name), running_var=\(variance.name), eps=\(eps))", x.shape)
    }

    mutating func layerNormalization(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        try a.only(["axis", "epsilon", "stash_type"])
        guard node.output.dropFirst().allSatisfy(\.isEmpty) else {
            throw ONNXError("\(describe(node)): its Mean and InvStdDev outputs are not supported; gradstep computes the normalised value only")
        }
        let x = try operand(node, 0), scale = try operand(node, 1)
        guard try normalized(try a.int("axis", -1), rank: x.shape.count, node, "axis") == x.shape.count - 1 else {
            throw ONNXError("\(describe(node)): attribute axis = \(try a.int("axis", -1)) is not supported; gradstep's layernorm normalises over the last axis")
        }
        let bias: String
        if node.input.count > 2, !node.input[2].isEmpty {
            bias = try operand(node, 2).name
        } else {
            // No bias in the model: the language's layernorm takes one, so a constant 0.
            bias = names.make(node.name + "_no_bias", fallback: "no_bias")
            declarations.append("const \(bias) = \(try Self.literal(StaticTensor(shape: scale.shape, values: Array(repeating: 0, count: scale.shape.reduce(1, *)), isInteger: false), context: describe(node)))")
        }
        return ("layernorm(\(x.name), \(scale.name), \(bias), eps=\(Self.number(try a.float("epsilon", 1e-5))))", x.shape)
    }

    mutating func reshape(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        try a.only(["allowzero"])
        let x = try operand(node, 0)
        let sizes = try staticTensor(node, 1, what: "shape").integers
        let allowZero = try a.int("allowzero", 0) != 0
        var shape = sizes.enumerated().map { k, s in s == 0 && !allowZero && k < x.shape.count ? x.shape[k] : s }
        let total = x.shape.reduce(1, *)
        if let unknown = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            guard known > 0, total % known == 0 else { throw ONNXError("\(describe(node)): \(x.shape) cannot be reshaped to \(sizes)") }
            shape[unknown] = total / known
        }
        guard shape.allSatisfy({ $0 >= 1 }), shape.reduce(1, *) == total else {
            throw ONNXError("\(describe(node)): \(x.shape) cannot be reshaped to \(sizes)")
        }
        if shape == x.shape { return (x.name, shape) }
        return ("reshape(\(x.name), \(Self.list(shape)))", shape)
    }

    mutating func reduction(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        try a.only(["axes", "keepdims", "noop_with_empty_axes"])
        let x = try operand(node, 0)
        let f = node.opType == "ReduceMean" ? "mean" : "sum"
        let keep = try a.int("keepdims", 1) != 0
        var axes = try a.ints("axes") ?? []
        if node.input.count > 1, !node.input[1].isEmpty { axes = try staticTensor(node, 1, what: "axes").integers }
        if axes.isEmpty {
            guard try a.int("noop_with_empty_axes", 0) == 0 else { return (x.name, x.shape) }
            let shape = keep ? Array(repeating: 1, count: x.shape.count) : []
            return (keep && !shape.isEmpty ? "reshape(\(f)(\(x.name)), \(Self.list(shape)))" : "\(f)(\(x.name))", shape)
        }
        var normalizedAxes: [Int] = []
        for axis in axes { normalizedAxes.append(try normalized(axis, rank: x.shape.count, node, "axes")) }
        var text = x.name
        var shape = x.shape
        // Highest axis first, so the lower ones keep their positions when dropped.
        for axis in Set(normalizedAxes).sorted(by: >) {
            text = "\(f)(\(text), axis=\(axis)\(keep ? ", keepdim=true" : ""))"
            if keep { shape[axis] = 1 } else { shape.remove(at: axis) }
        }
        return (text, shape)
    }

    mutating func gather(_ node: ONNXNode, _ a: ONNXAttributes) throws(ONNXError) -> (String, [Int]) {
        try a.only(["axis"])
        let data = try operand(node, 0)
        let indices = try staticTensor(node, 1, what: "indices")
        guard indices.isInteger else { throw ONNXError("\(describe(node)): its indices are not whole numbers") }
        let axis = try normalized(try a.int("axis", 0), rank: data.shape.count, node, "axis")
        guard axis == 0 || (axis == 1 && data.shape.count == 2) else {
            throw ONNXError("\(describe(node)): attribute axis = \(axis) is not supported; gradstep gathers rows, or the columns of a matrix")
        }
        let extent = data.shape[axis]
        var fixed = indices
        fixed.values = try indices.integers.map { (k: Int) throws(ONNXError) -> Double in
            guard k >= -extent, k < extent else { throw ONNXError("\(describe(node)): the index \(k) is outside the axis of \(extent)") }
            return Double(k < 0 ? k + extent : k)
        }
        let index: String
        if fixed.shape.isEmpty {
            index = Self.number(fixed.values[0])
        } else {
            index = names.make(node.name + "_indices", fallback: "indices")
            declarations.append("const \(index) = \(try Self.literal(fixed, context: describe(node)))")
        }
        if axis == 0 {
            return ("\(data.name)[\(index)]", fixed.shape + data.shape.dropFirst())
        }
        return ("\(data.name)[:, \(index)]", [data.shape[0]] + fixed.shape)
    }
}
