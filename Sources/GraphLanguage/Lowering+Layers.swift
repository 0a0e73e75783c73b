import GraphCore

// Layers and reductions along an axis, written out as the primitive ops they consist of, so
// that every step (the batch mean μ, the variance σ², the mask of dropout) is a node of its
// own with the engine's checked derivatives, and every evaluator, the code generator and the
// Hessian see only ops they already know. A sum along an axis is a product with a vector of
// ones, a selection or concatenation a product with a 0/1 matrix.

/// A function the lowering writes out in primitive ops, with its positional arguments and the
/// keyword arguments it accepts.
enum LayerFunction: String, CaseIterable {
    case linear, batchnorm, layernorm, dropout
    case sum, mean, max, logsumexp
    case variance = "var", std
    case select = "where"
    case concat, stack
    case prod
    case reshape, flatten
    case clip

    /// The layer `name` calls, or nil for an op: `sum`, `mean`, `max` and `logsumexp` are ops
    /// of their own and are written out here only with a keyword (`sum(x, axis=0)`).
    init?(name: String, arguments: [Expr]) {
        guard let f = LayerFunction(rawValue: name) else { return nil }
        if f == .sum || f == .mean || f == .max || f == .logsumexp {
            guard arguments.contains(where: \.isKeyword) else { return nil }
        }
        self = f
    }

    /// Every function that takes keyword arguments, with its keywords: the layers and the
    /// reductions along an axis, then convolution and pooling.
    static var keywordTakers: [(function: String, keywords: [String])] {
        allCases.filter { !$0.keywords.isEmpty }.map { ($0.rawValue, $0.keywords) }
            + ConvolutionFunction.allCases.map { ($0.rawValue, $0.keywords) }
    }

    /// The hint for a keyword `name` given to a function that takes none: the functions that
    /// take it (or the keyword it is a misspelling of), else every keyword there is. Kept
    /// short: a diagnostic's hint is cut at 200 characters.
    static func keywordHint(for name: String) -> String {
        let takers = keywordTakers
        var all: [String] = []
        // keepdims= (NumPy's spelling) is accepted but not listed, so the hint stays whole.
        for k in takers.flatMap(\.keywords) where !all.contains(k) && k != "keepdims" { all.append(k) }
        func users(_ keyword: String) -> String {
            let names = takers.filter { $0.keywords.contains(keyword) }.map(\.function)
            return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
        if all.contains(name) { return "'\(name)=' is for \(users(name))" }
        if let s = suggestion(for: name, among: all) { return "did you mean '\(s)='? It is for \(users(s))" }
        return "the keywords are " + all.map { $0 + "=" }.joined(separator: ", ")
            + ", as in sum(x, axis=0), conv2d(x, w, padding=1), dropout(h, p, seed, mode=eval)"
    }

    /// The names of the positional arguments; the last `optional` of them may be left out.
    var positional: (names: [String], optional: Int) {
        switch self {
        case .linear: (["x", "W", "b"], 1)
        case .batchnorm, .layernorm: (["h", "gamma", "beta"], 0)
        case .dropout: (["h", "p", "seed"], 0)
        case .sum, .mean, .max, .logsumexp, .variance, .std: (["x"], 0)
        case .select: (["cond", "a", "b"], 0)
        case .concat: (["a", "b"], 0)
        case .stack: (["tensors"], 0)
        case .reshape: (["x", "shape"], 0)
        case .flatten, .prod: (["x"], 0)
        case .clip: (["x", "lo", "hi"], 0)
        }
    }

    var keywords: [String] {
        switch self {
        case .linear, .select, .reshape, .flatten, .clip, .prod: []
        case .batchnorm: ["mode", "running_mean", "running_var", "eps"]
        case .layernorm: ["eps"]
        case .dropout: ["mode"]
        case .sum, .mean, .max, .logsumexp: ["axis", "keepdim", "keepdims"]
        case .variance, .std: ["axis", "keepdim", "keepdims", "unbiased"]
        case .concat, .stack: ["axis"]
        }
    }

    /// The ranges of the words given to `mode=` in `e`: they name an option, not an input.
    static func words(in e: Expr) -> [SourceRange] {
        var found: [SourceRange] = []
        func walk(_ e: Expr) {
            if e.isOptionWord, case .keyword(_, _, let value) = e.kind { found.append(value.range) }
            for child in e.kind.children { walk(child) }
        }
        walk(e)
        return found
    }
}

extension Expr {
    var isKeyword: Bool { keywordName != nil }

    var keywordName: String? {
        if case .keyword(let name, _, _) = kind { return name }
        return nil
    }
}

/// Where a layer's nodes come from, for their source ranges and error messages: the function's
/// name (or `[]` for a subscript) and its range, and the whole call's.
struct LayerCall {
    var name: String
    var nameRange: SourceRange
    var whole: SourceRange
}

extension Lowering {
    /// Lowers `f(arguments)`: checks the arguments, lowers the positional ones in order and
    /// then the keywords (the order the parser recorded their names in), and writes the layer
    /// out. Nil, with an error, when an argument is missing, unknown or of the wrong shape.
    mutating func lowerLayer(_ f: LayerFunction, _ arguments: [Expr], nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        let call = LayerCall(name: f.rawValue, nameRange: nameRange, whole: whole)
        let positional = arguments.filter { !$0.isKeyword }
        let (names, optional) = f.positional
        guard positional.count <= names.count, positional.count >= names.count - optional else {
            let counted = optional > 0 ? "\(names.count - optional) or \(names.count)" : "\(names.count)"
            error("\(f.rawValue) takes \(counted) positional argument\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", "))), got \(positional.count)",
                  at: whole, hint: keywordHint(f))
            skipUses(in: arguments)
            return nil
        }
        var seen: Set<String> = []
        for k in arguments {
            guard case .keyword(let name, let range, _) = k.kind else { continue }
            if !f.keywords.contains(name) {
                error("\(f.rawValue) has no keyword '\(name)'", at: range, hint: Self.misspelled(name, f.keywords, keywordHint(f)))
                skipUses(in: arguments)
                return nil
            }
            if !seen.insert(name).inserted {
                error("'\(name)=' is given twice", at: range)
                skipUses(in: arguments)
                return nil
            }
        }
        switch f {
        case .linear: return lowerLinear(call, positional, arguments)
        case .batchnorm: return lowerBatchnorm(call, positional, arguments)
        case .layernorm: return lowerLayernorm(call, positional, arguments)
        case .dropout: return lowerDropout(call, positional, arguments)
        case .sum, .mean, .max, .logsumexp, .variance, .std: return lowerReduction(f, call, positional, arguments)
        case .select: return lowerWhere(call, positional)
        case .concat: return lowerConcat(call, positional, arguments)
        case .stack: return lowerStack(call, positional, arguments)
        case .prod: return lowerProduct(call, positional)
        case .clip: return lowerClip(call, positional)
        case .reshape: return lowerReshape(call, positional)
        case .flatten:
            guard let x = lower(positional[0]) else { return nil }
            return flatten(x, call)
        }
    }

    /// "did you mean 'stride='? " before `hint` when `name` is close to one of `keywords`.
    static func misspelled(_ name: String, _ keywords: [String], _ hint: String) -> String {
        suggestion(for: name, among: keywords).map { "did you mean '\($0)='? " + hint } ?? hint
    }

    func keywordHint(_ f: LayerFunction) -> String {
        let (names, optional) = f.positional
        var form = names.enumerated().map { $0.offset >= names.count - optional ? "[\($0.element)]" : $0.element }
        // keepdims= (NumPy's spelling) is accepted but not offered: keepdim= is PyTorch's.
        form += f.keywords.filter { $0 != "keepdims" }.map { "\($0)=…" }
        return "write \(f.rawValue)(\(form.joined(separator: ", ")))"
    }

    // MARK: - Arguments

    /// The keyword argument `name`, if given.
    func keyword(_ name: String, in arguments: [Expr]) -> Expr? {
        for a in arguments { if case .keyword(name, _, let value) = a.kind { return value } }
        return nil
    }

    /// A number written out in the call or subscript (`0.5`, `-1`), or nil with an error naming `what`.
    mutating func number(_ e: Expr, _ what: String) -> Double? {
        switch e.kind {
        case .number(let x): return x
        case .unary(let op, let inner):
            if case .number(let x) = inner.kind { return op == .negate ? -x : x }
        case .name, .binary, .call, .tensor, .keyword, .index, .slice: break
        }
        error("\(what) must be a number written out, like 1 or -0.5", at: e.range)
        skipUses(in: [e])
        return nil
    }

    /// The axis of `axis=` (default `fallback`) for a tensor of `rank`: 0 or 1, or −1 for the
    /// last, as NumPy and PyTorch count.
    mutating func axis(_ arguments: [Expr], rank: UInt8, fallback: Int?, _ call: LayerCall) -> Int? {
        guard let e = keyword("axis", in: arguments) else {
            if fallback == nil { error("\(call.name) needs 'axis='", at: call.whole) }
            return fallback
        }
        guard let x = number(e, "axis") else { return nil }
        let r = Int(rank)
        guard x == x.rounded(), x >= Double(-Swift.max(r, 1)), x < Double(Swift.max(r, 1)) else {
            error("axis \(Self.spell(x)) does not exist for a tensor of rank \(r)", at: e.range,
                  hint: r == 2 ? "a matrix has axis 0 (down the rows) and 1 (along each row)" : "a vector has axis 0")
            return nil
        }
        let k = Int(x)
        return k < 0 ? k + Swift.max(r, 1) : k
    }

    /// The value of `eps=`: a number ≥ 0.
    mutating func epsilon(_ e: Expr) -> Double? {
        guard let x = number(e, "eps") else { return nil }
        guard x >= 0 else {
            error("eps must be a number ≥ 0, got \(Self.spell(x))", at: e.range, hint: "PyTorch's default is eps=1e-5")
            return nil
        }
        return x
    }

    /// `mode=train` (the default) or `mode=eval`: true for eval.
    mutating func isEval(_ arguments: [Expr]) -> Bool? {
        guard let e = keyword("mode", in: arguments) else { return false }
        skipUses(in: [e])
        if case .name(let word) = e.kind, word == "eval" || word == "train" { return word == "eval" }
        error("mode must be 'train' or 'eval'", at: e.range)
        return nil
    }

    static func spell(_ x: Double) -> String {
        x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    // MARK: - Nodes

    mutating func node(_ op: Op, _ a: NodeID, _ b: NodeID?, _ call: LayerCall) -> NodeID? {
        apply(op, a, b, at: call.nameRange, whole: call.whole)
    }

    mutating func constant(_ shape: Shape, _ values: [Double], _ call: LayerCall) -> NodeID? {
        leaf(.constant, shape, values, name: nil, range: call.whole)
    }

    /// False, with the error `leaf` gives, when constants of these shapes would pass `Limits`:
    /// checked before their values are allocated (a selection matrix grows as n²).
    mutating func fits(_ shapes: [Shape], _ call: LayerCall) -> Bool {
        do {
            for s in shapes { try builder.checkSize(of: s) }
            return true
        } catch {
            self.error(error.description, at: call.whole,
                       hint: "split the work into smaller tensors; the README's Limits section lists every limit")
            return false
        }
    }

    mutating func scalar(_ x: Double, _ call: LayerCall) -> NodeID? {
        constant(.scalar, [x], call)
    }

    mutating func shapeError(_ message: String, _ call: LayerCall, _ nodes: [NodeID]) -> NodeID? {
        error(message, at: call.nameRange, hint: "shapes: " + nodes.map { builder.shape(of: $0).description }.joined(separator: " and "))
        return nil
    }

    // MARK: - where and concat

    /// `where(cond, a, b)` = select(a, m) + select(b, 1 − m) with m = step(|cond|), 1 where
    /// cond ≠ 0. `select` chooses rather than multiplies, so the branch not taken adds an exact
    /// 0 even where it is NaN or ∞ (`where(x, x*ln(x), 0)` at x = 0 is 0, as torch.where), and
    /// sends it an adjoint of exactly 0, which the evaluators do not multiply into its NaN
    /// partials; no adjoint reaches `cond`.
    mutating func lowerWhere(_ call: LayerCall, _ positional: [Expr]) -> NodeID? {
        let c = lower(positional[0]), a = lower(positional[1]), b = lower(positional[2])
        guard let c, let a, let b else { return nil }
        // Checked here, so the error names `where` and its arguments, not the `mul` inside.
        let (sc, sa, sb) = (builder.shape(of: c), builder.shape(of: a), builder.shape(of: b))
        guard broadcastTogether([a, b, c]) else {
            error("where(cond, a, b) needs cond \(sc), a \(sa) and b \(sb) to broadcast together",
                  at: call.nameRange, hint: "shapes must match, or one be a scalar, or a vector match a matrix's rows")
            return nil
        }
        guard let magnitude = node(.abs, c, nil, call), let m = node(.step, magnitude, nil, call),
              let one = scalar(1, call), let notM = node(.sub, one, m, call),
              let left = node(.select, a, m, call), let right = node(.select, b, notM, call) else { return nil }
        return node(.add, left, right, call)
    }

    /// `concat(a, b, axis=0)`: one `concat` op, a's positions along the axis first, then b's
    /// (numpy.concatenate): a copy, O(n), whose VJP hands each operand its part of the adjoint.
    /// Along axis 1 two matrices sit side by side; tensors of rank 3/4 join along any axis.
    mutating func lowerConcat(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let a = lower(positional[0]), b = lower(positional[1])
        guard let a, let b else {
            if let e = keyword("axis", in: arguments) { skipUses(in: [e]) }
            return nil
        }
        let sa = builder.shape(of: a), sb = builder.shape(of: b)
        guard let axis = axis(arguments, rank: sa.rank, fallback: 0, call) else { return nil }
        guard sa.rank == sb.rank, sa.rank >= 1 else {
            return shapeError("concat needs two tensors of one rank (two vectors, two matrices, two images)", call, [a, b])
        }
        return concatenate(a, b, axis: axis, call)
    }

    /// `a` and `b` joined along `axis` (one `concat` op), or nil with the extent that differs.
    mutating func concatenate(_ a: NodeID, _ b: NodeID, axis: Int, _ call: LayerCall) -> NodeID? {
        do {
            let shape = try AxisOp.concatShape(builder.shape(of: a), builder.shape(of: b), axis: axis)
            return along(.concat, a, b, .along(axis: axis), shape, call)
        } catch {
            return shapeError(error.description, call, [a, b])
        }
    }
}

extension Expr {
    /// `keepdim=true`, `unbiased=true`, `mode=eval`, `ceil_mode=true`: a keyword argument whose
    /// bare word names an option, not an input. One list for the lowering and every reader of
    /// free names (`diff -e`'s inputs read them as inputs when the lists drifted apart).
    public var isOptionWord: Bool {
        if case .keyword(let key, _, let value) = kind,
           ["mode", "keepdim", "keepdims", "unbiased", "ceil_mode", "count_include_pad"].contains(key),
           case .name = value.kind { return true }
        return false
    }
}
