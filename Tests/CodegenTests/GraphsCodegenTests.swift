import Codegen
import Foundation
import Testing
import TestSupport

/// The generated program of every file in Graphs/, in every language that runs, printed by
/// the real `gradstep codegen`, run as a student would run it, and compared with what the
/// real `gradstep eval --json` prints for the same file. Each language's programs run in one
/// interpreter (or one compiled binary): see `executeAll`.
@Suite("Generated code for every graph in Graphs/")
struct GraphsCodegenTests {
    static let files = graphFiles().map(\.lastPathComponent)

    /// `gradstep eval --json` of every file, once for the three languages.
    static let evals = Task {
        try await concurrentMap(GraphsCodegenTests.files) { try await gradstep("eval", "--json", GraphsCodegenTests.path($0)) }
    }

    static func path(_ file: String) -> String { repositoryRoot.appendingPathComponent("Graphs/\(file)").path }

    @Test(arguments: [CodeLanguage.numpy, .python, .c])
    func generatedProgramsPrintWhatEvalPrints(language: CodeLanguage) async throws {
        let generated = try await concurrentMap(Self.files) { try await gradstep("codegen", "--lang", language.rawValue, GraphsCodegenTests.path($0)) }
        let evals = try await Self.evals.value
        let runs = try await executeAll(generated.map(\.stdout), language)
        for (i, file) in Self.files.enumerated() {
            expectEqual(evals[i].status, 0, "\(file): \(evals[i].stderr)")
            expectEqual(generated[i].status, 0, "\(file): \(generated[i].stderr)")
        }
        expectSameJSON(runs, evals.map(\.stdout), Self.files.map { "\($0) in \(language)" })
    }

    @Test func theCoursesNumPyExercisesAreGraphs() {
        expectContains(Self.files, "two-layer-relu.grad")
        expectContains(Self.files, "dropout.grad")
    }
}
