import Foundation
import Testing
import TestSupport

// `output loss, acc` and `--of NAME` (issue 18) through the real binary. The program:
// loss = (w·x − 1)², acc = 10·w at w = 2, x = 3, so by hand loss = 25, acc = 20,
// ∂loss/∂w = 2(wx − 1)·x = 30, ∂loss/∂x = 2(wx − 1)·w = 20, ∂acc/∂w = 10, ∂acc/∂x = 0, and
// loss's Hessian [[2x², 2(2wx − 1)], [2(2wx − 1), 2w²]] = [[18, 22], [22, 8]].
private let program = "param w = 2; input x = 3; loss = (w*x - 1)^2; acc = w * 10; output loss, acc"

@Suite("Several outputs and --of")
struct SeveralOutputsCommandTests {
    @Test func evalPrintsEveryOutputAndTheFirstOnesGradient() async throws {
        let r = try await gradstep("eval", "-e", program)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectEqual(r.stdout, "loss = 25\nacc = 20\n∂loss/∂w = 30\n∂loss/∂x = 20\n")
    }

    @Test func evalJSONListsTheOutputs() async throws {
        let r = try await gradstep("eval", "-e", program, "--json")
        expectEqual(r.stdout, "{\"output\": \"loss\", \"value\": 25, \"outputs\": {\"loss\": 25, \"acc\": 20}, \"gradient\": {\"w\": 30, \"x\": 20}}\n")
        let of = try await gradstep("eval", "-e", program, "--json", "--of", "acc")
        expectEqual(of.stdout, "{\"output\": \"acc\", \"value\": 20, \"outputs\": {\"loss\": 25, \"acc\": 20}, \"gradient\": {\"w\": 10, \"x\": 0}}\n")
    }

    @Test func ofDifferentiatesAnotherOutput() async throws {
        let r = try await gradstep("eval", "-e", program, "--of", "acc")
        expectEqual(r.stdout, "acc = 20\nloss = 25\n∂acc/∂w = 10\n∂acc/∂x = 0\n")
        // Any named node, not only a listed output.
        let single = try await gradstep("eval", "-e", "input x = 3; u = x^2; y = u + x", "--of", "u")
        expectEqual(single.stdout, "u = 9\n∂u/∂x = 6\n")
    }

    @Test func anUnknownOfNameIsAnErrorWithASuggestion() async throws {
        let r = try await gradstep("eval", "-e", program, "--of", "acx")
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: --of acx: there is no node named 'acx'; did you mean 'acc'? (outputs: loss, acc)\n")
        expectTrue(r.stdout.isEmpty)
    }

    @Test func traceSeedsTheChosenOutput() async throws {
        let r = try await gradstep("trace", "-e", program, "--mode", "reverse", "--of", "acc", "--format", "json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        expectEqual(rows.first?["name"] as? String, "acc", "\(r.stdout.prefix(400))")
        expectEqual(rows.first?["formula"] as? String, "seed")
        // ∂acc/∂w = 10 is w's adjoint.
        expectEqual(rows.first { $0["name"] as? String == "w" }?["adjoint"] as? Double, 10)
        let plain = try await gradstep("trace", "-e", program, "--mode", "reverse", "--of", "acc")
        expectContains(plain.stdout, "acc", "\(plain.stdout)")
    }

    @Test func checkHessianAndJacobianTakeOf() async throws {
        let check = try await gradstep("check", "-e", program, "--of", "acc")
        expectEqual(check.status, 0, "\(check.stdout)\(check.stderr)")
        let hessian = try await gradstep("hessian", "-e", program, "--wrt", "w,x", "--json")
        expectEqual(hessian.status, 0, "\(hessian.stderr)")
        expectContains(hessian.stdout, "[[18, 22], [22, 8]]", "\(hessian.stdout)")
        let linear = try await gradstep("hessian", "-e", program, "--wrt", "w,x", "--of", "acc", "--json")
        expectContains(linear.stdout, "[[0, 0], [0, 0]]", "\(linear.stdout)")
        let jacobian = try await gradstep("jacobian", "-e", program, "--of", "acc")
        expectEqual(jacobian.status, 0, "\(jacobian.stderr)")
        expectContains(jacobian.stdout, "10", "\(jacobian.stdout)")
    }

    @Test func exportSeedsTheChosenOutput() async throws {
        let dir = try temporaryFolder()
        // Tape order: w, x, then acc = v₂ (depth 1) before loss = v₄ (depth 3).
        let plain = try await gradstep("export", "-e", program, "--format", "dot", "--out", dir.path)
        expectEqual(plain.status, 0, "\(plain.stderr)")
        let first = try String(contentsOf: dir.appendingPathComponent("expression.dot"), encoding: .utf8)
        expectContains(first, "reverse mode, seed v̄₄ = 1", "\(first)")
        let r = try await gradstep("export", "-e", program, "--format", "dot", "--of", "acc", "--out", dir.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        let dot = try String(contentsOf: dir.appendingPathComponent("expression.dot"), encoding: .utf8)
        expectContains(dot, "reverse mode, seed v̄₂ = 1", "\(dot)")
        let bad = try await gradstep("export", "-e", program, "--of", "nope", "--out", dir.path)
        expectEqual(bad.status, 1)
        expectContains(bad.stderr, "--of nope: there is no node named 'nope'", "\(bad.stderr)")
    }

    @Test func optimizeMinimisesTheChosenOutput() async throws {
        // acc = 10w falls by 10·lr·10 per step whatever x: with lr 0.1, w goes 2, 1, 0, −1 and acc 20, 10, 0, −10.
        let r = try await gradstep("optimize", "-e", program, "--of", "acc", "--lr", "0.1", "--steps", "3", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "\"loss\": [20, 10, 0, -10]", "\(r.stdout)")
    }

    @Test func codegenWritesTheChosenOutputsSweep() async throws {
        let r = try await gradstep("codegen", "-e", program, "--of", "acc", "--lang", "python")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "# seed: ∂acc/∂acc = 1", "\(r.stdout)")
        expectContains(r.stdout, "print('{\"output\": \"acc\"", "\(r.stdout)")
        let first = try await gradstep("codegen", "-e", program, "--lang", "python")
        expectContains(first.stdout, "# seed: ∂loss/∂loss = 1", "\(first.stdout)")
    }

    @Test func malformedOutputListsAreLocatedErrors() async throws {
        let trailing = try await gradstep("eval", "-e", "input x = 1; y = x; output y,")
        expectEqual(trailing.status, 1)
        expectContains(trailing.stderr, "-e:1:30: error: expected an output's name after ',', found end of input", "\(trailing.stderr)")
        let twice = try await gradstep("eval", "-e", "input x = 1; y = x; output y, y")
        expectContains(twice.stderr, "-e:1:31: error: 'y' is listed twice in 'output'", "\(twice.stderr)")
        let second = try await gradstep("eval", "-e", "input x = 1; y = x; z = 2*x; output y; output z")
        expectContains(second.stderr, "error: a second 'output' statement: the output is already 'y'", "\(second.stderr)")
        let unknown = try await gradstep("eval", "-e", "input x = 1; y = x; output y, q")
        expectContains(unknown.stderr, "-e:1:31: error: unknown output 'q'", "\(unknown.stderr)")
    }
}
