import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Issue 24: an op whose operands are all constants (`sqrt(4)`, `0.5*0.001`) is no step of a
// sweep: it has no adjoint to take. The tape holds it as one constant with its value (and the
// formula it replaced), and the literals it read are gone.
@Suite("Constant subexpressions are folded where the tape is built")
struct ConstantFoldingTests {
    /// The computed (non-leaf) entries of a tape, by op.
    func computedOps(_ tape: Tape) -> [Op] { (tape.firstComputed..<tape.count).map { tape.entries[$0].op } }

    func constants(_ tape: Tape) -> [[Double]] {
        (0..<tape.firstComputed).filter { tape.entries[$0].op == .constant }.map { Array(tape.leafValues($0)) }
    }

    @Test func sqrtOfFourAndAProductOfLiteralsBecomeConstants() throws {
        let g = try loadExpression("y = x * sqrt(4) + 0.5*0.001", values: [("x", "3")])
        // x · 2 and + 0.0005: two steps, not five (sqrt, the product of literals, mul, add).
        expectEqual(computedOps(g.tape), [.mul, .add])
        // The literals 4, 0.5 and 0.001 were read by the folds and are gone.
        expectEqual(constants(g.tape), [[2], [0.0005]])
        expectEqual(g.tape.count, 5)
        let s = Solved(g)
        // y = 3·2 + 0.5·0.001 = 6.0005; ∂y/∂x = sqrt(4) = 2.
        expectEqual(s.output, 6 + 0.0005)
        try expectEqual(s.gradient("x"), [2])
        expectEqual(g.tape.formula(g.tape.firstComputed), "v₀ · 2")
    }

    @Test func aNamedFoldKeepsItsNameAndTheFormulaItReplaced() throws {
        let g = try loadExpression("c = sqrt(4); y = x * c", values: [("x", "3")])
        let c = try #require(g.node(named: "c"))
        expectEqual(g.tape.entries[c].op, .constant)
        expectEqual(g.tape.names[c], "c")
        expectEqual(g.tape.formula(c), "sqrt 4")
        expectEqual(Array(g.tape.leafValues(c)), [2])
        expectEqual(computedOps(g.tape), [.mul])
    }

    @Test func nestedFoldsAndNegationsFoldAllTheWay() throws {
        // −sqrt(4)·2 + 1 = −3: every op of it reads constants only.
        let g = try loadExpression("y = x + (-sqrt(4) * 2 + 1)", values: [("x", "1")])
        expectEqual(computedOps(g.tape), [.add])
        expectEqual(constants(g.tape), [[-3]])
        expectEqual(Solved(g).output, -2)
    }

    @Test func tensorOpsOfConstantsFoldWithTheirKernels() throws {
        // [1, 2]·[3, 4] = 11; sum([1, 2, 3]) = 6.
        let g = try loadExpression("y = x * ([1, 2] @ [3, 4]) + sum([1, 2, 3])", values: [("x", "2")])
        expectEqual(computedOps(g.tape), [.mul, .add])
        expectEqual(constants(g.tape), [[11], [6]])
        expectEqual(Solved(g).output, 28)
    }

    @Test func aNameForALiteralStillNamesItsNumber() throws {
        // `c = 4` names the literal itself; the fold sqrt(c) must not take it away.
        let g = try loadExpression("c = 4; y = x * sqrt(c)", values: [("x", "3")])
        let c = try #require(g.node(named: "c"))
        expectEqual(Array(g.tape.leafValues(c)), [4])
        expectEqual(computedOps(g.tape), [.mul])
    }

    @Test func anOutputThatIsAllConstantsIsOneNamedConstant() throws {
        let g = try loadExpression("y = sqrt(4)")
        expectEqual(g.tape.entries[g.tape.output].op, .constant)
        expectEqual(g.tape.names[g.tape.output], "y")
        expectEqual(Array(g.tape.leafValues(g.tape.output)), [2])
    }

    @Test func nothingIsFoldedFromADataTableWhichMiniBatchesReplace() throws {
        // X = D @ …: D's rows are swapped for each mini-batch, so X must stay computed.
        let g = try loadGraph("xor-descent.grad")
        let x = try #require(g.node(named: "X")), t = try #require(g.node(named: "t"))
        expectEqual(g.tape.entries[x].op, .matmul)
        expectEqual(g.tape.entries[t].op, .matmul)
    }

    @Test func aShapesOnlyLoadFoldsTheSameNodes() throws {
        // `gradstep info` builds shapes only; it must list the nodes the other commands have.
        let file = SourceFile(name: "t.grad", text: "input x = 3\ny = x * sqrt(4) + 0.5*0.001")
        let g = try GraphLoader.load(file, graphName: "t", mode: .file, shapesOnly: true).get()
        expectEqual(computedOps(g.tape), [.mul, .add])
    }

    @Test func inputsAndParamsAreNeverFolded() throws {
        let g = try loadExpression("input a = 2; param b = 3; y = a * b + sqrt(a)")
        expectEqual(computedOps(g.tape).count, 3)
    }
}
