import Foundation
import Testing
import TestSupport

/// The course items a lecturer reaches first, as Graphs/README.md's course table shows them
/// (issue 24): A06, A20, A37, A39, B10, B19, B47, D02. Each test runs the row's command and
/// checks what the row claims against numbers computed here.
@Suite struct CourseLectureItemTests {
    struct Sweep: Decodable { var h: [Double]; var forward: [Double]; var central: [Double]; var exact: Double }
    struct Check: Decodable {
        struct Entry: Decodable { var analytic: Double; var numeric: Double; var abs_error: Double; var rel_error: Double; var ok: Bool }
        var entries: [Entry]
    }
    struct Run: Decodable { var loss: [Double]; var validation_loss: [Double]?; var values: [String: Double]? }
    struct LimitReport: Decodable { var limit: Double }
    struct Losses: Decodable { var loss: [Double] }

    func decode<T: Decodable>(_ type: T.Type, _ arguments: String...) async throws -> T {
        let r = try await gradstep(arguments)
        expectEqual(r.status, 0, "\(arguments): \(r.stderr)")
        return try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8))
    }

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    /// The number after the last space of the trace row for `name` (the rows print 6
    /// significant digits, with U+2212 for minus).
    func traced(_ trace: String, _ name: String) -> Double? {
        let row = trace.split(separator: "\n").first { $0.split(separator: " ").dropFirst().first == Substring(name) }
        return row.flatMap { Double($0.split(separator: " ").last!.replacingOccurrences(of: "−", with: "-")) }
    }

    // MARK: A06, the derivative from its definition

    /// ((2 + h)³ − 8)/h = 12 + 6h + h²: the file's quotient at a point, the limit at h = 0,
    /// and check --sweep's forward quotients for x³ at 2, all against that polynomial.
    @Test func a06TheDifferenceQuotientTendsToTheDerivative() async throws {
        let file = graph("derivative-definition.grad")
        let r = try await gradstep("eval", file, "--set", "h=0.01")
        expectHasPrefix(r.stdout, "q = 12.0600999", "\(r.stdout)")
        let limit = try await decode(LimitReport.self, "limit", file, "--at", "h=0", "--json")
        expectEqual(limit.limit, 12)
        let text = try await gradstep("limit", file, "--at", "h=0")
        expectTrue(text.stdout.contains("0/0: differentiate both") && text.stdout.contains("limit = 12"), "\(text.stdout)")
        let sweep = try await decode(Sweep.self, "check", "--sweep", "-e", "x^3", "--at", "x=2", "--json")
        expectEqual(sweep.exact, 12)
        for (h, q) in zip(sweep.h, sweep.forward) where h >= 1e-4 {
            expectTrue(abs(q - (12 + 6 * h + h * h)) < 1e-9, "h = \(h): \(q)")
        }
        let plot = try await gradstep("plot", file, "--wrt", "h", "--from", "-1", "--to", "1", "--no-derivative")
        expectContains(plot.stdout, "undefined (NaN or ∞) at h = 0", "\(plot.stdout)")
        expectNotContains(plot.stdout, "q′", "no derivative curve")
    }

    // MARK: A20, separable data

    /// The course's four rows, read here: (12, 12) is labelled both + and −, so the plot
    /// names it as the place no line can separate.
    @Test func a20TheCourseDataHasTwoClassesAtOnePoint() async throws {
        let csv = try String(contentsOfFile: graph("separable-course.csv"), encoding: .utf8)
        var labels: [String: Set<String>] = [:]
        for row in csv.split(separator: "\n").dropFirst() {
            let c = row.split(separator: ",").map(String.init)
            labels["(\(c[0]), \(c[1]))", default: []].insert(c[2])
        }
        let mixed = labels.filter { $0.value.count > 1 }.keys.sorted()
        expectEqual(mixed, ["(12, 12)"])
        let r = try await gradstep("plot", "--data", graph("separable-course.csv"), "--x", "x1", "--y", "x2", "--label", "y")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "1 place where points of different classes coincide (\(mixed[0]))", "\(r.stdout)")
        expectContains(r.stdout, "no line separates them")
    }

    /// Linear regression's loss, mean((wx + b − y)²), on y = 2x + 1 reaches w = 2, b = 1; the
    /// logistic loss on separable data keeps growing w, as a hand loop of w ← w − η·mean((σ(wx) − t)x)
    /// gives.
    @Test func a20TheLossesAndGradientDescent() async throws {
        let linear = try await decode(Run.self, "optimize", "-e", "const x = [1, 2, 3, 4]; const y = [3, 5, 7, 9]; param w = 0; param b = 0; L = mean((w*x + b - y)^2)",
                                      "--lr", "0.05", "--steps", "2000", "--json")
        expectTrue(close(linear.values!["w"]!, 2, 1e-8) && close(linear.values!["b"]!, 1, 1e-8), "\(linear.values!)")
        let x = [-2.0, -1, 1, 2], t = [0.0, 0, 1, 1]
        var w = 0.0
        for _ in 0..<1000 {
            w -= zip(x, t).map { x, t in (1 / (1 + exp(-w * x)) - t) * x }.reduce(0, +) / 4
        }
        let logistic = try await decode(Run.self, "optimize", "-e", "const x = [-2, -1, 1, 2]; const t = [0, 0, 1, 1]; param w = 0; p = sigmoid(w*x); L = -mean(t*ln(p) + (1 - t)*ln(1 - p))",
                                        "--lr", "1", "--steps", "1000", "--json")
        expectTrue(close(logistic.values!["w"]!, w, 1e-9), "\(logistic.values!) against \(w)")
        expectTrue(abs(w - 6.2311949) < 1e-7)
    }

    // MARK: A37, A39, F09: prior and posterior

    func betaPDF(_ t: Double, _ a: Double, _ b: Double) -> Double {
        let logDensity: Double = (a - 1) * log(t) + (b - 1) * log(1 - t)
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        return exp(logDensity - logBeta)
    }

    /// Beta(2, 7) at 0.5 is 56·0.5⁷, Bin(50 | 100, 0.5) is C(100, 50)/2¹⁰⁰, the posterior
    /// Beta(52, 57) at 0.5 is 7.402444…; the plot draws posterior and prior without f′.
    @Test func a37PriorLikelihoodAndPosteriorAtOneHalf() async throws {
        let file = graph("prior-posterior.grad")
        let prior: Double = 56 * Foundation.pow(0.5, 7.0)
        let logChoose: Double = lgamma(101.0) - 2 * lgamma(51.0)
        let likelihood = exp(logChoose - 100 * log(2.0))
        let eval = try await gradstep("eval", file, "--set", "theta=0.5")
        let posterior = Double(eval.stdout.split(separator: "\n")[0].split(separator: " ").last!)!
        expectTrue(close(posterior, betaPDF(0.5, 52, 57)), "\(eval.stdout)")
        expectTrue(abs(posterior - 7.402444) < 1e-6)
        let trace = try await gradstep("trace", file, "--mode", "primal")
        expectTrue(close(traced(trace.stdout, "prior")!, prior, 1e-5))
        expectTrue(close(traced(trace.stdout, "likelihood")!, likelihood, 1e-5), "\(likelihood)")
        expectTrue(close(traced(trace.stdout, "unnormalised")!, prior * likelihood, 1e-5), "\(prior * likelihood)")
        let plot = try await gradstep("plot", file, "--wrt", "theta", "--from", "0.01", "--to", "0.99", "--of", "prior")
        expectHasPrefix(plot.stdout, "posterior, prior against theta  ⣿ posterior  ⠒⠀⠒ prior", "\(plot.stdout)")
        expectNotContains(plot.stdout, "′", "no derivative is drawn")
    }

    /// The course's 56θ(1 − θ)⁶ × 19600θ³(1 − θ)⁴⁷ is Beta(5, 54) up to the constant
    /// 1/p(x) = 1/(1097600·B(5, 54)), the same at every θ; its mode is 4/57.
    @Test func a39TheCoursePosteriorIsBetaFiveFiftyFour() async throws {
        let file = graph("posterior-course.grad")
        let beta = exp(lgamma(5) + lgamma(54) - lgamma(59))
        for theta in [0.1, 0.3] {
            let trace = try await gradstep("trace", file, "--mode", "primal", "--set", "theta=\(theta)")
            expectTrue(close(traced(trace.stdout, "prior")!, 56 * theta * Foundation.pow(1 - theta, 6.0), 1e-5))
            expectTrue(close(traced(trace.stdout, "posterior")!, betaPDF(theta, 5, 54), 1e-5))
            expectTrue(close(traced(trace.stdout, "ratio")!, 1 / (1_097_600 * beta), 1e-5), "\(trace.stdout)")
        }
        let plot = try await gradstep("plot", file, "--wrt", "theta", "--from", "0", "--to", "0.5", "--of", "prior")
        expectHasPrefix(plot.stdout, "posterior, prior against theta", "\(plot.stdout)")
        let map = try await decode(Run.self, "optimize", graph("beta-binomial.grad"), "--set", "x=3", "--set", "n=50", "--method", "newton", "--steps", "20", "--json")
        expectTrue(close(map.values!["theta"]!, 4.0 / 57, 1e-9))
    }

    // MARK: B10, x·sin(1/x) with 0 at 0

    /// f(0) = 0 by the `where`; the definition's quotient (f(h) − f(0))/h is sin(1/h), which
    /// has no limit, so the derivative at 0 (0 here) is a convention, not a limit.
    @Test func b10XSinOneOverXHasNoDerivativeAtZero() async throws {
        let f = "y = where(step(abs(x)), x*sin(1/x), 0)"
        let r = try await gradstep("eval", "-e", f, "--set", "x=0")
        expectEqual(r.stdout, "y = 0\n∂y/∂x = 0\n", "\(r.stdout)")
        let half = try await gradstep("eval", "-e", f, "--set", "x=0.5")
        expectTrue(close(Double(half.stdout.split(separator: "\n")[0].split(separator: " ").last!)!, 0.5 * sin(2)))
        let sweep = try await decode(Sweep.self, "check", "--sweep", "-e", f, "--at", "x=0", "--json")
        for (h, q) in zip(sweep.h, sweep.forward) where h >= 1e-8 {
            expectTrue(abs(q - sin(1 / h)) < 1e-9, "h = \(h): \(q) against sin(1/h) = \(sin(1 / h))")
        }
        let late = sweep.forward.suffix(10)
        expectTrue(late.max()! - late.min()! > 1, "the quotients never settle")
    }

    // MARK: B19, initialisation of a tanh network

    struct Gradients: Decodable { var gradient: [String: GradientValue] }
    enum GradientValue: Decodable {
        case number(Double), array([GradientValue])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let x = try? c.decode(Double.self) { self = .number(x) } else { self = .array(try c.decode([GradientValue].self)) }
        }
        var flat: [Double] {
            switch self {
            case .number(let x): [x]
            case .array(let a): a.flatMap(\.flat)
            }
        }
    }

    static let zeros = ["--set", "W1=zeros([2, 7])", "--set", "W2=zeros([7, 7])", "--set", "W3=zeros([7, 1])"]
    static let kaiming = ["--set", "W1=kaiming([2, 7], 1)", "--set", "W2=kaiming([7, 7], 2)", "--set", "W3=kaiming([7, 1], 3)"]

    /// With zero weights σ(0) = 1/2 for every row, so the loss is mean((1/2 − t)²) = 1/4 for
    /// any 0/1 targets, and it never moves: every gradient is 0. Xavier and Kaiming train.
    @Test func b19ZeroInitialisationVanishesXavierAndKaimingTrain() async throws {
        let base = ["optimize", graph("init-tanh.grad"), "--lr", "2", "--steps", "300", "--json"]
        let zero = try JSONDecoder().decode(Losses.self, from: Data(try await gradstep(base + Self.zeros).stdout.utf8))
        expectTrue(zero.loss.count == 301 && zero.loss.allSatisfy { $0 == 0.25 }, "\(zero.loss.prefix(5))")
        let r = try await gradstep(["eval", graph("init-tanh.grad"), "--json"] + Self.zeros)
        let g = try JSONDecoder().decode(Gradients.self, from: Data(r.stdout.utf8)).gradient
        for name in ["W1", "b1", "W2", "b2", "W3", "b3"] {
            expectEqual(g[name]?.flat.allSatisfy { $0 == 0 }, true, "\(name): \(r.stdout)")
        }
        let plain = ["eval", graph("init-tanh.grad")]
        try await expectContains(gradstep(plain + Self.zeros).stdout, "∂L/∂W2 = [[0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]")
        let xavier = try JSONDecoder().decode(Losses.self, from: Data(try await gradstep(base).stdout.utf8))
        let kaiming = try JSONDecoder().decode(Losses.self, from: Data(try await gradstep(base + Self.kaiming).stdout.utf8))
        expectTrue(xavier.loss.last! < 0.001 && kaiming.loss.last! < 0.001)
        expectTrue(kaiming.loss[1] > kaiming.loss[0] && kaiming.loss[2] > kaiming.loss[1], "Kaiming's first steps overshoot")
        expectTrue(xavier.loss[1] < xavier.loss[0])
    }

    /// mlp-5-7-7-7-1.grad's corrected comment: W2 = 0 makes h2 = relu(0) = 0 with relu′(0) = 0,
    /// so W1, W2 and W3 get no gradient at all and only b4 does (∂L/∂b4 = 2(y − t) = −2 at y = 0).
    @Test func b19ZeroWeightsInTheReluNetworkStopEveryWeightGradient() async throws {
        let r = try await gradstep("eval", graph("mlp-5-7-7-7-1.grad"), "--set", "W2=zeros([7, 7])", "--json")
        let g = try JSONDecoder().decode(Gradients.self, from: Data(r.stdout.utf8)).gradient
        for name in ["W1", "b1", "W2", "b2", "W3", "b3", "W4"] {
            expectTrue(g[name]!.flat.allSatisfy { $0 == 0 }, "\(name)")
        }
        expectEqual(g["b4"]!.flat, [-2])
    }

    // MARK: B47, Adam against SGD

    /// SGD and Adam (PyTorch's rules) on early-stopping.grad's degree-7 polynomial, by hand
    /// here from the two CSV files: Adam's training loss is lower, its best validation loss
    /// higher than SGD's.
    @Test func b47AdamFitsTheTrainingDataFasterAndGeneralisesWorse() async throws {
        let fit = try PolynomialDescent()
        let sgd = fit.descend(adam: false, lr: 0.5, steps: 2000), adam = fit.descend(adam: true, lr: 0.05, steps: 2000)
        let arguments = ["optimize", graph("early-stopping.grad"), "--steps", "2000", "--validation", "D=" + graph("poly-validation.csv"), "--json"]
        for (method, lr, expected) in [("sgd", "0.5", sgd), ("adam", "0.05", adam)] {
            let run = try JSONDecoder().decode(Run.self, from: Data(try await gradstep(arguments + ["--method", method, "--lr", lr]).stdout.utf8))
            for step in [200, 2000] {
                expectTrue(close(run.loss[step], expected.train[step], 1e-6), "\(method) step \(step)")
            }
            expectTrue(close(run.validation_loss!.min()!, expected.validation.min()!, 1e-6), "\(method)")
        }
        expectTrue(adam.train[200] < sgd.train[200] && adam.train[2000] < sgd.train[2000])
        expectTrue(abs(adam.train[200] - 0.0475) < 5e-5 && abs(sgd.train[200] - 0.0828) < 5e-5)
        expectTrue(abs(adam.train[2000] - 0.0259) < 5e-5 && abs(sgd.train[2000] - 0.0452) < 5e-5)
        expectTrue(adam.validation.min()! > sgd.validation.min()!)
        expectTrue(abs(sgd.validation.min()! - 0.1124) < 5e-5 && abs(adam.validation.min()! - 0.1721) < 5e-5)
        expectTrue(sgd.validation.firstIndex(of: sgd.validation.min()!) == 31 && adam.validation.firstIndex(of: adam.validation.min()!) == 18)
        // The text report prints a row every 50 steps; the line under it names the best step.
        let text = try await gradstep(Array(arguments.dropLast()) + ["--method", "adam", "--lr", "0.05"])
        let best = text.stdout.split(separator: "\n").first { $0.hasPrefix("validation loss: lowest ") }.map(String.init) ?? ""
        let parts = best.split(separator: " ")
        expectTrue(parts.count == 11 && parts[5] == "step" && parts[6] == "18;", "\(best)")
        if parts.count == 11, let lowest = Double(parts[3].replacingOccurrences(of: "−", with: "-")) {
            expectTrue(abs(lowest - adam.validation.min()!) < 1e-7, "\(best)")
        }
    }

    // MARK: D02, absolute against relative error

    /// Large derivatives: e²⁰'s central difference is 0.5 off in absolute terms (an absolute
    /// test at 1e−4 fails it) and 1e−9 in relative terms. Small ones: 1e−6·x³ with h = 0.1 is
    /// 1e−8 off absolutely (an absolute test passes it) and 0.33 % relatively.
    @Test func d02AbsoluteAndRelativeErrorSideBySide() async throws {
        let big = try await decode(Check.self, "check", "-e", "exp(x)", "--set", "x=20", "--json").entries[0]
        expectTrue(close(big.analytic, exp(20), 1e-15))
        let n = (exp(20 + 1e-6) - exp(20 - 1e-6)) / 2e-6
        expectTrue(close(big.numeric, n, 1e-12))
        expectTrue(big.abs_error > 1e-4 && big.abs_error < 1 && big.rel_error < 1e-8 && big.ok)
        let small = try await decode(Check.self, "check", "-e", "1e-6*x^3", "--set", "x=1", "--h", "0.1", "--json").entries[0]
        let numeric = 1e-6 * (Foundation.pow(1.1, 3.0) - Foundation.pow(0.9, 3.0)) / 0.2
        expectTrue(close(small.numeric, numeric, 1e-12) && close(small.analytic, 3e-6, 1e-12))
        expectTrue(close(small.abs_error, 1e-8, 1e-6) && close(small.rel_error, 1e-8 / numeric, 1e-6), "\(small)")
        let text = try await gradstep("check", "-e", "1e-6*x^3", "--set", "x=1", "--h", "0.1")
        expectContains(text.stdout, "abs. error  rel. error", "\(text.stdout)")
        expectContains(text.stdout, "1e−8        0.0033", "\(text.stdout)")
    }
}
