import Foundation
import Testing
import TestSupport

/// Issue 24's plot statements through the commands a student types.
@Suite struct PlotStatementTests {
    /// optimize … --validation D=FILE --plot e.svg: the early-stopping lesson's two curves.
    @Test func optimizeDrawsTheValidationCurve() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-validation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("e.svg").path
        let r = try await gradstep("optimize", graph("early-stopping.grad"), "--lr", "0.5", "--steps", "30",
                                   "--validation", "D=" + graph("poly-validation.csv"), "--plot", svg)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "validation loss", "\(r.stdout)")
        let picture = try String(contentsOfFile: svg, encoding: .utf8)
        expectTrue(picture.contains("data-name=\"validation loss\"") && picture.contains("data-name=\"training loss\""))
    }

    /// check --sweep: forward differences solid, central dashed, each with its swatch.
    @Test func checkSweepDrawsTheTwoDifferencesApart() async throws {
        let r = try await gradstep("check", "-e", "exp(x)", "--set", "x=1", "--sweep")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectTrue(r.stdout.contains("⣿ forward") && r.stdout.contains("⠒⠀⠒ central"), "\(r.stdout)")
    }

    /// plot --no-derivative draws f alone; --of adds named nodes (a prior beside a posterior).
    @Test func plotDrawsFAloneOrSeveralFunctions() async throws {
        let alone = try await gradstep("plot", "-e", "6*x*(1 - x)", "--wrt", "x", "--from", "0", "--to", "1", "--no-derivative")
        expectEqual(alone.status, 0, "\(alone.stderr)")
        expectTrue(alone.stdout.contains("y against x") && !alone.stdout.contains("y′"), "\(alone.stdout)")
        let both = try await gradstep("plot", "-e", "input x = 0.5; prior = 1 + 0*x; y = 6*x*(1 - x)", "--wrt", "x",
                                      "--from", "0", "--to", "1", "--of", "prior", "--format", "svg")
        expectEqual(both.status, 0, "\(both.stderr)")
        expectTrue(both.stdout.contains("data-name=\"prior\"") && both.stdout.contains("data-name=\"y\""))
        expectNotContains(both.stdout, "data-name=\"y′\"")
        let missing = try await gradstep("plot", "-e", "input x = 0.5; prior = 1 + 0*x; y = 6*x*(1 - x)", "--of", "prio")
        expectTrue(missing.status == 1 && missing.stderr.contains("did you mean 'prior'?"), "\(missing.stderr)")
    }

    /// plot --data: two rows of different classes at (1, 2) are one place the text names.
    @Test func plotDataSaysWhereClassesCoincide() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-coincide-\(UUID().uuidString).csv")
        try "a,b,c\n1,2,0\n1,2,1\n0,0,0\n3,1,1\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try await gradstep("plot", "--data", file.path, "--x", "a", "--y", "b", "--label", "c")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "1 place where points of different classes coincide ((1, 2)): drawn ✱", "\(r.stdout)")
        expectContains(r.stdout, "✱")
    }
}
