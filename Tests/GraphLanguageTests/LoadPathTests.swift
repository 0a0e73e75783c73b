import GraphCore
@testable import GraphLanguage
import Testing
import TestSupport

/// The load path's fast paths agree with the general ones they skip.
@Suite("Load path")
struct LoadPathTests {
    /// Every line of `text` the slow way: split at each `Character.isNewline`.
    private func slowLines(_ text: String) -> [String] {
        var lines: [String] = [], current = ""
        for c in text {
            if c.isNewline { lines.append(current); current = "" } else { current.append(c) }
        }
        lines.append(current)
        return lines
    }

    @Test(arguments: [
        "", "\n", "a = 1", "a = 1\n", "a = 1\nb = 2\n\n", "x\r\ny", "x\ry", "x\u{0B}y\u{0C}z",
        "θ = 2\nz", "e\u{301}\nx", "a\u{2028}b\u{85}c", "\n\u{301}x", "a\r\n\r\nb", "é",
    ])
    func sourceFileLinesMatchCharacterNewlines(_ text: String) {
        let file = SourceFile(name: "t", text: text)
        let expected = slowLines(text)
        expectEqual(file.lineCount, expected.count, "\(text.debugDescription)")
        for (k, line) in expected.enumerated() {
            expectEqual(file.line(k + 1).map(String.init), line, "\(text.debugDescription) line \(k + 1)")
        }
    }

    @Test func twoOperandApplyMatchesArrayApply() throws {
        for op in Op.allCases where op.kind != .leaf {
            for (sa, sb) in [(Shape.scalar, Shape.scalar), (.vector(3), .scalar), (.matrix(2, 3), .vector(3)),
                             (.matrix(2, 3), .matrix(3, 2)), (.vector(2), .vector(3))] {
                var one = TapeBuilder(), two = TapeBuilder()
                let a1 = one.leaf(.input, sa, Array(repeating: 1, count: sa.count))
                let b1 = one.leaf(.input, sb, Array(repeating: 1, count: sb.count))
                let a2 = two.leaf(.input, sa, Array(repeating: 1, count: sa.count))
                let b2 = two.leaf(.input, sb, Array(repeating: 1, count: sb.count))
                let operands1 = op.arity == 2 ? [a1, b1] : [a1]
                let r1 = Result { () throws(ShapeError) in try one.apply(op, operands1) }
                let r2 = Result { () throws(ShapeError) in try two.apply(op, a2, op.arity == 2 ? b2 : nil) }
                switch (r1, r2) {
                case let (.success(n1), .success(n2)):
                    expectEqual(one.shape(of: n1), two.shape(of: n2), "\(op) \(sa) \(sb)")
                    expectEqual(one.finish(output: n1).tape.entries, two.finish(output: n2).tape.entries)
                case let (.failure(e1), .failure(e2)):
                    expectEqual(e1, e2, "\(op) \(sa) \(sb)")
                default:
                    Issue.record("\(op) \(sa) \(sb): \(r1) vs \(r2)")
                }
            }
        }
    }

    @Test func symbolsAreBuiltOnFirstReadAndCanBeSet() throws {
        var graph = try GraphLoader.load(expression: "input a = 1\nb = a * 2\nc = b + a").get()
        let copy = graph
        expectEqual(graph.symbols.count, 3)
        expectEqual(graph.node(named: "b"), graph.symbols["b"])
        graph.symbols["d"] = 0
        expectEqual(graph.symbols.count, 4)
        expectEqual(copy.symbols.count, 3)
        expectTrue(copy.node(named: "d") == nil)
    }

    @Test func nameTableFindsEverySpellingOnce() {
        var table = NameTable()
        let words = (0 ..< 5_000).map { "v\($0)" } + ["", "θ", "x₁", "input", "sin"]
        let ids = words.map { table.intern(Array($0.utf8)[...]) }
        expectEqual(words.map { table.intern(Array($0.utf8)[...]) }, ids)
        expectEqual(Set(ids).count, words.count)
        for (word, id) in zip(words, ids) {
            expectEqual(table.spelling(id), word)
            expectEqual(table.id(of: word), id)
        }
        expectTrue(table.id(of: "nope") == nil)
    }

    /// A copy of a table (the loop unroller numbers more names in its own) is a value: what
    /// either numbers afterwards, the other does not see.
    @Test func aCopiedNameTableNumbersOnItsOwn() {
        var table = NameTable()
        let a = table.intern(Array("a".utf8)[...])
        var copy = table
        let b = copy.intern(Array("b".utf8)[...])
        let c = table.intern(Array("c".utf8)[...])
        expectEqual(b, c, "both number their first new name alike")
        expectEqual(copy.spelling(b), "b")
        expectEqual(table.spelling(c), "c")
        expectTrue(table.id(of: "b") == nil)
        expectTrue(copy.id(of: "c") == nil)
        expectEqual(copy.id(of: "a"), a)
        expectEqual(table.count, copy.count)
    }

    /// Past its first slots and buffers (1,024 slots, 64 names, 256 bytes), the table grows
    /// and still finds every name, long spellings included.
    @Test func aNameTableGrowsPastItsFirstBuffers() {
        var table = NameTable(expectedNames: 0)
        let words = (0 ..< 3_000).map { "n\($0)" + String(repeating: "_", count: $0 % 40) }
        let ids = words.map { table.intern(Array($0.utf8)[...]) }
        for (word, id) in zip(words, ids) { expectEqual(table.spelling(id), word) }
        expectEqual(words.map { table.id(of: $0) }, ids.map { Optional($0) })
        expectEqual(table.count, NameTable().count + words.count)
    }
}
