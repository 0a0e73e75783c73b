import Foundation
import Testing
import TestSupport

/// `gradstep info` (shapes and parameter counts) and the probability graphs run through the
/// optimiser, as a script sees them.
@Suite("info command and the probability graphs")
struct InfoCommandTests {
    @Test func infoJSONIsExactlyTheContract() async throws {
        let r = try await gradstep("info", "-e", "param W = zeros([2, 3]); param b = ones([2]); input x = [1, 2, 3]; y = sum(W @ x + b)", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectEqual(r.stdout, """
            {"nodes": [{"name": "W", "op": "param", "shape": [2, 3]}, {"name": "b", "op": "param", "shape": [2]}, \
            {"name": "x", "op": "input", "shape": [3]}, {"name": "v₁", "op": "matmul", "shape": [2]}, \
            {"name": "v₂", "op": "add", "shape": [2]}, {"name": "y", "op": "sum", "shape": []}], \
            "params": {"W": {"shape": [2, 3], "count": 6}, "b": {"shape": [2], "count": 2}}, "param_count": 8}

            """)
    }

    @Test func theCoursesNetworkHas140WeightsAnd162Parameters() async throws {
        // E03: 5 → 7 → 7 → 7 → 1. Weights 5·7 + 7·7 + 7·7 + 7·1 = 140 (the course asks without
        // biases); with nn.Linear's biases 7 + 7 + 7 + 1 more, 162.
        let r = try await gradstep("info", graph("mlp-5-7-7-7-1.grad"), "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let params = try #require(json["params"] as? [String: [String: Any]])
        let weights = ["W1": [7, 5], "W2": [7, 7], "W3": [7, 7], "W4": [1, 7]]
        var weightCount = 0
        for (name, shape) in weights {
            expectEqual(params[name]?["shape"] as? [Int], shape, "\(name)")
            weightCount += (params[name]?["count"] as? Int) ?? 0
        }
        expectEqual(weightCount, 5 * 7 + 7 * 7 + 7 * 7 + 7 * 1)
        expectEqual(weightCount, 140)
        expectEqual(json["param_count"] as? Int, 140 + 7 + 7 + 7 + 1)
        let text = try await gradstep("info", graph("mlp-5-7-7-7-1.grad"))
        expectHasSuffix(text.stdout, "total: 162 parameters\n")
        expectContains(text.stdout, "W1     35     [7×5]")
    }

    @Test func infoOnABadFileIsAClearError() async throws {
        let r = try await gradstep("info", "-e", "param W = xavier([7, 5])\ny = sum(W)")
        expectEqual(r.status, 1)
        expectContains(r.stderr, "xavier takes a shape and a seed")
    }

    /// Reads `values[name]` from `optimize --json`.
    func optimized(_ arguments: String...) async throws -> Double {
        let r = try await gradstep(["optimize"] + arguments + ["--json"])
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require((json["values"] as? [String: Any])?.values.first as? Double)
    }

    @Test func theBetaBinomialPosteriorIsMaximisedWhereTheFormulasSay() async throws {
        // Beta(2, 7) prior, 50 successes in 100: posterior Beta(52, 57). Its mode (the MAP the
        // optimiser finds) is (a + x − 1)/(a + b + n − 2) = 51/107.
        let map = try await optimized(graph("beta-binomial.grad"), "--method", "newton", "--steps", "20")
        expectTrue(isClose(map, 51.0 / 107, rel: 1e-12))
        // Its mean (a + x)/(a + b + n) = 52/109 is the mode with a + 1 and b + 1. The course's
        // (a + x)/(a + b + n − x) = 52/59 is wrong (EXERCISES.md, errors in the course).
        let mean = try await optimized(graph("beta-binomial.grad"), "--method", "newton", "--steps", "20", "--set", "a=3", "--set", "b=8")
        let (a, b, n, x): (Double, Double, Double, Double) = (2, 7, 100, 50)
        let posteriorMean = (a + x) / (a + b + n), coursesMean = (a + x) / (a + b + n - x)
        expectTrue(isClose(mean, posteriorMean, rel: 1e-12))
        expectTrue(abs(mean - coursesMean) > 0.1)
    }

    @Test func theNormalMeansMLEIsTheSampleMean() async throws {
        // E06: ∂/∂μ of the log-likelihood is Σ(xᵢ − μ)/σ², zero at the sample mean.
        let xs = [2.1, 3.4, 1.9, 2.8, 3.3]
        let sampleMean = xs.reduce(0, +) / Double(xs.count)
        let r = try await gradstep("eval", graph("normal-mle.grad"), "--set", "mu=\(sampleMean)", "--json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let g = try #require((json["gradient"] as? [String: Any])?["mu"] as? Double)
        expectTrue(abs(g) < 1e-12)
        let atZero = try await gradstep("eval", graph("normal-mle.grad"), "--json")
        let j0 = try #require(try JSONSerialization.jsonObject(with: Data(atZero.stdout.utf8)) as? [String: Any])
        let gradientAtZero = try #require((j0["gradient"] as? [String: Any])?["mu"] as? Double)
        let sum = xs.reduce(0, +)
        expectTrue(isClose(gradientAtZero, -sum / 2.25, rel: 1e-12))
        let mle = try await optimized(graph("normal-mle.grad"), "--method", "newton", "--steps", "1")
        expectTrue(isClose(mle, sampleMean, rel: 1e-12))
    }

    /// The manual sections' examples (those without a pipe), run and compared with what
    /// they print, so they stay true.
    @Test func readmeExamplesPrintWhatTheReadmeShows() async throws {
        // The language page's section on probability and the commands page's on `info`.
        func part(_ page: String, _ heading: String) throws -> Substring {
            let text = try manualPage(page)
            let start = try #require(text.range(of: heading))
            let rest = text[start.upperBound...]
            return rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        }
        let section = try part("docs/language.md", "## Probability, initialisers and parameter counts")
            + "\n" + part("docs/commands.md", "## `info`: shapes and parameter counts")
        // Each example runs from its `$ gradstep` line to the next one or the closing fence.
        let blocks = section.components(separatedBy: "```")
        var checked = 0
        for block in blocks {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var k = 0
            while k < lines.count {
                guard lines[k].hasPrefix("$ gradstep "), !lines[k].contains(" | ") else { k += 1; continue }
                var output = ""
                var j = k + 1
                while j < lines.count, !lines[j].hasPrefix("$ ") {
                    output += lines[j] + "\n"
                    j += 1
                }
                let words = NumericReadmeTests.words(String(lines[k].dropFirst(2)))
                let r = try await gradstep(Array(words.dropFirst()))
                expectEqual(r.status, 0, "\(lines[k]): \(r.stderr)")
                expectEqual(r.stdout, output.replacingOccurrences(of: "\n+$", with: "\n", options: .regularExpression), "\(lines[k])")
                checked += 1
                k = j
            }
        }
        expectTrue(checked >= 3)
    }
}
