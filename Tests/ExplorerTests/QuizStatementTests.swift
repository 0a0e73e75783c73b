import Foundation
import Explorer
import GraphCore
import Screen
import Testing
import TestSupport

/// Issue 24: what the quiz says about itself is true. The summary counts the hints taken, the
/// asked step's code line (the seed's is the seed) is not shown, and the footer names the keys
/// the answer field takes, not those it swallows.
@Suite struct QuizStatementTests {
    func said(_ s: ExplorerState) -> String { s.message.map { ([$0.text] + $0.detail).joined(separator: "\n") } ?? "" }

    @Test func theSummaryCountsTheHintsTaken() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press(":")
        s.enter("quiz reverse")
        for answer in ["1", "1", "-1", "1", "1"] { s.enter(answer) }
        s.enter("?")
        s.enter("?")
        // v̄₀ = 2 − cos 5 after two hints: right, but worth 1 − 2 · ½ = 0.
        s.enter("\(2 - cos(5.0))")
        s.enter("5.5")
        expectContains(said(s), "Quiz done: score 6/7 (6 of 7 right at the first try without a hint; 2 hints taken)", "\(said(s))")
        expectNotContains(said(s), ", no hint)")
    }

    @Test func theAskedStepsCodeIsNotShown() {
        var plain = ExplorerState(graph: baydin(), size: (120, 40))
        plain.press("r", "n")
        let code = plain.screen.split(separator: "\n").filter { $0.contains("numpy:") }
        expectTrue(!code.isEmpty, "without a quiz the seed's step shows its code")
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "Q")
        expectEqual(s.quizHidden, s.tape.output)
        expectNotContains(s.screen, "numpy:", "\(s.screen)")
    }

    @Test func theFooterNamesTheAnswerFieldsKeys() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        let footer = { (s: ExplorerState) in String(s.screen.split(separator: "\n", omittingEmptySubsequences: false).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "") }
        expectContains(footer(s), "next", "\(footer(s))")
        s.press("r", "Q")
        let line = footer(s)
        expectTrue(line.contains("Enter check") && line.contains("Esc stop quiz"), "\(line)")
        expectTrue(!line.contains("next") && !line.contains("quit"), "\(line)")
    }
}
