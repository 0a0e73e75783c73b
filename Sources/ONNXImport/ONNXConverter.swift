/// Walks an ONNX graph in its (topological) node order and writes one statement per node,
/// keeping each value's gradstep name and shape, and the numbers of the values the file holds.
struct ONNXConverter {
    /// A value of the ONNX graph, as the program names it.
    struct Value {
        /// Its identifier in the program; empty until a static tensor is first used as an operand.
        var name: String
        var shape: [Int]
        /// The numbers, for an initializer or a Constant's output.
        var tensor: StaticTensor?
        /// The ONNX name, for messages.
        var onnxName: String
    }

    let graph: ONNXGraph
    let opset: Int
    let fileName: String
    var names = ONNXNames()
    var values: [String: Value] = [:]
    /// `param`/`const`/`input` lines, in the order first used.
    var declarations: [String] = []
    /// Each node's statement, with the module path it belongs to.
    var statements: [(module: String?, text: String)] = []
    var notes: [String] = []
    /// The ONNX names of the graph's outputs.
    var outputNames: Set<String> = []

    init(graph: ONNXGraph, opset: Int, fileName: String) {
        self.graph = graph
        self.opset = opset
        self.fileName = fileName
    }

    /// The whole program: a header, the declarations, the statements (grouped by module) and
    /// the output.
    mutating func program(producer: String, producerVersion: String) throws(ONNXError) -> String {
        guard graph.node.count <= ONNXLimits.maximumNodes else {
            throw ONNXError("\(fileName): the model has \(graph.node.count) nodes; gradstep converts models of at most \(ONNXLimits.maximumNodes)")
        }
        guard !graph.output.isEmpty else { throw ONNXError("\(fileName): the ONNX graph has no output") }
        outputNames = Set(graph.output.map(\.name))
        for tensor in graph.initializer {
            let numbers = try StaticTensor(tensor, context: "\(fileName): initializer \(ONNXNames.shown(tensor.name))")
            values[tensor.name] = Value(name: "", shape: numbers.shape, tensor: numbers, onnxName: tensor.name)
        }
        for input in graph.input where values[input.name] == nil {
            try declareInput(input)
        }
        for node in graph.node {
            try convert(node)
        }
        let first = graph.output[0].name
        guard let output = values[first] else {
            throw ONNXError("\(fileName): the graph's output \(ONNXNames.shown(first)) is computed by no node")
        }
        if output.name.isEmpty || output.tensor != nil && statements.isEmpty {
            throw ONNXError("\(fileName): the graph's output \(ONNXNames.shown(first)) is a constant; there is nothing to differentiate")
        }
        for extra in graph.output.dropFirst() {
            notes.append("also an output of the model: \(values[extra.name]?.name ?? extra.name) (gradstep differentiates the first)")
        }
        return render(output: output.name, producer: producer, producerVersion: producerVersion)
    }

    /// The program's text.
    func render(output: String, producer: String, producerVersion: String) -> String {
        var lines: [String] = []
        let by = producer.isEmpty ? "" : ", written by \(Self.comment(producer))\(producerVersion.isEmpty ? "" : " \(Self.comment(producerVersion))")"
        lines.append("# \(Self.comment(fileName)), converted from ONNX by `gradstep convert` (opset \(opset)\(by)).")
        lines.append("# Initializers are params (their gradients are reported), graph inputs are inputs of zeros")
        lines.append("# (give values with --set), and each module path of the node names is a group.")
        for note in notes { lines.append("# \(Self.comment(note))") }
        lines.append("")
        lines += declarations
        lines.append("")
        var index = 0
        var groupNames = names
        while index < statements.count {
            let module = statements[index].module
            var end = index
            while end < statements.count, statements[end].module == module { end += 1 }
            if let module {
                lines.append("group \(groupNames.make(module, fallback: "module")) {")
                lines += statements[index..<end].map { "    " + $0.text }
                lines.append("}")
            } else {
                lines += statements[index..<end].map(\.text)
            }
            index = end
        }
        lines.append("output \(output)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A string from the model made safe for a comment line: no line breaks or control
    /// characters (a model's name must not start a statement of its own).
    static func comment(_ text: String) -> String {
        String(ONNXNames.shown(text).dropFirst().dropLast())
    }

    // MARK: - Values

    mutating func declareInput(_ input: ONNXValueInfo) throws(ONNXError) {
        let context = "\(fileName): graph input \(ONNXNames.shown(input.name))"
        guard input.isTensor else {
            throw ONNXError("\(context) is not a tensor")
        }
        let elem = ONNXTensor.DataType(rawValue: Int(input.elemType))
        guard elem == .float || elem == .double || elem == .float16 else {
            throw ONNXError("\(context) holds \(elem.map { "\($0)" } ?? "unknown") numbers; gradstep's inputs are real numbers (give integer indices as an initializer)")
        }
        var symbolic: [String] = []
        let shape = input.dims.map { dim -> Int in
            if case .value(let v) = dim, v > 0, v <= Int64(ONNXLimits.maximumElements) { return Int(v) }
            if case .parameter(let name) = dim { symbolic.append(name.isEmpty ? "?" : Self.comment(name)) } else { symbolic.append("?") }
            return 1
        }
        guard shape.count <= 4 else {
            throw ONNXError("\(context) has rank \(shape.count); gradstep's tensors have rank 0 to 4")
        }
        let name = names.make(input.name, fallback: "input")
        if !symbolic.isEmpty {
            notes.append("\(name): the sizes \(symbolic.joined(separator: ", ")) are not fixed in the model; taken as 1")
        }
        values[input.name] = Value(name: name, shape: shape, tensor: nil, onnxName: input.name)
        declarations.append("input \(name) = \(shape.isEmpty ? "0" : "zeros(\(Self.list(shape)))")")
    }

    /// The identifier of a node's operand, declaring an initializer or a Constant's value as a
    /// `param` (a float weight) or `const` (`asConstant`, or whole numbers) the first time it
    /// is used.
    mutating func operand(_ node: ONNXNode, _ k: Int, asConstant: Bool = false) throws(ONNXError) -> Value {
        guard k < node.input.count, !node.input[k].isEmpty else {
            throw ONNXError("\(describe(node)): input \(k + 1) is missing")
        }
        let onnxName = node.input[k]
        guard var value = values[onnxName] else {
            throw ONNXError("\(describe(node)): its input \(ONNXNames.shown(onnxName)) is computed by no node before it (or by an output gradstep does not read)")
        }
        if value.name.isEmpty, let tensor = value.tensor {
            value.name = names.make(onnxName, fallback: "w")
            let kind = asConstant || tensor.isInteger || value.onnxName.hasPrefix("#constant") ? "const" : "param"
            declarations.append("\(kind) \(value.name) = \(try Self.literal(tensor, context: describe(node)))")
            values[onnxName] = value
        }
        return value
    }

    /// The numbers of a node's input held in the file (a Reshape's sizes, ReduceSum's axes).
    func staticTensor(_ node: ONNXNode, _ k: Int, what: String) throws(ONNXError) -> StaticTensor {
        guard k < node.input.count, !node.input[k].isEmpty, let tensor = values[node.input[k]]?.tensor else {
            throw ONNXError("\(describe(node)): its \(what) must be an initializer or a Constant; gradstep reads it when converting")
        }
        return tensor
    }

    /// "file: node '/fc1/Gemm' (Gemm)".
    func describe(_ node: ONNXNode) -> String {
        "\(fileName): node \(ONNXNames.shown(node.name.isEmpty ? node.output.first ?? "" : node.name)) (\(ONNXNames.shown(node.opType).dropFirst().dropLast()))"
    }

    // MARK: - Text

    static func list(_ sizes: [Int]) -> String { "[" + sizes.map(String.init).joined(separator: ", ") + "]" }

    /// A number as the language reads it, as short as it round-trips.
    static func number(_ v: Double, single: Bool = false) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return single ? "\(Float(v))" : "\(v)"
    }

    /// A tensor literal, nested by its shape.
    static func literal(_ t: StaticTensor, context: String) throws(ONNXError) -> String {
        if let bad = t.values.first(where: { !$0.isFinite }) {
            throw ONNXError("\(context): a tensor holds \(bad); gradstep's literals are finite numbers")
        }
        if t.shape.isEmpty { return number(t.values.first ?? 0, single: t.isSingle) }
        if t.count == 0 { throw ONNXError("\(context): a tensor of sizes \(t.shape) holds no numbers") }
        var out = ""
        func write(_ level: Int, _ offset: Int) {
            let stride = t.shape[(level + 1)...].reduce(1, *)
            out += "["
            for i in 0..<t.shape[level] {
                if i > 0 { out += ", " }
                if level == t.shape.count - 1 { out += number(t.values[offset + i], single: t.isSingle) } else { write(level + 1, offset + i * stride) }
            }
            out += "]"
        }
        write(0, 0)
        return out
    }
}
