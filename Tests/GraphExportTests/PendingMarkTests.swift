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
        #expect(frames[0].dot.contains("= " + Format.pending))
        for frame in frames {
            #expect(!frame.dot.contains("= ?"), "\(phase) step \(frame.position)")
        }
        #expect(Format.pending == "…" && Format.asked == "?")
    }
}
