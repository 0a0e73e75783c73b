import GraphCore
@testable import GraphExport
import Testing
import TestSupport

// Issue 24: one mark for a number the sweep has not reached, defined once (`Format.pending`)
// and used by the explorer and by pictures alike; `?` is only the quiz's question.
@Suite("Pictures mark a pending value as the explorer does")
struct PendingMarkTests {
    @Test(arguments: Phase.allCases)
    func everyFrameMarksPendingValuesWithTheOneMark(phase: Phase) throws {
        let frames = DotWriter.frames(tape: try baydinTape(), name: "baydin", phase: phase)
        // Step 0 has something pending in every phase (the output at least).
        expectContains(frames[0].dot, "= " + Format.pending)
        for frame in frames {
            expectNotContains(frame.dot, "= ?", "\(phase) step \(frame.position)")
        }
        expectTrue(Format.pending == "…" && Format.asked == "?")
    }
}
