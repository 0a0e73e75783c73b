import Foundation
import Testing
import TestSupport

/// `gradstep trace --mode forward --seed TENSOR`: a tangent along any direction v. The
/// output's tangent is the directional derivative D_v y, checked against a central difference
/// along v computed here in Swift, and against the gradient written out by hand.
@Suite("trace --mode forward --seed")
struct ForwardSeedCommandTests {
    @Test func theTangentIsTheDirectionalDerivative() async throws {
        let x = [0.5, -1.0, 2.0], v = [1.0, -2.0, 0.5]
        func f(_ x: [Double]) -> Double { x.map { sin($0) * $0 }.reduce(0, +) }
        let h = 1e-6
        let central = (f(zip(x, v).map { $0 + h * $1 }) - f(zip(x, v).map { $0 - h * $1 })) / (2 * h)
        // ∂f/∂xᵢ = sin xᵢ + xᵢ cos xᵢ, dotted with v.
        let byHand = zip(x, v).map { (sin($0) + $0 * cos($0)) * $1 }.reduce(0, +)
        let r = try await gradstep("trace", "-e", "input x = [0.5, -1, 2]; y = sum(sin(x) * x)",
                                   "--mode", "forward", "--seed", "[1, -2, 0.5]", "--format", "json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((json["title"] as? String)?.contains("ẋ = v, v = [1, −2, 0.5]; v̇₃ = D_v y") == true, "\(r.stdout.prefix(200))")
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.first?["tangent"] as? [Double] == v, "the seed row holds v")
        let tangent = try #require(rows.last?["tangent"] as? Double)
        #expect(abs(tangent - byHand) <= 1e-12 * abs(byHand))
        #expect(abs(tangent - central) <= 1e-7 * abs(central))
    }

    @Test func theDirectionGoesOnTheInputWrtNamesAndScalesWithTangent() async throws {
        // y = a·Σ b at a = 2, b = [1, 3]: along v = [1, −1] on b, D_v y = a·(1 − 1) = 0; along
        // [2, 1], a·3 = 6, and --tangent 0.5 halves it to 3.
        let program = "input a = 2; input b = [1, 3]; y = a * sum(b)"
        let zero = try await gradstep("trace", "-e", program, "--mode", "forward", "--wrt", "b", "--seed", "[1, -1]", "--format", "csv")
        #expect(zero.status == 0, "\(zero.stderr)")
        let r = try await gradstep("trace", "-e", program, "--mode", "forward", "--wrt", "b", "--seed", "[2, 1]",
                                   "--tangent", "0.5", "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.last?["tangent"] as? Double == 3, "\(r.stdout)")
        #expect(zero.stdout.split(separator: "\n").last?.hasSuffix(",0") == true, "\(zero.stdout)")
    }

    /// A matrix's direction reads row by row in the title. C[X] with X = [2, 0, 2] and
    /// y = Σ C[X]²: by hand ∂y/∂C = [[2, 4], [0, 0], [20, 24]] (row 2 is looked up twice), so
    /// along v = [[1, 0], [0, 0], [0, 1]], D_v y = 2 + 24 = 26.
    @Test func aMatrixDirectionThroughAGather() async throws {
        let r = try await gradstep("trace", "-e", "input C = [[1, 2], [3, 4], [5, 6]]; const X = [2, 0, 2]; y = sum(C[X] * C[X])",
                                   "--mode", "forward", "--seed", "[[1, 0], [0, 0], [0, 1]]", "--format", "json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((json["title"] as? String)?.contains("Ċ = v, v = [[1, 0], [0, 0], [0, 1]]") == true, "\(json["title"] ?? "")")
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.last?["tangent"] as? Double == 26)
    }

    /// `export --state forward --seed`: the picture of the same sweep, D_v y = 2x·v = 7 at
    /// x = [0.5, −1, 2], v = [1, −2, 0.5].
    @Test func exportDrawsTheSweepAlongTheDirection() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = "input x = [0.5, -1, 2]; y = sum(x * x)"
        let r = try await gradstep("export", "-e", program, "--state", "forward", "--seed", "[1, -2, 0.5]", "--format", "dot", "--out", dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let dot = try String(contentsOf: dir.appendingPathComponent("expression.dot"), encoding: .utf8)
        #expect(dot.contains("forward mode, seed ẋ = v, v = [1, −2, 0.5]"), "\(dot)")
        #expect(dot.contains("= 7"), "\(dot)")
        let reverse = try await gradstep("export", "-e", program, "--seed", "[1, -2, 0.5]", "--format", "dot", "--out", dir.path)
        #expect(reverse.status == 2 && reverse.stderr.contains("add --state forward"), "\(reverse.stderr)")
        let short = try await gradstep("export", "-e", program, "--state", "forward", "--seed", "[1, 2]", "--format", "dot", "--out", dir.path)
        #expect(short.stderr == "error: --seed has 2 numbers; x is [3], so the direction needs 3\n")
    }

    @Test func misusesAreErrors() async throws {
        let program = "input x = [0.5, -1, 2]; y = sum(x)"
        let reverse = try await gradstep("trace", "-e", program, "--seed", "[1, 2, 3]")
        #expect(reverse.status == 2)
        #expect(reverse.stderr == "error: --seed seeds forward mode's tangents; add --mode forward\n")
        let short = try await gradstep("trace", "-e", program, "--mode", "forward", "--seed", "[1, 2]")
        #expect(short.stderr == "error: --seed has 2 numbers; x is [3], so the direction needs 3\n")
        let element = try await gradstep("trace", "-e", program, "--mode", "forward", "--wrt", "x[1]", "--seed", "[1, 2, 3]")
        #expect(element.status == 2)
        #expect(element.stderr.contains("give --wrt its name, not one element"))
    }
}
