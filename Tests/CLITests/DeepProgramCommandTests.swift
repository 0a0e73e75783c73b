import Foundation
import Testing
import TestSupport

/// Deep programs through every command that walks them (issue 20): a chain of 2,000 `def`s
/// (written out, a chain of 2,000 nodes) gives the right answer in eval, info, codegen, export
/// and diff; a chain of 3,000 (the issue's, which crashed all of them) is refused by each with
/// the limit, not a crash. Each run under
/// a timeout; a crash would show as a signal's status.
@Suite("Deep def chains through the commands")
struct DeepProgramCommandTests {
    static func chainFile(_ n: Int) throws -> URL {
        var lines = ["def f0(a) = a + 1"]
        for i in 1..<n { lines.append("def f\(i)(a) = f\(i - 1)(a) + 1") }
        lines += ["input x = 1", "y = f\(n - 1)(x)", "output y"]
        let file = try temporaryFolder().appendingPathComponent("chain\(n).grad")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static let commands: [[String]] = [["eval"], ["info"], ["codegen", "--lang", "python"], ["codegen", "--lang", "c"],
                                       ["export", "--format", "dot"], ["diff"]]

    @Test(arguments: commands)
    func aChainOf2000FunctionsWorks(command: [String]) async throws {
        let file = try Self.chainFile(2_000)
        var arguments = command + [file.path]
        if command[0] == "export" { arguments += ["--out", file.deletingLastPathComponent().path] }
        let r = try await gradstep(arguments)
        expectEqual(r.status, 0, "\(command): \(r.stderr.prefix(500))")
        if command == ["eval"] { expectHasPrefix(r.stdout, "y = 2001\n", "\(r.stdout.prefix(200))") }
    }

    @Test(arguments: commands)
    func aChainOf3000FunctionsIsRefused(command: [String]) async throws {
        let file = try Self.chainFile(3_000)
        let r = try await gradstep(command + [file.path])
        expectEqual(r.status, 1, "\(command): \(r.stderr.prefix(500))")
        expectContains(r.stderr, "calls of functions nest too deeply")
        expectContains(r.stderr, "more than 10,000 levels tall")
    }

    @Test func aConvolutionTooMuchWorkIsAClearError() async throws {
        let r = try await gradstep("eval", "-e", "sum(conv2d(x, w))", "--set", "x=zeros([1, 1000, 1000])", "--set", "w=zeros([1, 1, 500, 500])")
        expectEqual(r.status, 1, "\(r.stderr)")
        expectContains(r.stderr, "multiply-adds per evaluation; one op may take at most 1,000,000,000", "\(r.stderr)")
        expectTrue(r.seconds < 120, "a hang guard: running it would take hours")
    }
}
