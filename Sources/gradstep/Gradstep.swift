import ArgumentParser
import Foundation

/// `gradstep`: see automatic differentiation happen. Argument parsing and wiring only; the
/// work is done by GraphCore, GraphLanguage and the other modules.
@main
struct Gradstep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradstep",
        abstract: "See automatic differentiation happen: step through forward and reverse mode, node by node.",
        discussion: """
            With no subcommand, gradstep opens the explorer on FILE, on -e EXPR, or on the \
            built-in example (ln(x1) + x1*x2 − sin(x2) from Baydin et al. 2018).
            """,
        version: gradstepVersion,
        subcommands: [Explore.self, Eval.self, Trace.self, Export.self, Bench.self, Generate.self,
                      OptimizeCommand.self, HessianCommand.self,
                      QuizCommand.self,
                      CodegenCommand.self,
                      Check.self, JacobianCommand.self, Taylor.self, PlotCommand.self,
                      Diff.self, LimitCommand.self,
                      Info.self],
        defaultSubcommand: Explore.self
    )

    /// Exit statuses: 0 success, 1 bad input or a failed run, 2 a usage error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data(failure.text.utf8))
            Foundation.exit(failure.status)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            // ArgumentParser reports usage errors as EX_USAGE (64); gradstep's contract is 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// An error already rendered for the user, with the exit status it implies.
struct Failure: Error {
    var text: String
    var status: Int32 = 1
}
