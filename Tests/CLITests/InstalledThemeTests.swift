import Foundation
import Testing
import TestSupport

/// An installed gradstep (the binary copied out of the repository, run from another folder)
/// has every shipped theme: they are compiled in.
@Suite struct InstalledThemeTests {
    /// A copy of the binary in a fresh folder's `bin/`, and an empty working folder beside it.
    static func install() throws -> (binary: String, home: URL) {
        let root = try temporaryFolder()
        let bin = root.appendingPathComponent("bin"), home = root.appendingPathComponent("home")
        for folder in [bin, home] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let built = ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
        let copy = bin.appendingPathComponent("gradstep")
        // Copied by `cp`, not by this process: a copy written here holds a write descriptor
        // that any child forked meanwhile by a concurrent test inherits, and exec of the copy
        // then fails with ETXTBSY ("Text file busy") until that child execs.
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = [built, copy.path]
        try cp.run()
        cp.waitUntilExit()
        try #require(cp.terminationStatus == 0, "cp \(built) failed")
        return (copy.path, home)
    }

    /// `background = "#ffffff"` in `Themes/NAME.theme`, read here from the file.
    static func colour(_ role: String, in name: String) throws -> String {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Themes/\(name).theme"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(role + " ") })
        return String(try #require(line.split(separator: "\"").dropFirst().first))
    }

    @Test func exportWithThePrintThemeFromAnotherFolder() async throws {
        let (binary, home) = try Self.install()
        defer { try? FileManager.default.removeItem(at: home.deletingLastPathComponent()) }
        let out = home.appendingPathComponent("out")
        let r = try await runProcess(binary, ["export", graph("baydin.grad"), "--theme", "print", "--format", "dot", "--out", out.path], in: home)
        expectEqual(r.status, 0, "\(r.stderr)")
        let dot = try String(contentsOf: out.appendingPathComponent("baydin.dot"), encoding: .utf8)
        // The print theme's adjoint grey, as written in its file.
        expectContains(dot.lowercased(), try Self.colour("adjoint", in: "print").lowercased())
        let dark = try await runProcess(binary, ["export", graph("baydin.grad"), "--theme", "dark", "--format", "dot", "--out", out.path + "-dark"], in: home)
        expectEqual(dark.status, 0, "\(dark.stderr)")
        let darkDot = try String(contentsOf: out.appendingPathComponent("../out-dark/baydin.dot").standardized, encoding: .utf8)
        expectContains(darkDot.lowercased(), try Self.colour("background", in: "dark").lowercased())
        let missing = try await runProcess(binary, ["export", graph("baydin.grad"), "--theme", "nosuch", "--out", out.path], in: home)
        expectEqual(missing.status, 1)
        expectContains(missing.stderr, "available: colorblind, colorblind-light, dark, default, light, print")
    }

    @Test func listThemesNamesEveryShippedTheme() async throws {
        let (binary, home) = try Self.install()
        defer { try? FileManager.default.removeItem(at: home.deletingLastPathComponent()) }
        let r = try await runProcess(binary, ["--list-themes"], in: home)
        expectEqual(r.status, 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).map(String.init) }
        expectEqual(lines.map { $0[0] }, ["colorblind", "colorblind-light", "dark", "default", "light", "print"])
        expectTrue(lines.allSatisfy { $0.count == 2 && $0[1].trimmingCharacters(in: .whitespaces).hasPrefix("built in") }, "\(r.stdout)")
        // In the repository the files are found, and said to be the same as the built-in copies.
        let here = try await runProcess(binary, ["--list-themes"], in: repositoryRoot)
        expectContains(here.stdout, "Themes/dark.theme (the same as the built-in copy)", "\(here.stdout)")
    }
}
