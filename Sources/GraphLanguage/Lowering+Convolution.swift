import GraphCore

// Convolution and pooling calls, as PyTorch's `torch.nn.functional` writes them:
// `conv2d(x, w, b, stride, padding)`, `conv1d(x, w, b, stride, padding)`,
// `maxpool2d(x, kernel, stride, padding)`, `avgpool2d(x, kernel, stride, padding)`, the
// numbers positional or by keyword (`stride=2`, `padding=1`). A pool's kernel, stride and
// padding are each one number or a list of two, rows then columns (`kernel=[2, 3]`), as
// PyTorch's `kernel_size=(2, 3)`. Each call is one op of the tape (its stride, padding or
// kernel size kept in the entry's `Window`), and a bias one `bias_add` after it.

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

    /// The positional arguments: a convolution needs the first two, a pool the first (and
    /// its kernel, by position or keyword).
    var positional: [String] { isConvolution ? ["x", "w", "b", "stride", "padding"] : ["x", "kernel", "stride", "padding"] }

    var fewestPositional: Int { isConvolution ? 2 : 1 }

    var keywords: [String] { isConvolution ? ["stride", "padding"] : ["kernel", "stride", "padding"] }

    /// PyTorch's pooling options gradstep does not take, and why: each is refused by name.
    var refusedKeywords: [String: String] {
        switch self {
        case .conv1d, .conv2d: [:]
        case .maxpool2d, .avgpool2d:
            ["ceil_mode": "\(rawValue) always rounds the output size down, as PyTorch's default ceil_mode=False; leave ceil_mode out",
             "count_include_pad": self == .avgpool2d
                ? "avgpool2d always counts the padding's zeros in the divisor (kh·kw), as PyTorch's default count_include_pad=True; leave it out"
                : "count_include_pad is avgpool2d's; a max pool pads with −∞"]
        }
    }

    var usage: String {
        isConvolution ? "write \(rawValue)(x, w, [b], [stride], [padding]) or \(rawValue)(x, w, b, stride=…, padding=…)"
            : "write \(rawValue)(x, kernel, [stride], [padding]), each a number or [rows, columns]; the stride is the kernel if left out"
    }
}

extension Lowering {
    /// Lowers a convolution or pooling call: checks the arguments, lowers the tensors in source
    /// order, reads the whole numbers, and adds the op (and `bias_add` for a bias).
    mutating func lowerConvolution(_ f: ConvolutionFunction, _ arguments: [Expr], nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        let call = LayerCall(name: f.rawValue, nameRange: nameRange, whole: whole)
        let positional = arguments.filter { !$0.isKeyword }
        guard (f.fewestPositional...f.positional.count).contains(positional.count) else {
            error("\(f.rawValue) takes \(f.fewestPositional) to \(f.positional.count) positional arguments (\(f.positional.joined(separator: ", "))), got \(positional.count)",
                  at: whole, hint: f.usage)
            skipUses(in: arguments)
            return nil
        }
        var seen: Set<String> = []
        for k in arguments {
            guard case .keyword(let name, let range, _) = k.kind else { continue }
            if let why = f.refusedKeywords[name] {
                error("\(f.rawValue)'s \(name)= is not supported", at: range, hint: why)
                skipUses(in: arguments)
                return nil
            }
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
            guard let pool = poolWindow(argument("kernel"), argument("stride"), argument("padding"), call) else { return nil }
            guard let pooled = Window.pooling(pool) else {
                error("too many different pooling windows in one run", at: whole)
                return nil
            }
            window = pooled
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

    /// A pool's kernel, stride (the kernel when left out, as PyTorch) and padding (0), each
    /// one number or [rows, columns], or nil with an error at the argument that is wrong:
    /// PyTorch pads by at most half the kernel, so every window holds an element of the image.
    mutating func poolWindow(_ kernelExpr: Expr?, _ strideExpr: Expr?, _ paddingExpr: Expr?, _ call: LayerCall) -> PoolWindow? {
        guard let kernelExpr else {
            error("\(call.name) needs a kernel size", at: call.whole, hint: "write \(call.name)(x, 2) or \(call.name)(x, kernel=[2, 3])")
            return nil
        }
        guard let kernel = wholePair(kernelExpr, "the kernel size", from: 1, fallback: (1, 1)),
              let stride = wholePair(strideExpr, "stride", from: 1, fallback: kernel),
              let padding = wholePair(paddingExpr, "padding", from: 0, fallback: (0, 0)) else { return nil }
        for (p, k) in [(padding.0, kernel.0), (padding.1, kernel.1)] where 2 * p > k {
            error("padding \(p) is more than half the kernel \(k)", at: paddingExpr?.range ?? call.whole,
                  hint: "PyTorch pads a pooling window by at most half its size (here \(k / 2)), so that every window holds an element of the image")
            return nil
        }
        return PoolWindow(kh: kernel.0, kw: kernel.1, sh: stride.0, sw: stride.1, ph: padding.0, pw: padding.1)
    }

    /// One whole number for both axes (`2`) or a list of two, rows then columns (`[2, 3]`),
    /// each from `low` to `Limits.maximumWindowSize`; `fallback` when `e` is nil.
    mutating func wholePair(_ e: Expr?, _ what: String, from low: Int, fallback: (Int, Int)) -> (Int, Int)? {
        guard let e else { return fallback }
        guard case .tensor(let items) = e.kind else {
            return wholeNumber(e, what, from: low, fallback: 0).map { ($0, $0) }
        }
        guard items.count == 2 else {
            error("\(what) is one number or a list of two, [rows, columns]; got a list of \(items.count)", at: e.range,
                  hint: "write [2, 3] for 2 rows and 3 columns, as PyTorch's (2, 3)")
            skipUses(in: [e])
            return nil
        }
        guard let rows = wholeNumber(items[0], what, from: low, fallback: 0),
              let cols = wholeNumber(items[1], what, from: low, fallback: 0) else { return nil }
        return (rows, cols)
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
