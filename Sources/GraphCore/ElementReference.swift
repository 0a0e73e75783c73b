import Foundation

/// A value, or one element of it, named the way a user writes it: `x`, `x[1]`, `W[2,0]`,
/// `x[1,0,2,2]`. Every `--wrt`, the explorer's `:mode forward W[2,0]` and every label that
/// names an element (`∂L/∂W[2,0]`, a Jacobian's columns, the scalar view's nodes) parse and
/// print it here, so a reference one command accepts selects the same element in every other.
///
/// ```swift
/// let ref = try ElementReference.parse("W[2, 0]").get()     // name "W", index [2, 0]
/// ref.description                                           // "W[2,0]"
/// let seed = try ref.resolve(in: tape).get()                // TangentSeed(leaf: W, element: 4)
/// ElementReference(tape, leaf: w, element: 4).description   // "W[2,0]" for a 3×2 W
/// ```
/// Indices count from 0, one per extent, in row-major order (NumPy's and PyTorch's). A
/// reference without brackets names the whole value; a scalar takes no index.
public struct ElementReference: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// One index per extent; nil names the whole value.
    public var index: [Int]?

    public init(name: String, index: [Int]? = nil) {
        self.name = name
        self.index = index
    }

    /// Element `element` (row-major) of a value of `shape` called `name`; nil, or any element
    /// of a scalar, names the whole value.
    public init(name: String, element: Int?, shape: Shape) {
        self.init(name: name, index: element.flatMap { shape.rank == 0 ? nil : shape.index(of: $0) })
    }

    /// Element `element` of tape node `leaf`, under the node's display name.
    public init(_ tape: Tape, leaf: Int, element: Int?) {
        self.init(name: tape.displayName(leaf), element: element, shape: tape.entries[leaf].shape)
    }

    /// `x`, `x[1]`, `W[2,0]`: no blanks, so that the text can be pasted back as an argument.
    public var description: String { name + Self.subscriptText(index ?? []) }

    /// `` for no index, else `[2,0]`: what follows a name to pick an element.
    public static func subscriptText(_ index: [Int]) -> String {
        index.isEmpty ? "" : "[" + index.map(String.init).joined(separator: ",") + "]"
    }

    // MARK: - Parsing

    /// Reads `NAME`, `NAME[i]`, `NAME[i, j, …]`; blanks around names and indices are allowed.
    /// Only the form is checked here: `resolve(in:)` checks the name and the ranges.
    public static func parse(_ text: String) -> Result<ElementReference, ElementReferenceError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "[") else {
            if trimmed.contains("]") { return .failure(.init(text, "a ']' without its '['; write NAME[i] or NAME[i,j]")) }
            guard !trimmed.isEmpty else { return .failure(.init(text, "no name; write NAME, NAME[i] or NAME[i,j]")) }
            return .success(ElementReference(name: trimmed))
        }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return .failure(.init(text, "no name before '['; write NAME[i] or NAME[i,j]")) }
        guard let close = trimmed.lastIndex(of: "]"), close > open else {
            return .failure(.init(text, "missing ']'; write NAME[i] or NAME[i,j]"))
        }
        guard trimmed.index(after: close) == trimmed.endIndex else {
            return .failure(.init(text, "'\(trimmed[trimmed.index(after: close)...])' after ']'; write NAME[i] or NAME[i,j]"))
        }
        let inside = trimmed[trimmed.index(after: open) ..< close]
        guard !inside.contains("["), !inside.contains("]") else {
            return .failure(.init(text, "one pair of brackets, indices separated by commas: NAME[i,j], not NAME[i][j]"))
        }
        var index: [Int] = []
        for part in inside.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { return .failure(.init(text, "an empty index; write NAME[i] or NAME[i,j]")) }
            // A whole number written as digits (with an optional minus, refused later as out
            // of range): `1.0`, `1e0` and `one` are not indices.
            guard let i = Int(item) else {
                let digits = item.drop { $0 == "-" || $0 == "+" }
                if !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) {
                    return .failure(.init(text, "index \(item) is out of range"))
                }
                return .failure(.init(text, "index '\(item)' is not a whole number"))
            }
            index.append(i)
        }
        return .success(ElementReference(name: name, index: index))
    }

    /// A comma-separated list of references, `x, W[2,0], b`: commas inside brackets belong to
    /// the reference.
    public static func parseList(_ text: String) -> Result<[ElementReference], ElementReferenceError> {
        var items: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "[" { depth += 1 } else if ch == "]" { depth -= 1 }
            if ch == "," && depth == 0 { items.append(current); current = "" } else { current.append(ch) }
        }
        items.append(current)
        var out: [ElementReference] = []
        for item in items {
            switch parse(item) {
            case .success(let r): out.append(r)
            case .failure(let e): return .failure(e)
            }
        }
        return .success(out)
    }

    // MARK: - Resolving against a tape

    /// The leaf `name` names among `tape`'s inputs and params (`leaves`, default all of them),
    /// and the element the index picks: nil for the whole value (a scalar is always whole).
    /// An unknown name says which name is nearest ("did you mean"), a wrong count of indices
    /// or an index out of range names the value's shape.
    public func resolve(in tape: Tape, among leaves: [Int]? = nil) -> Result<TangentSeed, ElementReferenceError> {
        let leaves = leaves ?? tape.differentiableLeaves
        guard let leaf = leaves.first(where: { tape.displayName($0) == name }) else {
            let names = leaves.map(tape.displayName)
            if names.isEmpty { return .failure(.init(description, "the graph has no input or param")) }
            let hint = suggestion(for: name, among: names).map { "; did you mean '\($0)'?" }
                ?? " (inputs and params: \(names.joined(separator: ", ")))"
            return .failure(.init(description, "no input or param of that name" + hint))
        }
        let shape = tape.entries[leaf].shape
        guard let index else { return .success(TangentSeed(leaf: leaf)) }
        let dims = shape.dims
        guard index.count == dims.count else {
            let takes = dims.isEmpty ? "no index" : dims.count == 1 ? "1 index" : "\(dims.count) indices"
            let example = dims.isEmpty ? name : ElementReference(name: name, index: dims.map { _ in 0 }).description
            return .failure(.init(description, "\(name) is \(Self.shapeText(shape)), so it takes \(takes) (as \(example)), not \(index.count)"))
        }
        for (axis, (i, n)) in zip(index, dims).enumerated() where !(0..<n).contains(i) {
            let axisText = dims.count == 1 ? "" : " on axis \(axis)"
            return .failure(.init(description, "index \(i)\(axisText) is out of range 0..<\(n): \(name) is \(Self.shapeText(shape))"))
        }
        return .success(TangentSeed(leaf: leaf, element: shape.element(at: index)))
    }

    /// Parses `text` and resolves it in `tape`: the forward seed `--wrt` and `:mode forward`
    /// name.
    public static func seed(_ text: String, in tape: Tape, among leaves: [Int]? = nil) -> Result<TangentSeed, ElementReferenceError> {
        parse(text).flatMap { $0.resolve(in: tape, among: leaves) }
    }

    /// As `resolve(in:among:)`, for commands that need one number (a sweep, a plot, a Taylor
    /// series): the whole of a tensor is refused with an example of an element.
    public func resolveElement(in tape: Tape, among leaves: [Int]? = nil) -> Result<(leaf: Int, element: Int), ElementReferenceError> {
        resolve(in: tape, among: leaves).flatMap { seed in
            let shape = tape.entries[seed.leaf].shape
            if let element = seed.element { return .success((seed.leaf, element)) }
            if shape.count == 1 { return .success((seed.leaf, 0)) }
            let example = ElementReference(name: name, index: shape.dims.map { _ in 0 })
            return .failure(.init(description, "\(name) is \(Self.shapeText(shape)); name one element, as \(example)"))
        }
    }

    /// The whole inputs and params a comma-separated list names (`x, W`), each once, in the
    /// order first named: what `optimize` and `hessian` take as variables. An element
    /// (`W[2,0]`) is refused: they update or differentiate a whole leaf.
    public static func leaves(_ text: String, in tape: Tape) -> Result<[Int], ElementReferenceError> {
        parseList(text).flatMap { references in
            var chosen: [Int] = []
            for reference in references {
                if reference.index != nil {
                    return .failure(.init(reference.description, "name whole inputs and params here (\(reference.name)), not one element"))
                }
                switch reference.resolve(in: tape) {
                case .success(let seed): if !chosen.contains(seed.leaf) { chosen.append(seed.leaf) }
                case .failure(let error): return .failure(error)
                }
            }
            return .success(chosen)
        }
    }

    /// `a scalar`, `[3]`, `[3×2]`, as the messages say it.
    static func shapeText(_ shape: Shape) -> String {
        shape.rank == 0 ? "a scalar" : "of shape " + shape.description
    }
}

/// Why an element reference was refused: the reference as written and what is wrong with it.
/// `description` reads `W[5,0]: index 5 on axis 0 is out of range 0..<3: W is of shape [3×2]`.
public struct ElementReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reference as the user wrote it (trimmed).
    public var reference: String
    public var reason: String

    public init(_ reference: String, _ reason: String) {
        self.reference = reference.trimmingCharacters(in: .whitespaces)
        self.reason = reason
    }

    public var description: String { reference.isEmpty ? reason : "\(reference): \(reason)" }
}
