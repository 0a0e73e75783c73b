import Codegen
import Foundation
import Testing
import TestSupport

/// The generated program of every file in Graphs/, in every language that runs, printed by
/// the real `gradstep codegen`, run as a student would run it, and compared with what the
/// real `gradstep eval --json` prints for the same file. One program at a time (`.serialized`):
/// dozens of python3 and cc processes at once would slow the other suites' timed subprocesses.
@Suite("Generated code for every graph in Graphs/", .serialized)
struct GraphsCodegenTests {
    static let files = graphFiles().map(\.lastPathComponent)

    @Test(arguments: files, [CodeLanguage.numpy, .python, .c])
    func generatedProgramPrintsWhatEvalPrints(file: String, language: CodeLanguage) async throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/\(file)").path
        let eval = try await gradstep("eval", "--json", path)
        #expect(eval.status == 0, "\(eval.stderr)")
        let generated = try await gradstep("codegen", "--lang", language.rawValue, path)
        #expect(generated.status == 0, "\(generated.stderr)")
        let printed = try await #require(try execute(generated.stdout, language))
        expectSameJSON(printed, eval.stdout, "\(file) in \(language)")
    }

    @Test func theCoursesNumPyExercisesAreGraphs() {
        #expect(Self.files.contains("two-layer-relu.grad"))
        #expect(Self.files.contains("dropout.grad"))
    }
}
