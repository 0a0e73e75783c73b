/// A quiz being taken: which step is asked, the hints and tries spent on it, and the score.
///
/// A question is worth one point when answered right at the first try; each hint costs half
/// of it (two hints leave nothing), and after a wrong answer it is worth nothing but must
/// still be answered right to go on (the right value is in the feedback). The explorer and
/// the line-based `gradstep quiz` both keep score with it.
public struct QuizSession: Sendable {
    public let quiz: Quiz
    /// The step being asked (`quiz.count` once every question is answered).
    public private(set) var position: Int
    /// Hints taken and wrong tries on the current question.
    public private(set) var hintsTaken = 0
    public private(set) var wrongTries = 0
    public private(set) var score = 0.0
    /// Hints taken over the whole quiz.
    public private(set) var hintsUsed = 0
    /// Per answered question: its grade as first given (the mistake, if any) and its points.
    public private(set) var results: [(grade: Quiz.Grade, points: Double)] = []

    /// What one hint costs.
    public static let hintCost = 0.5

    public init(quiz: Quiz, from position: Int = 0) {
        self.quiz = quiz
        self.position = max(0, min(position, quiz.count))
    }

    public var isFinished: Bool { position >= quiz.count }
    public var total: Int { quiz.count }
    public var current: Quiz.Question? { isFinished ? nil : quiz.question(position) }

    /// What happened to an answer.
    public enum Outcome: Sendable {
        /// Right: the step is taken. `points` is what the question scored.
        case right(Quiz.Grade, points: Double)
        /// Wrong: the step stays; the feedback says why.
        case wrong(Quiz.Grade)
    }

    /// Grades `answer` for the current question; a right answer moves on.
    public mutating func answer(_ answer: QuizAnswer) -> Outcome? {
        guard !isFinished else { return nil }
        let g = quiz.grade(position, answer)
        guard g.ok else {
            if wrongTries == 0 { results.append((g, 0)) }
            wrongTries += 1
            return .wrong(g)
        }
        let points = wrongTries > 0 ? 0 : max(0, 1 - Double(hintsTaken) * Self.hintCost)
        if wrongTries == 0 { results.append((g, points)) }
        score += points
        position += 1
        hintsTaken = 0
        wrongTries = 0
        return .right(g, points: points)
    }

    /// Grades an answer and moves on whether it is right or not (the line-based session and
    /// an answers file: one answer per step).
    public mutating func answerOnce(_ answer: QuizAnswer?) -> Quiz.Grade? {
        guard !isFinished else { return nil }
        guard let answer else {
            position += 1
            hintsTaken = 0
            return nil
        }
        let g = quiz.grade(position, answer)
        let points = g.ok ? max(0, 1 - Double(hintsTaken) * Self.hintCost) : 0
        results.append((g, points))
        score += points
        position += 1
        hintsTaken = 0
        wrongTries = 0
        return g
    }

    /// The next hint for the current question (it costs `hintCost`), or nil when there are no
    /// more.
    public mutating func hint() -> String? {
        guard !isFinished else { return nil }
        let all = quiz.hints(position)
        guard hintsTaken < all.count else { return nil }
        hintsTaken += 1
        hintsUsed += 1
        return all[hintsTaken - 1]
    }

    /// `score 3.5/5`.
    public var scoreText: String { "\(Format.short(score))/\(total)" }
}
