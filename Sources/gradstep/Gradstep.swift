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
                      Info.self, ConvertCommand.self],
        defaultSubcommand: Explore.self
    )

    /// Exit statuses: 0 success, 1 bad input or a failed run, 2 a usage error.
    static func main() {
        registerImporters()
        do {
            var command = try parseAsRoot(attachingNegativeNumbers(Array(CommandLine.arguments.dropFirst())))
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

/// `--lr -0.1` as `--lr=-0.1`: ArgumentParser reads a word that starts with `-` as an option,
/// so a negative number after an option was "Missing value for '--lr'". Attached, the value
/// reaches the option, which accepts it or says what it must be ("--lr must be a positive
/// number"). Only a long option without `=` followed by a negative number is joined: no
/// option of gradstep is spelt like a number, and no positional argument is one.
func attachingNegativeNumbers(_ arguments: [String]) -> [String] {
    var out: [String] = []
    var k = 0
    while k < arguments.count {
        let word = arguments[k]
        if word == "--" {
            out += arguments[k...]
            break
        }
        if word.hasPrefix("--"), word.count > 2, !word.contains("="), k + 1 < arguments.count,
           isNegativeNumber(arguments[k + 1]) {
            out.append(word + "=" + arguments[k + 1])
            k += 2
            continue
        }
        out.append(word)
        k += 1
    }
    return out
}

/// `-0.1`, `-3`, `-1e-3`, `-inf`: a minus and then what Double reads as a number.
func isNegativeNumber(_ word: String) -> Bool {
    guard word.hasPrefix("-"), word.count > 1, let first = word.dropFirst().first,
          first.isNumber || first == "." || first == "i" || first == "n" else { return false }
    return Double(word) != nil
}
