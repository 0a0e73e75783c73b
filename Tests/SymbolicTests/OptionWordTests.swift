import Symbolic
import Testing

/// `keepdim=true`, `unbiased=true`, `mode=eval` name options, not inputs: `gradstep diff -e`
/// gave them the placeholder value 1 as if they were free names, and the load then failed with
/// "--set true: there is no input, param or const named 'true'".
@Suite("Free names skip option words")
struct OptionWordTests {
    @Test func optionWordsAreNotFreeNames() {
        #expect(SymbolicFunction.freeNames(of: "y = var(x, unbiased=true)") == ["x"])
        #expect(SymbolicFunction.freeNames(of: "y = sum(x - max(x, axis=1, keepdim=true))") == ["x"])
        #expect(SymbolicFunction.freeNames(of: "y = dropout(h, 0.5, 1, mode=eval)") == ["h"])
        // A name given to another keyword is still a name the expression uses.
        #expect(SymbolicFunction.freeNames(of: "y = sum(x, axis=k)") == ["x", "k"])
    }

    @Test func anExpressionWithAnOptionWordLoads() throws {
        let g = try SymbolicFunction.loadExpression("input x = [1, 2, 4]; y = var(x, unbiased=true)").get()
        #expect(g.node(named: "y") != nil)
    }
}
