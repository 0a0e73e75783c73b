import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Issue 24: the reverse sweep visits only the nodes that lead to the output. A node that
/// does not (cos x below, and an input the output never reads) has adjoint 0 by definition;
/// a step, a zero term and a quiz question for it taught nothing.
@Suite struct DeadNodeTests {
    /// x and u are inputs; cos x and b = cos x · 3 lead nowhere; a = sin x + exp x is the output.
    static let source = "input x = 1; input u = 2; b = cos(x) * 3; a = sin(x) + exp(x); output a"

    func explanation() throws -> Explanation {
        let tape = try GraphLoader.load(expression: Self.source).get().tape
        return Explanation(tape: tape, values: tape.evaluate(), phase: .reverse)
    }

    @Test func theReverseSweepSkipsNodesThatDoNotLeadToTheOutput() throws {
        let x = try explanation()
        let tape = x.tape
        let visited = x.order.map { tape.entries[$0].op }
        // a (add), exp, sin, then the input x: four steps, no cos, no ·3, no u.
        expectEqual(x.stepCount, 4)
        expectEqual(Set(visited), [.add, .exp, .sin, .input])
        expectTrue(!visited.contains(.cos) && !visited.contains(.mul))
        let u = try #require((0..<tape.count).first { tape.names[$0] == "u" })
        expectTrue(x.step(of: u) == nil)
        // Every term comes from a visited consumer, and none is a zero from a dead one.
        expectTrue(x.contributions.allSatisfy { x.step(of: $0.consumer) != nil })
        let input = try #require((0..<tape.count).first { tape.names[$0] == "x" })
        expectEqual(x.received(by: input).count, 2)
        expectTrue(abs(x.slice(x.adjoints, input).first! - (cos(1.0) + exp(1.0))) < 1e-12)
        // The dead ones are named, so the views can say in one line why they are left out.
        expectEqual(Set(x.deadNodes.map { tape.entries[$0].op }), [.cos, .mul, .input])
    }

    @Test func theStepperTheQuizAndTheTraceFollowTheSameSteps() throws {
        let x = try explanation()
        expectEqual(Stepper(explanation: x).count, 4)
        let quiz = Quiz(explanation: x)
        expectEqual(quiz.count, 4)
        expectTrue(!quiz.questions.contains { x.tape.entries[$0.node].op == .cos })
        let trace = Trace(x)
        expectEqual(trace.rows.count, 4)
        expectTrue(trace.rows.allSatisfy { x.step(of: $0.node) != nil })
        let text = trace.render(.text)
        expectContains(text, "do not lead to a: the reverse sweep skips them (their adjoints are 0)", "\(text)")
    }
}
