import Explorer
import GraphCore
import GraphLanguage
import Testing

/// The stepper's undo log is one flat buffer (issue 23): stepping back must still put back
/// exactly the adjoints each step showed, several elements a term for tensors.
@Suite("Stepper undo log")
struct StepperUndoTests {
    @Test("A reverse sweep over tensors steps back to exactly the adjoints it showed")
    func tensorRewind() throws {
        let graph = try GraphLoader.load(expression: "param w = [1, -2, 3]; param b = [0.5, 0.25, 2]; y = sum(tanh(w * b + w) * w)").get()
        let tape = graph.tape
        var s = Stepper(tape: tape, values: tape.evaluate(), phase: .reverse)
        var history = [s.shownAdjoints]
        while s.next() { history.append(s.shownAdjoints) }
        #expect(history.count == s.count + 1 && s.count >= 5)
        // Some step adds a term of several elements (a [3] operand).
        #expect(zip(history, history.dropFirst()).contains { a, b in zip(a, b).filter { $0 != $1 }.count >= 3 })
        while s.previous() { #expect(s.shownAdjoints == history[s.position]) }
        s.go(to: s.count)
        s.go(to: 2)
        #expect(s.shownAdjoints == history[2])
        s.go(to: 4)
        #expect(s.shownAdjoints == history[4])
    }
}
