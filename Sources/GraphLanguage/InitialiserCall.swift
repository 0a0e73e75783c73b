import GraphCore

/// `zeros([7])`, `ones([2, 3])`, `randn([7, 5], seed)`, `xavier([7, 7], seed)`,
/// `kaiming([7, 7], seed)` as the value of a param (or input, const, `--set`): evaluated when
/// the file is read into a literal, so the tape holds the numbers and no op. The shape is a
/// list of one to four whole numbers: (fan_out, fan_in) as PyTorch's `Linear.weight`, or a
/// convolution's (out, C, kh, kw), whose fans are C·kh·kw and out·kh·kw as PyTorch counts
/// them; the seed a whole number ≥ 0 (see `Initialiser` and `SeededGenerator`).
enum InitialiserCall {
    /// The literal an initialiser call stands for, nil when `name` is no initialiser, or why
    /// the call is wrong.
    ///
    /// With `withValues` false (a graph read for its shapes only) the numbers are not drawn
    /// and the size limit is `Limits.maximumShapeOnlyTensorElements`.
    static func evaluate(name: String, arguments: [Expr], range: SourceRange,
                         withValues: Bool = true) -> Result<(values: [Double], shape: Shape), LiteralError>? {
        let limit = withValues ? Limits.maximumTensorElements : Limits.maximumShapeOnlyTensorElements
        if name == "arange" { return arange(arguments, range: range, limit: limit) }
        guard let initialiser = Initialiser(rawValue: name) else { return nil }
        let usage = initialiser.isRandom ? "\(name)([rows, cols], seed)" : "\(name)([rows, cols])"
        let expected = initialiser.isRandom ? 2 : 1
        guard arguments.count == expected else {
            return .failure(LiteralError(message: "\(name) takes \(expected == 1 ? "a shape" : "a shape and a seed"), got \(arguments.count) argument\(arguments.count == 1 ? "" : "s"): write \(usage)", range: range))
        }
        guard case .tensor(let sizes) = arguments[0].kind, (1...4).contains(sizes.count) else {
            return .failure(LiteralError(message: "the shape of \(name) is a list of one to four sizes, such as [7], [7, 5] or [8, 3, 3, 3]", range: arguments[0].range))
        }
        var dims: [Int] = []
        for size in sizes {
            guard case .number(let x) = size.kind, x >= 1, x == x.rounded(), x <= Double(limit) else {
                return .failure(LiteralError(message: "a size in the shape of \(name) must be a whole number from 1 to \(Limits.grouped(limit))", range: size.range))
            }
            dims.append(Int(x))
        }
        let count = Limits.product(dims) ?? Int.max
        guard count <= limit else {
            return .failure(LiteralError(message: "\(name)(\(dims)) would have \(Limits.grouped(count)) elements; a tensor may have at most \(Limits.grouped(limit))", range: arguments[0].range))
        }
        var seed: UInt64 = 0
        if initialiser.isRandom {
            guard case .number(let s) = arguments[1].kind, s >= 0, s == s.rounded(), s < 0x1p63 else {
                return .failure(LiteralError(message: "the seed of \(name) must be a whole number ≥ 0, such as 1", range: arguments[1].range))
            }
            seed = UInt64(s)
        }
        let shape = Shape.tensor(dims)
        // (fan_out, fan_in) = (rows, cols), each times the receptive field (kh·kw) of a
        // convolution's weight; a vector's fans are both its length.
        let receptive = dims.dropFirst(2).reduce(1, *)
        let fanOut = dims[0] * receptive, fanIn = dims.count >= 2 ? dims[1] * receptive : dims[0]
        guard withValues else { return .success(([], shape)) }
        return .success((initialiser.values(count: count, fanIn: fanIn, fanOut: fanOut, seed: seed), shape))
    }

    /// `arange(n)` = [0, 1, …, n − 1] and `arange(a, b)` = [a, …, b − 1], whole numbers as
    /// NumPy's and PyTorch's: the row positions of `P[arange(N), y]`.
    private static func arange(_ arguments: [Expr], range: SourceRange, limit: Int) -> Result<(values: [Double], shape: Shape), LiteralError> {
        guard (1...2).contains(arguments.count) else {
            return .failure(LiteralError(message: "arange takes a stop or a start and a stop, got \(arguments.count) arguments: write arange(n) or arange(a, b)", range: range))
        }
        var bounds: [Double] = []
        for a in arguments {
            var x: Double?
            if case .number(let v) = a.kind { x = v }
            if case .unary(.negate, let inner) = a.kind, case .number(let v) = inner.kind { x = -v }
            guard let x, x == x.rounded(), Swift.abs(x) <= Double(limit) else {
                return .failure(LiteralError(message: "the bounds of arange are whole numbers written out, such as arange(4)", range: a.range))
            }
            bounds.append(x)
        }
        let (start, stop) = bounds.count == 1 ? (0, bounds[0]) : (bounds[0], bounds[1])
        guard stop > start else {
            return .failure(LiteralError(message: "arange(\(Lowering.spell(start)), \(Lowering.spell(stop))) is empty; the stop must be above the start", range: range))
        }
        let count = Int(stop - start)
        guard count <= limit else {
            return .failure(LiteralError(message: "arange would have \(Limits.grouped(count)) elements; a tensor may have at most \(Limits.grouped(limit))", range: range))
        }
        return .success(((0..<count).map { start + Double($0) }, .vector(count)))
    }
}
