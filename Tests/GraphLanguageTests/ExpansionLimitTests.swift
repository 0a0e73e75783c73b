import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// `def` calls written out in place, under hostile input (issue 20): a chain of functions each
/// calling the last, and functions each calling the last twice, answer with the limit they
/// pass, in bounded time and memory; big programs that stay inside load with the right value.
@Suite("def expansion and group blocks: bounded")
struct ExpansionLimitTests {
    static func load(_ text: String) -> Result<Graph, LoadFailure> {
        GraphLoader.load(SourceFile(name: "test.grad", text: text), graphName: "test", mode: .file)
    }

    /// `def f0(a) = a + 1`, `def f_i(a) = f_{i-1}(a) + 1`, …, `y = f_{n-1}(x)`: y = x + n.
    static func chain(_ n: Int) -> String {
        var lines = ["def f0(a) = a + 1"]
        for i in 1..<n { lines.append("def f\(i)(a) = f\(i - 1)(a) + 1") }
        lines += ["input x = 1", "y = f\(n - 1)(x)", "output y"]
        return lines.joined(separator: "\n")
    }

    /// `def d0(a) = a + a`, `def d_i(a) = d_{i-1}(a) + d_{i-1}(a)`: d_i doubles at each level.
    static func doubling(_ n: Int) -> String {
        var lines = ["def d0(a) = a + a"]
        for i in 1..<n { lines.append("def d\(i)(a) = d\(i - 1)(a) + d\(i - 1)(a)") }
        lines += ["input x = 1", "y = d\(n - 1)(x)"]
        return lines.joined(separator: "\n")
    }

    @Test func aChainOf30000FunctionsIsRefusedNamingTheLimit() throws {
        guard case .failure(let f) = Self.load(Self.chain(30_000)) else { Issue.record("loaded"); return }
        let text = f.rendered()
        expectContains(text, "calls of functions nest too deeply")
        expectContains(text, "more than 10,000 levels tall")
        expectNotContains(text, "never called", "the functions a refused call never reached are not called unused")
        expectEqual(f.diagnostics.filter { $0.severity == .error }.count, 1)
    }

    /// 2,000 levels (each body 4 tall with its call: 8,000) fit, and compute x + 2,000.
    @Test func aChainOf2000FunctionsLoadsAndIsRight() throws {
        let g = try Self.load(Self.chain(2_000)).get()
        expectEqual(g.tape.evaluate()[Int(g.tape.entries[g.tape.output].offset)], 2_001)
    }

    /// 40 doubling functions in about 1 KB would write out 8·2³⁹ − 5 nodes (d0 has 3, and
    /// d_i has its own 5 and two of d_{i−1}'s): refused before any is written.
    @Test func doublingFunctionsAreCountedBeforeTheyAreWrittenOut() throws {
        let source = Self.doubling(40)
        expectTrue(source.utf8.count < 1_300)
        var size = 3
        for _ in 1..<40 { size = 5 + 2 * size }
        guard case .failure(let f) = Self.load(source) else { Issue.record("loaded"); return }
        let text = f.rendered()
        expectContains(text, "this call of 'd39' makes \(Limits.grouped(size)) nodes", "\(text)")
        expectContains(text, "at most 4,000,000")
        // Shapes only (`gradstep info`) counts the same way.
        let info = GraphLoader.load(SourceFile(name: "test.grad", text: source), graphName: "test", mode: .file, shapesOnly: true)
        guard case .failure = info else { Issue.record("loaded for its shapes"); return }
        // 12 levels (32,763 nodes) are within the limit and compute 2¹²·x.
        let g = try Self.load(Self.doubling(12)).get()
        expectEqual(g.tape.evaluate()[Int(g.tape.entries[g.tape.output].offset)], 4_096)
    }

    /// A sum of 1,000 terms, the tallest expression the parser takes, is lowered on a stack of
    /// its own: even from a test's thread (and a debug build's 7 KB frames) it loads.
    @Test func theTallestExpressionLoadsFromAnyThread() throws {
        let source = "input x = 1\ny = " + Array(repeating: "x", count: 1_000).joined(separator: " + ")
        let g = try Self.load(source).get()
        expectEqual(g.tape.evaluate()[Int(g.tape.entries[g.tape.output].offset)], 1_000)
    }

    /// 20,000 one-statement blocks in a chain: loading is linear (it took 18 s when each block's
    /// check walked the tape between its constant, among the leaves, and its last node).
    @Test func twentyThousandGroupsLoadInBoundedTime() throws {
        var lines = ["input x = 1"], previous = "x"
        for i in 0..<20_000 {
            lines += ["group g\(i) {", "  v\(i) = \(previous) + 1", "}"]
            previous = "v\(i)"
        }
        let start = Date()
        let g = try Self.load(lines.joined(separator: "\n")).get()
        let seconds = Date().timeIntervalSince(start)
        expectEqual(g.groups.count, 20_000)
        expectEqual(g.tape.evaluate()[Int(g.tape.entries[g.tape.output].offset)], 20_001)
        expectTrue(seconds < 90, "20,000 groups took \(seconds) s (a hang guard; make bench measures loading)")
    }

    /// A block that is not self-contained is still found by the walk along consumers.
    @Test func aSandwichedNodeIsStillFound() {
        let source = "input x = 1\ngroup g {\n  a = x * 2\n  c = b + 1\n}\nb = a * 3\n"
        guard case .failure(let f) = Self.load(source) else { Issue.record("loaded"); return }
        expectContains(f.rendered(), "group 'g' is not self-contained: 'b' is computed from it and used in it")
    }
}
