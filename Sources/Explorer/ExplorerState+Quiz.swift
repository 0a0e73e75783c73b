import GraphCore

// Quiz mode: the explorer asks for the value of the next step instead of showing it. The
// node of the step being asked shows `?` in the graph, the trace and the inspector; the
// answer prompt grades what is typed with a `QuizSession` (GraphCore), which keeps the score.
// A right answer takes the step; a wrong one answers with the chain-rule sentence, the right
// value and the recognised mistake; `?` typed as the answer gives a hint that costs half a
// point; Escape stops the quiz.

extension ExplorerState {
    /// The node whose value (primal), tangent (forward) or adjoint (reverse) is being asked.
    public var quizHidden: Int? {
        guard let q = quiz, let question = q.current else { return nil }
        return question.node
    }

    /// Starts a quiz of `phase` from its first step.
    mutating func startQuiz(_ phase: Phase) {
        playing = false
        rebuildStepper(phase: phase, position: 0)
        selection = nil
        let session = QuizSession(quiz: Quiz(explanation: stepper.explanation))
        guard let first = session.current else {
            quiz = nil
            message = .error("nothing to compute in \(phase.rawValue) mode: this graph has no steps")
            return
        }
        quiz = session
        select(first.node)
        prompt = Prompt(kind: .answer(label: first.label))
        message = .info("quiz, \(phase.rawValue) mode: what is \(first.label)? (step 1 of \(session.total); ? for a hint, Escape stops)")
    }

    /// Grades the text typed at the answer prompt, or gives a hint for `?`.
    mutating func answerQuiz(_ text: String) {
        guard var session = quiz, let question = session.current else { return }
        let typed = text.trimmingCharacters(in: .whitespaces)
        prompt = Prompt(kind: .answer(label: question.label))
        if typed == "?" {
            if let hint = session.hint() {
                message = .info("hint (−\(Format.short(QuizSession.hintCost)) point): \(hint)")
            } else {
                message = .info("no more hints for \(question.label)")
            }
            quiz = session
            return
        }
        let answer: QuizAnswer
        switch QuizAnswer.parse(typed) {
        case .success(let a): answer = a
        case .failure(let e):
            message = .error("\(e.description): type a number, [1, 2] or [[1, 2], [3, 4]] (? for a hint)")
            prompt = Prompt(kind: .answer(label: question.label), text: text)
            return
        }
        switch session.answer(answer) {
        case .right(_, let points)?:
            stepper.next()
            quiz = session
            if let next = session.current {
                select(next.node)
                prompt = Prompt(kind: .answer(label: next.label))
                message = .info("✓ \(question.label) = \(Explanation.inline(question.expected[...], question.shape)) (+\(Format.short(points))); now \(next.label)? score \(session.scoreText)")
            } else {
                if let done = stepper.current { select(done) }
                endQuiz()
                let firstTime = session.results.filter { $0.points == 1 }.count
                message = .info("✓ \(question.label) = \(Explanation.inline(question.expected[...], question.shape)). Quiz done: score \(session.scoreText) (\(firstTime) of \(session.total) right at the first try without a hint; \(session.hintsUsed) hint\(session.hintsUsed == 1 ? "" : "s") taken)")
            }
        case .wrong(let grade)?:
            quiz = session
            let lines = session.quiz.feedback(grade)
            message = .error("✗ " + lines[0], detail: Array(lines.dropFirst()) + ["type the right value to go on (no point for this step)"])
        case nil:
            break
        }
    }

    /// Stops the quiz where it is, saying the score so far.
    mutating func stopQuiz() {
        guard let session = quiz else { return }
        endQuiz()
        message = .info("quiz stopped at step \(session.position + 1) of \(session.total): score \(session.scoreText)")
    }

    /// Leaves quiz mode (a new graph, the end of the quiz).
    mutating func endQuiz() {
        quiz = nil
        if case .answer? = prompt?.kind { prompt = nil }
    }
}
