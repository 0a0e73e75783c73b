import Foundation

/// Practice: the steps of one sweep as questions. Each question is a step of the `Stepper`
/// (the same order), its expected value the value, tangent or adjoint that step produces, and
/// its feedback the step's chain-rule sentence, all read from the `Explanation`; the quiz
/// only compares numbers.
///
///     let quiz = Quiz(explanation: Explanation(tape: tape, values: values, phase: .reverse))
///     let grade = try quiz.grade(0, "1").get()   // step 1 of Baydin's example: v̄₅ = seed = 1
///     grade.ok                                   // true
///     try quiz.grade(2, "1").get().mistake?.kind // .lostSign: v̄₃ = −v̄₅
public struct Quiz: Sendable {
    public let explanation: Explanation
    public let tolerance: QuizTolerance

    /// One step to compute by hand.
    public struct Question: Sendable {
        /// The step of the sweep (0-based) and the node it visits.
        public var step: Int
        public var node: Int
        /// `v₁`, `v̇₁` or `v̄₁`, as the trace labels it.
        public var label: String
        public var expected: [Double]
        public var shape: Shape
        /// The chain rule that gives the value.
        public var sentence: Sentence
    }

    public init(explanation: Explanation, tolerance: QuizTolerance = .standard) {
        self.explanation = explanation
        self.tolerance = tolerance
    }

    public var phase: Phase { explanation.phase }
    public var count: Int { explanation.stepCount }

    /// The question of step `s`.
    public func question(_ s: Int) -> Question {
        let i = explanation.order[s]
        let sentence = explanation.sentence(i)
        return Question(step: s, node: i, label: sentence.label, expected: sentence.result,
                        shape: explanation.tape.entries[i].shape, sentence: sentence)
    }

    public var questions: [Question] { (0..<count).map(question) }

    /// What grading one answer found.
    public struct Grade: Sendable {
        public var question: Question
        public var given: QuizAnswer
        public var ok: Bool
        /// The recognised mistake the answer matches, if it is wrong and matches one.
        public var mistake: Mistake?
        /// The answer has a different number of elements than the node (a shape mistake).
        public var wrongShape: Bool
    }

    /// Grades `text` as the answer to step `s`; a text that is not a number or a tensor
    /// literal is a parse error (the caller says where it came from).
    public func grade(_ s: Int, _ text: String) -> Result<Grade, QuizAnswer.ParseError> {
        QuizAnswer.parse(text).map { grade(s, $0) }
    }

    public func grade(_ s: Int, _ given: QuizAnswer) -> Grade {
        let q = question(s)
        if tolerance.accepts(given, q.expected) && (given.shape.rank < 2 || q.shape.rank < 2 || given.shape == q.shape) {
            return Grade(question: q, given: given, ok: true, mistake: nil, wrongShape: false)
        }
        let mistake = recognise(given, q)
        return Grade(question: q, given: given, ok: false, mistake: mistake,
                     wrongShape: given.values.count != q.expected.count)
    }

    // MARK: - Feedback

    /// The chain-rule sentence with the right value: `v̄₀ = v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀ =
    /// v̄₃·cos v₀ + v̄₂·v₋₁ = (−1)·0.283662 + 1·2 = 1.71634`.
    public static func sentenceText(_ x: Sentence) -> String {
        var parts = [x.label, x.formula]
        if let e = x.expanded, e != x.formula { parts.append(e) }
        if let n = x.withNumbers, !parts.contains(n) { parts.append(n) }
        let value = Explanation.inline(x.result[...], x.shape)
        if parts.last != value { parts.append(value) }
        return parts.joined(separator: " = ")
    }

    /// The first hint (the formula with the partials written out) and the second (the
    /// numbers substituted in), as the explanation writes them.
    public func hints(_ s: Int) -> [String] {
        let x = question(s).sentence
        var out = ["\(x.label) = \(x.formula)" + (x.expanded.map { $0 == x.formula ? "" : " = \($0)" } ?? "")]
        if let n = x.withNumbers { out.append("\(x.label) = \(n)") }
        else if let sub = x.substituted { out.append("\(x.label) = \(sub)") }
        return out
    }

    /// What to say to a wrong answer: the right value with its sentence, and what went wrong.
    public func feedback(_ g: Grade) -> [String] {
        let x = g.question.sentence
        var out = ["\(g.question.label) is \(Explanation.inline(x.result[...], x.shape)), not \(g.given.text):",
                   "  " + Quiz.sentenceText(x)]
        if let m = g.mistake { out.append("  " + m.explanation) }
        else if g.wrongShape { out.append("  \(g.question.label) is \(g.question.shape.isScalar ? "a number" : "a tensor \(g.question.shape)"): the answer has \(g.given.values.count) element\(g.given.values.count == 1 ? "" : "s")") }
        return out
    }
}
