import GraphCore

extension ExplorerState {
    /// `:mode forward x=[1, -2, 0.5]`, or a bare `[1, -2, 0.5]` on the input seeded now:
    /// forward mode's tangent along a direction v, as `gradstep trace --mode forward --seed`
    /// puts it, one number per element of a whole input. The output's tangent is then the
    /// directional derivative D_v y = ∇y · v, in one sweep.
    func directionSeed(_ text: String) -> Result<TangentSeed, CommandError> {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts.count == 2 ? parts[0].trimmingCharacters(in: .whitespaces) : nil
        let literal = String(parts.last ?? "")
        let leaf: Int
        if let name {
            guard let node = graph.differentiableLeaves.first(where: { $0.name == name })?.node else {
                let names = graph.differentiableLeaves.map(\.name).joined(separator: ", ")
                return .failure(CommandError("no input named '\(name)' to seed along a direction (inputs: \(names))"))
            }
            leaf = node
        } else {
            leaf = tangentSeed.leaf
        }
        let count = tape.entries[leaf].count
        guard let v = Self.parseValues(literal), v.allSatisfy(\.isFinite) else {
            return .failure(CommandError("a direction is \(count) number\(count == 1 ? "" : "s") for \(tape.displayName(leaf)), e.g. :mode forward \(tape.displayName(leaf))=[\(Array(repeating: "1", count: min(count, 4)).joined(separator: ", "))\(count > 4 ? ", …" : "")]"))
        }
        guard v.count == count else {
            return .failure(CommandError("the direction has \(v.count) number\(v.count == 1 ? "" : "s"); \(tape.displayName(leaf)) is \(tape.entries[leaf].shape), so it needs \(count)"))
        }
        return .success(TangentSeed(leaf: leaf, direction: v))
    }
}
