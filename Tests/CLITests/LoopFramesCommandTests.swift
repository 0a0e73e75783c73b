import Foundation
import Testing
import TestSupport

/// The BPTT exercise (`Graphs/bptt-rnn.grad`) exported as frames: one picture per step of the
/// primal pass and of the reverse sweep, every iteration of the loop drawn as one folded box
/// t=0 … t=3 in each (with --detail full, so the fit-to-slide folding does not merge them).
@Suite("Frames of a loop, folded by iteration")
struct LoopFramesCommandTests {
    @Test func everyFrameDrawsEachIterationAsOneBox() async throws {
        let dir = try temporaryFolder()
        let r = try await gradstep("export", graph("bptt-rnn.grad"), "--frames", "--format", "dot", "--detail", "full", "--out", dir.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        let folder = dir.appendingPathComponent("bptt-rnn-frames")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        expectContains(files, "index.html")
        let reverse = files.filter { $0.hasPrefix("bptt-rnn-reverse-") }
        let primal = files.filter { $0.hasPrefix("bptt-rnn-primal-") }
        // A step per node the sweep visits: 40 computed nodes forward, 44 adjoint steps back,
        // each numbering from 00 (the picture before the first step).
        expectEqual(primal.count, 41, "\(primal.count)")
        expectEqual(reverse.count, 45, "\(reverse.count)")
        for name in [primal[20], reverse[5], reverse[40]] {
            let dot = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for t in 0..<4 {
                expectEqual(dot.components(separatedBy: "<B>t=\(t)</B>").count, 2, "\(name): t=\(t) is not one box")
            }
            expectEqual(dot.components(separatedBy: "nodes · folded</FONT>").count, 5, "\(name): not four folded boxes")
        }
    }
}

/// The trace of the BPTT exercise says which time step every row belongs to: its name
/// (`h@t=2`) or, for a node without one, its iteration's group (`(t=2)`).
@Suite("The trace of a loop names each row's iteration")
struct LoopTraceCommandTests {
    @Test func everyComputedRowNamesItsIteration() async throws {
        let r = try await gradstep("trace", graph("bptt-rnn.grad"), "--mode", "reverse")
        expectEqual(r.status, 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("v̄") }
        // 40 computed nodes (10 per step) and the leaves W, U, b, h0 get adjoints.
        expectEqual(rows.count, 44, "\(r.stdout)")
        for t in 0..<4 {
            let inStep = rows.filter { $0.contains("(t=\(t))") || $0.contains("@t=\(t) ") }
            expectEqual(inStep.count, 10, "t=\(t): \(inStep.count) rows")
        }
        // The leaves are in no iteration.
        expectEqual(rows.filter { $0.contains("t=") }.count, 40)
    }
}

/// A loop through the commands that differentiate: h ← h² twice is y = x⁴, so by hand
/// y′ = 4x³ = 32 and y″ = 12x² = 48 at x = 2.
@Suite("A loop through hessian, check and jacobian")
struct LoopDerivativeCommandTests {
    static let program = "input x = 2; h = x; for t in 0..<2 { h = h * h }; y = h"

    @Test func secondAndFirstDerivativesByHand() async throws {
        let hessian = try await gradstep("hessian", "-e", Self.program, "--json")
        expectEqual(hessian.status, 0, "\(hessian.stderr)")
        expectHasPrefix(hessian.stdout, "{\"names\": [\"x\"], \"hessian\": [[48]], \"eigenvalues\": [48], \"gradient\": {\"x\": 32}", "\(hessian.stdout)")
        let check = try await gradstep("check", "-e", Self.program)
        expectEqual(check.status, 0, "\(check.stdout)")
        expectContains(check.stdout, "1 entries: 1 pass, 0 kink, 0 fail", "\(check.stdout)")
        let jacobian = try await gradstep("jacobian", "-e", Self.program)
        expectContains(jacobian.stdout, "∂y  32", "\(jacobian.stdout)")
    }
}
