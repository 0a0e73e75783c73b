import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage

/// `gradstep quiz`: compute each step of a sweep by hand. On a terminal (or a pipe) it asks
/// one step at a time; with `--answers` it grades a file of answers in one go, for
/// autograders.
struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Practice a sweep: type the value of each step, or grade a file of answers.",
        discussion: """
            Each step of the sweep (the steps of `gradstep trace --mode M`) is a question: the \
            value (primal), the tangent (forward) or the adjoint (reverse) it computes, typed as \
            a number, a vector [1, 2], a matrix [[1, 2], [3, 4]] or, for an image with \
            channels, one more level of brackets per extent. An answer is right within a \
            relative error of 1e-3 (--tolerance) or to the 3 significant digits gradstep shows \
            it with (−0.0143 for −0.014276), or with --digits to the digits it shows. A \
            wrong answer gets the chain-rule sentence with the right value and, where it matches \
            one, the mistake that gives it (missing-term, wrong-node, lost-sign, seed-forgotten, \
            seed-twice, wrong-operand, transposed, unscaled-mask). Typing ? asks for a hint \
            (each costs half a point).

            --answers FILE grades one answer per line in step order (blank lines and # comments \
            skipped, - for no answer). --json prints exactly {"steps": [{"node": "v̄₀", \
            "expected": ..., "given": ..., "ok": true, "mistake": null}, ...], "score": k, \
            "total": n}. The exit status is 0 whether or not the answers are right, 1 for bad \
            input (an answer line that is not a value names FILE:LINE).
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @Option(help: "The sweep to practise: primal, forward or reverse.")
    var mode: Phase = .reverse

    @Option(help: ArgumentHelp("A file of answers, one per line in step order, graded in one go.", valueName: "file"))
    var answers: String?

    @Flag(help: "Print the graded steps and the score as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Relative error an answer may have.", valueName: "r"))
    var tolerance: Double = 1e-3

    @Flag(help: "Accept an answer when it is right to the digits it shows (1.72 for 1.7163).")
    var digits = false

    @Option(help: ArgumentHelp("Forward mode: the input, or one element of it (W[2,0]), whose tangent is seeded.", valueName: "name"))
    var wrt: String?

    // Unconditional, so a negative seed (`--seed-adjoint -1`) is a value, not an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Reverse mode: the output's adjoint seed, a finite number or a tensor of the output's shape (a vector-Jacobian product).", valueName: "v"))
    var seedAdjoint: String?

    @OptionGroup var handout: QuizVariantOptions

    func validate() throws {
        guard tolerance > 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a positive number") }
        _ = try OutputSeed(seedAdjoint)
        try handout.validate(answers: answers, json: json, values: graph.values)
    }

    /// The quiz of `g`'s sweep in the chosen mode, with the chosen seeds.
    func quiz(of g: Graph) throws -> Quiz {
        let seed = try g.tangentSeed(wrt)
        let explanation: Explanation
        switch try OutputSeed(seedAdjoint) {
        case .number(let s):
            explanation = Explanation(tape: g.tape, values: g.tape.evaluate(), phase: mode, tangentSeed: seed, outputSeed: s)
        case .tensor(let literal):
            try OutputSeed.check(literal, seedAdjoint, g)
            explanation = Explanation(tape: g.tape, values: g.tape.evaluate(), phase: mode, tangentSeed: seed,
                                      outputSeedTensor: literal.values)
        }
        return Quiz(explanation: explanation, tolerance: digits ? .digitsShown : .relative(tolerance))
    }

    func run() throws {
        if handout.format == .moodle { return try writeVariants() }
        let g = try graph.load(of: choice.of)
        let quiz = try quiz(of: g)
        var session = QuizSession(quiz: quiz)
        var givens: [QuizAnswer?] = []
        if let answers {
            for answer in try Self.readAnswers(answers, steps: quiz.count) {
                givens.append(answer)
                if let grade = session.answerOnce(answer), !json { report(grade, quiz) }
                if answer == nil && !json { print("– \(quiz.question(givens.count - 1).label): no answer") }
            }
            while !session.isFinished {
                givens.append(nil)
                _ = session.answerOnce(nil)
                if !json { print("– \(quiz.question(givens.count - 1).label): no answer") }
            }
        } else {
            givens = ask(&session, g.name)
        }
        if json {
            print(Self.json(quiz, givens, session))
        } else {
            print("score \(session.scoreText)")
        }
    }

    /// The line-based session: one prompt per step on standard output, answers from standard
    /// input; `?` gives a hint, a line that is not a value is asked again. Stops at the end of
    /// input (the remaining steps unanswered).
    func ask(_ session: inout QuizSession, _ name: String) -> [QuizAnswer?] {
        let quiz = session.quiz
        var givens: [QuizAnswer?] = []
        print("\(mode.rawValue) mode on \(name): \(quiz.count) step\(quiz.count == 1 ? "" : "s"). Type each value (a number, [1, 2] or [[1, 2], [3, 4]]); ? for a hint (half a point).")
        while let q = session.current {
            print("[\(q.step + 1)/\(quiz.count)] \(q.label) = ", terminator: "")
            fflush(nil)
            guard let line = readLine() else {
                print("")
                break
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text == "?" {
                print(session.hint().map { "hint: \($0)" } ?? "no more hints")
                continue
            }
            switch QuizAnswer.parse(text) {
            case .failure(let e): print("\(e.description); type a number, [1, 2] or [[1, 2], [3, 4]]")
            case .success(let answer):
                givens.append(answer)
                if let grade = session.answerOnce(answer) { report(grade, quiz) }
            }
        }
        while givens.count < quiz.count { givens.append(nil) }
        return givens
    }

    func report(_ grade: Quiz.Grade, _ quiz: Quiz) {
        if grade.ok {
            print("✓ \(grade.question.label) = \(grade.given.text)")
        } else {
            print("✗ " + quiz.feedback(grade).joined(separator: "\n"))
        }
    }

    /// The answers of a file, one per step: blank lines and `#` comments skipped, `-` for
    /// no answer. An unreadable line is an error naming FILE:LINE:COL with the line and a caret.
    /// The most an answers file may hold (a file or a pipe such as /dev/stdin), and the
    /// longest answer line: a quiz step is typed by hand, and /dev/zero must not fill memory.
    static let maximumAnswerBytes = 4 << 20, maximumLineBytes = 64 << 10

    /// The line and column of the first scalar of `data` that is not UTF-8 (a file saved in
    /// Latin-1 is fixed where it goes wrong).
    static func firstNonUTF8(_ data: Data) -> (line: Int, column: Int) {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while case .scalarValue(let u) = decoder.decode(&iterator) {
            if u == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
        }
        return (line, column)
    }

    static func readAnswers(_ path: String, steps: Int) throws -> [QuizAnswer?] {
        let shownPath = Format.echoed(path, limit: 200)
        try InputFile.check(path, allowingPipes: true)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw Failure(text: "error: answers file '\(shownPath)' is a folder; give a text file of answers, one per line\n")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(text: "error: cannot read answers file '\(shownPath)' (missing or unreadable)\n")
        }
        // One byte past the limit tells a file that is too long from one that fits exactly.
        guard let read = try? handle.read(upToCount: maximumAnswerBytes + 1) ?? Data() else {
            throw Failure(text: "error: cannot read answers file '\(shownPath)'\n")
        }
        guard read.count <= maximumAnswerBytes else {
            throw Failure(text: "error: answers file '\(shownPath)' holds more than \(Limits.describe(bytes: maximumAnswerBytes)); one answer per line, one line per step\n")
        }
        guard let text = String(data: read, encoding: .utf8) else {
            let (line, column) = firstNonUTF8(read)
            throw Failure(text: "\(shownPath):\(line):\(column): error: this is not UTF-8 text; save the answers as UTF-8\n")
        }
        var out: [QuizAnswer?] = []
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard raw.utf8.count <= maximumLineBytes else {
                throw Failure(text: "\(shownPath):\(k + 1): error: the answer is \(Limits.describe(bytes: raw.utf8.count)) long; an answer line may hold at most \(Limits.describe(bytes: maximumLineBytes))\n")
            }
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let start = line.count - String(line.drop { $0 == " " || $0 == "\t" }).count + 1
            func fail(_ why: String, at offset: Int = 0, _ hint: String) -> Failure {
                // A long line is shown as a window around the caret, cut with …, as diagnostics are.
                let column = start + offset
                let from = max(column - 1 - 30, 0)
                let window = Format.echoed(line.dropFirst(from), limit: 72)
                let caret = String(repeating: " ", count: column - 1 - from + (from > 0 ? 1 : 0)) + "^"
                return Failure(text: "\(shownPath):\(k + 1):\(column): error: \(Format.echoed(why, limit: 160))\n  \(from > 0 ? "…" : "")\(window)\n  \(caret)\n  hint: \(hint)\n")
            }
            guard out.count < steps else {
                throw fail("more answers than the \(steps) step\(steps == 1 ? "" : "s") of the sweep", "one answer per step, in step order (gradstep trace shows the steps)")
            }
            if trimmed == "-" { out.append(nil); continue }
            switch QuizAnswer.parse(trimmed) {
            case .success(let a): out.append(a)
            case .failure(let e): throw fail(e.description, at: e.offset, "an answer is a number (1.5), a vector [1, 2] or a matrix [[1, 2], [3, 4]]; - for none")
            }
        }
        return out
    }

    /// `{"steps": [{"node": …, "expected": …, "given": …, "ok": …, "mistake": …}, …], "score": k, "total": n}`.
    static func json(_ quiz: Quiz, _ givens: [QuizAnswer?], _ session: QuizSession) -> String {
        var steps: [JSON] = []
        var graded = session.results.makeIterator()
        for (s, given) in givens.enumerated() {
            let q = quiz.question(s)
            var ok = false, mistake: JSON = nil, givenValue: JSON = nil
            if let given {
                let grade = graded.next()?.grade ?? quiz.grade(s, given)
                ok = grade.ok
                mistake = grade.mistake.map { .string($0.kind.rawValue) } ?? nil
                givenValue = .tensor(given.values, given.shape)
            }
            steps.append(["node": .string(q.label), "expected": .tensor(q.expected, q.shape), "given": givenValue, "ok": .bool(ok),
                          "mistake": mistake])
        }
        let report: JSON = ["steps": .array(steps), "score": .number(session.score), "total": .int(quiz.count)]
        return report.text
    }
}
