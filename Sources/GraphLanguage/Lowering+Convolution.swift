import GraphCore

// Convolution and pooling calls, as PyTorch's `torch.nn.functional` writes them:
// `conv2d(x, w, b, stride, padding)`, `conv1d(x, w, b, stride, padding)`,
// `maxpool2d(x, kernel, stride)`, `avgpool2d(x, kernel, stride)`, the numbers positional or
// by keyword (`stride=2`, `padding=1`). Each call is one op of the tape (its stride, padding
// or kernel size kept in the entry's `Window`), and a bias one `bias_add` after it.

/// A convolution or pooling function and the arguments it takes.
enum ConvolutionFunction: String, CaseIterable {
    case conv1d, conv2d, maxpool2d, avgpool2d

    var op: Op {
        switch self {
        case .conv1d: .conv1d
        case .conv2d: .conv2d
        case .maxpool2d: .maxpool2d
        case .avgpool2d: .avgpool2d
        }
    }

    var isConvolution: Bool { self == .conv1d || self == .conv2d }

    /// The positional arguments, of which the first two are needed.
    var positional: [String] { isConvolution ? ["x", "w", "b", "stride", "padding"] : ["x", "kernel", "stride"] }

    var keywords: [String] { isConvolution ? ["stride", "padding"] : ["stride"] }

    var usage: String {
        isConvolution ? "write \(rawValue)(x, w, [b], [stride], [padding]) or \(rawValue)(x, w, b, stride=…, padding=…)"
            : "write \(rawValue)(x, kernel, [stride]); the stride is the kernel size if left out"
    }
}

extension Lowering {
    /// Lowers a convolution or pooling call: checks the arguments, lowers the tensors in source
    /// order, reads the whole numbers, and adds the op (and `bias_add` for a bias).
    mutating func lowerConvolution(_ f: ConvolutionFunction, _ arguments: [Expr], nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        let call = LayerCall(name: f.rawValue, nameRange: nameRange, whole: whole)
        let positional = arguments.filter { !$0.isKeyword }
        guard (2...f.positional.count).contains(positional.count) else {
            error("\(f.rawValue) takes 2 to \(f.positional.count) positional arguments (\(f.positional.joined(separator: ", "))), got \(positional.count)",
                  at: whole, hint: f.usage)
            skipUses(in: arguments)
            return nil
        }
        var seen: Set<String> = []
        for k in arguments {
            guard case .keyword(let name, let range, _) = k.kind else { continue }
            let byPosition = f.positional.firstIndex(of: name).map { $0 < positional.count } ?? false
            if !f.keywords.contains(name) || byPosition || !seen.insert(name).inserted {
                let known = f.keywords.contains(name)
                error(known ? "'\(name)' is given twice" : "\(f.rawValue) has no keyword '\(name)'",
                      at: range, hint: known ? f.usage : Self.misspelled(name, f.keywords, f.usage))
                skipUses(in: arguments)
                return nil
            }
        }
        // The tensors first, in source order (they hold the names).
        let x = lower(positional[0])
        let w = f.isConvolution ? lower(positional[1]) : nil
        let bias = f.isConvolution && positional.count > 2 ? lower(positional[2]) : nil
        func argument(_ name: String) -> Expr? {
            if let k = f.positional.firstIndex(of: name), k < positional.count { return positional[k] }
            return keyword(name, in: arguments)
        }
        var window = Window()
        if f.isConvolution {
            guard let stride = wholeNumber(argument("stride"), "stride", from: 1, fallback: 1),
                  let padding = wholeNumber(argument("padding"), "padding", from: 0, fallback: 0) else { return nil }
            window = Window(stride: stride, padding: padding)
        } else {
            guard let kernel = wholeNumber(positional[1], "the kernel size", from: 1, fallback: 1),
                  let stride = wholeNumber(argument("stride"), "stride", from: 1, fallback: kernel) else { return nil }
            window = Window(kernel: kernel, stride: stride)
        }
        guard let x, !f.isConvolution || w != nil, positional.count <= 2 || !f.isConvolution || bias != nil else { return nil }
        guard let y = windowed(f.op, x, w, window, call) else { return nil }
        guard let bias else { return y }
        // The bias adds along the channel axis: 0 without a batch, 1 with one.
        let batched = builder.shape(of: x).rank == (f == .conv1d ? 3 : 4)
        return windowed(.biasAdd, y, bias, Window(axis: batched ? 1 : 0), call)
    }

    /// The whole number `e` (`fallback` when nil) from `low` to `Limits.maximumWindowSize`, or
    /// nil with an error naming `what`.
    mutating func wholeNumber(_ e: Expr?, _ what: String, from low: Int, fallback: Int) -> Int? {
        guard let e else { return fallback }
        guard let x = number(e, what) else { return nil }
        guard x == x.rounded(), x >= Double(low), x <= Double(Limits.maximumWindowSize) else {
            error("\(what) must be a whole number from \(low) to \(Limits.maximumWindowSize), got \(Self.spell(x))", at: e.range)
            return nil
        }
        return Int(x)
    }

    /// `op(a, b)` with `window`, or nil with the shape error at the call's name.
    mutating func windowed(_ op: Op, _ a: NodeID, _ b: NodeID?, _ window: Window, _ call: LayerCall) -> NodeID? {
        do {
            let node = try builder.apply(op, a, b, window: window)
            ranges.append(call.whole)
            return node
        } catch {
            return shapeError(error.description, call, b.map { [a, $0] } ?? [a])
        }
    }

    /// `x` with the same elements in `shape` (a `reshape` op), or nil with the error.
    mutating func reshaped(_ x: NodeID, _ shape: Shape, _ call: LayerCall) -> NodeID? {
        do {
            let node = try builder.reshape(x, to: shape)
            ranges.append(call.whole)
            return node
        } catch {
            return shapeError(error.description, call, [x])
        }
    }
}
