import Foundation
import Testing
import TestSupport

/// `gradstep codegen` as a user runs it: graphs from a file, `-e` or the built-in example,
/// `--set`, `--out`, and its errors.
@Suite("gradstep codegen")
struct CodegenCommandTests {
    @Test func anExpressionWithSetRunsAndPrintsWhatEvalPrints() async throws {
        let args = ["-e", "sin(x)*y", "--set", "x=1", "--set", "y=2"]
        let eval = try await run(gradstepPath, ["eval", "--json"] + args)
        let generated = try await run(gradstepPath, ["codegen", "--lang", "python"] + args)
        expectEqual(generated.status, 0, "\(generated.stderr)")
        expectHasPrefix(generated.stdout, "# The forward pass and the reverse sweep of the expression `sin(x)*y`")
        let printed = try await #require(try execute(generated.stdout, .python))
        expectEqual(printed, eval.stdout)
    }

    @Test func withoutAGraphItWritesTheBuiltInExample() async throws {
        let r = try await gradstep("codegen", "--lang", "c")
        expectEqual(r.status, 0)
        expectContains(r.stdout, "of the built-in example (Baydin et al. 2018)")
        let printed = try await #require(try execute(r.stdout, .c))
        expectEqual(printed, "{\"output\": \"y\", \"value\": 11.652071455223084, \"gradient\": {\"x1\": 5.5, \"x2\": 1.7163378145367738}}\n")
    }

    @Test func outWritesTheProgramToAFile() async throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("baydin.py")
        let path = repositoryRoot.appendingPathComponent("Graphs/baydin.grad").path
        let r = try await gradstep("codegen", path, "--out", file.path)
        expectEqual(r.status, 0)
        expectTrue(r.stdout.isEmpty)
        try await expectEqual(String(contentsOf: file, encoding: .utf8), (try gradstep("codegen", path)).stdout)
    }

    @Test func anUnwritableOutIsAnErrorWithStatus1() async throws {
        let r = try await gradstep("codegen", "--out", "/nonexistent-folder/x.py")
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: /nonexistent-folder/x.py: cannot write: the folder /nonexistent-folder does not exist\n")
    }

    @Test func anUnknownLanguageIsAUsageErrorNamingTheChoices() async throws {
        let r = try await gradstep("codegen", "--lang", "fortran")
        expectEqual(r.status, 2)
        expectContains(r.stderr, "fortran")
        expectContains(r.stderr, "numpy")
    }

    @Test func aGraphWithAnErrorIsReportedWithItsPositionAndStatus1() async throws {
        let r = try await gradstep("codegen", "-e", "x^2 + sine(x)", "--set", "x=1")
        expectEqual(r.status, 1)
        expectTrue(r.stdout.isEmpty)
        expectHasPrefix(r.stderr, "-e:1:7: error: unknown function 'sine'")
    }

    @Test func helpNamesTheLanguages() async throws {
        let r = try await gradstep("codegen", "--help")
        expectEqual(r.status, 0)
        expectContains(r.stdout, "--lang <lang>")
        let words = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        expectContains(words, "--lang <lang> The language to write. (values: numpy, python, c, latex; default: numpy)")
    }
}

/// The manual's `codegen` example is what gradstep prints.
@Test func readmeCodegenExampleIsTrue() async throws {
    let readme = try manualText()
    let section = try #require(readme.components(separatedBy: "## `codegen`").dropFirst().first)
    let block = try #require(section.components(separatedBy: "```").dropFirst().first)
    var lines = block.components(separatedBy: "\n").dropFirst()  // the fence's language tag
    let command = try #require(lines.first)
    expectEqual(command, "$ gradstep codegen -e 'h = relu(w*x + b); y = h*h + w' --set w=0.5 --set x=2 --set b=-0.3")
    // The manual leaves out the header and the as_json helper (a `…` line): it shows from the
    // leaves on.
    lines = lines.dropFirst()
    expectEqual(lines.first, "…")
    lines = lines.dropFirst()
    let r = try await gradstep("codegen", "-e", "h = relu(w*x + b); y = h*h + w", "--set", "w=0.5", "--set", "x=2", "--set", "b=-0.3")
    let shown = lines.joined(separator: "\n")
    let printed = try #require(r.stdout.components(separatedBy: "# Inputs and params").last)
    expectEqual(shown, "# Inputs and params" + printed)
}
