import GraphCore

// What is left after lowering in dependency order lies on or behind a cycle: each cycle is
// reported once, by name (`cycle: a → b → a`, read "a uses b, which uses a").
extension Lowering {
    /// Names a cycle for each group of statements left waiting on one another.
    mutating func reportCycles(among stuck: [Int]) {
        let stuckSet = Set(stuck)
        var reported: Set<Int> = []
        for start in stuck where !reported.contains(start) {
            var path: [Int] = []
            var position: [Int: Int] = [:]
            var k = start
            while position[k] == nil && !reported.contains(k) {
                position[k] = path.count
                path.append(k)
                guard let e = statements[k].expression,
                      let next = Self.names(in: e).compactMap({ definition(of: $0.name) }).first(where: stuckSet.contains)
                else { break }
                k = next
            }
            guard let at = position[k], !reported.contains(k) else {
                reported.formUnion(path)
                continue
            }
            let cycle = Array(path[at...])
            reported.formUnion(path)
            let first = cycle.min()!
            let rotated = Array(cycle[cycle.firstIndex(of: first)!...] + cycle[..<cycle.firstIndex(of: first)!])
            let text = (rotated + [first]).compactMap { statements[$0].name }.joined(separator: " → ")
            let range = statements[first].nameRange ?? statements[first].range
            error("cycle: \(text)", at: range, hint: "a value cannot depend on itself; rename one of them or break the loop")
        }
    }
}
