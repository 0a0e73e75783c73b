import Foundation
import GraphCore
@testable import GraphExport
import Testing
import TestSupport

/// `--frames` draws each frame when its file is written, not all of them while planning, and
/// refuses a job whose frames would draw more than `Limits.maximumFrameDrawings` nodes (issue
/// 20: 4,900 nodes × 9,800 frames grew to 8 GB before anything was written).
@Suite("Frames: drawn as written, and capped")
struct FrameBudgetTests {
    /// Baydin's reverse frames: 6 of the primal sweep and 8 of the reverse one.
    @Test func theFrameCountIsEveryStepOfEachSweepPlusTheStart() throws {
        let job = ExportJob(name: "baydin", tape: try baydinTape(), state: .reverse, format: .svg, frames: true,
                            outDir: URL(fileURLWithPath: "/nonexistent"))
        expectEqual(job.frameCount, 14)
        expectTrue(job.framesRefusal == nil)
    }

    /// A plan holds what to draw, not the drawings (a picture's frames are drawn as their files
    /// are written; DOT frames, which the page holds as text anyway, are drawn once while
    /// planning); what is written is what `DotWriter.frames` draws, frame for frame (without
    /// captions: the page shows the step's sentence).
    @Test func framesAreDrawnWhenWrittenAndAreTheSame() async throws {
        let folder = try temporaryFolder()
        let tape = try baydinTape()
        let pictures = ExportJob(name: "baydin", tape: tape, state: .reverse, format: .svg, frames: true, outDir: try temporaryFolder())
        let lazy = try await BatchExport().plan(pictures).filter { if case .frame = $0.content { true } else { false } }
        expectEqual(lazy.count, 14)
        let job = ExportJob(name: "baydin", tape: tape, state: .reverse, format: .dot, frames: true, outDir: folder)
        await expectTrue(BatchExport().run([job]).succeeded)
        let frames = folder.appendingPathComponent("baydin-frames")
        for phase in [Phase.primal, .reverse] {
            for frame in DotWriter.frames(tape: tape, name: "baydin", phase: phase, captions: false) {
                let file = frames.appendingPathComponent("baydin-\(phase.rawValue)-0\(frame.position).dot")
                try expectEqual(String(contentsOf: file, encoding: .utf8), frame.dot, "\(file.lastPathComponent)")
            }
        }
    }

    /// A chain of 1,000 nodes has 1,000 steps forward: 1,001 frames of 1,001 boxes, past the
    /// limit, refused at once with the count.
    @Test func tooManyDrawingsAreRefusedBeforeAnyIsDrawn() throws {
        var b = TapeBuilder()
        var x = b.leaf(.input, .scalar, [0.5], name: "x")
        for _ in 0..<1_000 { x = try b.apply(.sin, x) }
        let job = ExportJob(name: "chain", tape: b.finish(output: x).tape, state: .forward, format: .svg, frames: true,
                            outDir: URL(fileURLWithPath: "/nonexistent"))
        let start = Date()
        let refusal = try #require(job.framesRefusal)
        expectContains(refusal, "1,001 pictures of 1,001 nodes each (1,002,001 nodes drawn)", "\(refusal)")
        expectContains(refusal, "at most 1,000,000")
        expectTrue(Date().timeIntervalSince(start) < 60, "a hang guard: drawing them would take hours")
    }
}
