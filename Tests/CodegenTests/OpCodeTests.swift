import Codegen
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Every op, in every shape case the engine has, written out in NumPy, plain Python and C:
/// each program runs and prints what the engine computes (its value and its gradient). Each
/// language's programs run in one interpreter (or one compiled binary): see `executeAll`.
@Suite("Generated code agrees with the engine, op by op")
struct OpCodeTests {
    static let programs: [String] = [
        // Scalar ops away from their kinks.
        """
        input a = 0.7; input b = 1.3
        y = a + b - a*b / b ^ a + max(a, b) + min(a, b) + leaky_relu(a - 1, 0.1) + leaky_relu(a, b) - sin(a) \
        + cos(b) + tan(a) + exp(a) + ln(b) + sqrt(b) + tanh(a) + sigmoid(a) + relu(a - 1) + abs(a - 1) \
        + step(a) + softplus(a) + atanh(a - 0.5) + pow(a, b) - -a + erf(a - 1)
        """,
        // At the kinks: relu'(0) = 0, abs'(0) = 0, a max or min tie splits evenly, 0^b; a
        // negative base's exponent gets NaN (torch's y·ln a), 0^b with b ≥ 0 gets 0.
        """
        input a = 0; input b = 2; input c = -2; input n = 3
        y = max(a, a) + min(b, b) + relu(a) + abs(a) + step(a) + leaky_relu(a, 0.2) + a^b + b^a + max(b, a) + min(a, b) + c^n
        """,
        // The six comparisons (1 or 0, no gradient), broadcast and at a tie; stop_gradient's
        // value without its gradient; clip with a bound on either side and at a bound.
        """
        input a = [1, 2, 3]; input b = 2; input x = 3
        y = sum((a < b) + (a <= b) * 2 + (a > b) * 4 + (a >= b) * 8 + (a == b) * 16 + (a != b) * 32 + (b > a) * a) \
        + stop_gradient(x * x) * x + sum(clip(a * x, 4, 6)) + sum(clip(a, b, x))
        """,
        // Large |x| for the logistic function and softplus (the engine's stable forms).
        "input a = -40; input b = 40; y = sigmoid(a) + sigmoid(b) + softplus(a) + softplus(b)",
        // The four matrix products, sum, mean, transpose of a matrix and of a vector.
        """
        input A = [[1, 2, 0.5], [-1, 0.3, 2]]; param B = [[0.2, -1], [1.5, 0.7], [0.1, 0.4]]
        input u = [0.3, -0.8]; input v = [1.1, 0.2, -0.4]
        y = sum(A @ B) + sum(A @ v) + sum(u @ A) + u @ u + mean(transpose(A) @ u) + sum(transpose(v) * v)
        """,
        // Softmax of a vector and of a matrix's rows, cross-entropy, mse with every broadcast.
        """
        input A = [[1, 2, 0.5], [-1, 0.3, 2]]; input v = [1.1, 0.2, -0.4]; input s = 0.5
        P = softmax(A * s + v); q = softmax(v - s)
        y = cross_entropy(P, softmax(A)) + cross_entropy(q, q) + mse(A, v) + mse(v, s) + mse(s, A) + mse(A, A*2)
        """,
        // Every elementwise op with a scalar and a vector broadcast over a matrix, on both sides.
        """
        input A = [[1, 2, 0.5], [-1, 0.3, 2]]; input v = [1.1, 0.2, -0.4]; input s = 0.5
        y = sum(A - v) + sum(v - A) + sum(A / v) + sum(v / A) + sum(max(A, v)) + sum(min(v, A)) + sum(abs(A) ^ s) \
        + sum(s ^ v) + sum(leaky_relu(A, s)) + sum(pow(abs(v), A)) + sum(A*s) + sum(s - v) + sum(tanh(A) * sigmoid(v)) \
        + sum(relu(A - 1) + abs(v) + step(A) + softplus(v) + atanh(v * 0.5) + erf(A)) + sum(sin(A) + cos(v) + tan(v) + exp(-A) + ln(abs(v)) + sqrt(abs(A)) - -v)
        """,
        // ln Γ and ψ (the programs' digamma and trigamma helpers), left of 0 too, and the
        // probability functions built from them, broadcast over a vector.
        """
        input a = 0.7; input v = [1.5, 3.2, 12.5]
        y = lgamma(a) + digamma(a) + lgamma(-1.3 * a) + digamma(-1.3 * a) + sum(lgamma(v) * digamma(v)) \
        + binomial_logpmf(3, 6, a * 0.5) + beta_logpdf(a, 2, 7) + sum(normal_logpdf(v, a, 1.5)) + bernoulli_logpmf(1, a)
        """,
        // where (a select, the untaken branch chosen away), logsumexp of a vector and of a
        // matrix, log_softmax of a vector with gaps of 800 and of a matrix's rows.
        """
        input x = [0.5, 2, -1]; input c = [1, 0, 3]; input A = [[1, 2, 0.5], [-1, 0.3, 2]]
        y = sum(where(c, sin(x), x*x*x)) + logsumexp(x) + logsumexp(A * x) + sum(log_softmax(x * 400) * x) \
        + sum(log_softmax(A) * A)
        """,
        // A node used twice by one consumer and by two, an unused input, the output a leaf's sum.
        "input x = 3; input unused = [1, 2]; const k = [1, 2]; m = k * 2; y = x*x + sum(m * x) + 1/2",
        // NumPy adds in place: da must not share dv2's array (nor, through it, db's) when
        // m's contribution is added to it.
        "input a = [1, 2]; input b = [3, 4]; m = a * 2; y = sum(m + a + b)",
        // A tensor output is seeded with ones.
        "input W = [[1, 2], [3, 4]]; input x = [0.5, -1]; y = relu(W @ x)",
        // Convolution and pooling: a batch and no batch, stride, padding, a bias (named and
        // inline), a tie in a max-pool window (the first maximum gets the adjoint), reshape
        // and flatten of rank 3 and 4, a tensor output of rank 3.
        """
        input x = [[[[0.5, -0.2, 0.3, 0.8], [0.1, 0.9, -0.7, 0.2], [0.4, 0.25, -0.5, 0.6]]], [[[0.3, 0.2, 0.1, 0.8], [0.6, -0.9, 0.7, 0.2], [0.4, 0.1, -0.5, 0.3]]]]
        param w = kaiming([2, 1, 2, 2], 3); param b = [0.1, -0.1]
        h = tanh(conv2d(x, w, b, 1, 1)); t = maxpool2d([[[1, 1], [0.5, 1]]] * sum(x), 2)
        y = sum(avgpool2d(h, 2, stride=1) ^ 2) + mean(flatten(maxpool2d(h * h, 2))) + sum(t) \
        + sum(conv1d(reshape(x, [2, 3, 4]), [[[1, -1], [0.5, 0.5], [0.2, 0.1]]], [0.3], padding=1, stride=2))
        """,
        "input x = [[[1, 2, 3], [4, 5, 6]]]; param w = [[[[0.5]], [[-1]]]]; y = relu(conv2d(reshape(x, [2, 1, 3]) * 0.1, w, [0.2]))",
        // Pools with padding (−∞ for the max, zeros counted in the mean's divisor) and
        // rectangular kernels and strides, and a padded window of ties.
        """
        input x = [[[[0.5, -0.2, 0.3, 0.8, 0.1], [0.1, 0.9, -0.7, 0.2, 0.4], [0.4, 0.25, -0.5, 0.6, 0.9]]], [[[0.3, 0.2, 0.1, 0.8, 0.3], [0.6, -0.9, 0.7, 0.2, 0.6], [0.4, 0.1, -0.5, 0.3, -0.1]]]]
        y = sum(maxpool2d(x * x, 3, 2, 1) ^ 2) + sum(avgpool2d(x, kernel=[2, 3], stride=[1, 2], padding=[1, 1]) ^ 2) \
        + sum(maxpool2d(-x, [3, 1], padding=[1, 0]) ^ 3) + sum(maxpool2d([[[1, 1], [1, 1]]] * sum(x), 2, 1, 1))
        """,
        // The layers' ops: batch norm's ĥ per column of a batch of 3, layer norm's per row and
        // of a vector, dropout's scaled mask (p = 0.4, seed 5) and its eval mode's mask of 1.
        """
        input H = [[1, 2, 0.5], [-1, 0.3, 2], [0.4, -0.7, 1.2]]; param g = [1.5, -0.5, 2]; param b = [0.1, 0, -0.2]
        input v = [0.3, -1.2, 2.5, 0.7]
        y = sum(batchnorm(H, g, b) * H) + sum(layernorm(H, g, b) * H) + sum(layernorm(v, v, v, eps=0.1) * v) \
        + sum(dropout(H, 0.4, 5) * H) + sum(dropout(v, 0.5, 1, mode=eval) * v)
        """,
        // Gathers: rows picked twice (the VJP adds both), an input as the index tensor (its
        // adjoint 0), a negative position and a rank-3 result, one element per row, columns,
        // one-hot rows and cross-entropy over integer labels.
        """
        input C = [[1, 2], [3, 4], [5, 6]]; input X = [2, 0, 2]; param z = [[2, 1, 0.1], [0.5, 2.5, 0.3]]
        y = sum(C[X] * C[X]) + sum(C[[[-1, 0]]] * C[[[1, 1]]]) + cross_entropy(z, [2, 1]) + sum(one_hot([1, 0], 3) * z) \
        + sum(z[:, [2, 0]] * z[:, [2, 0]]) + sum(z[arange(2), [1, -1]] * [3, 4])
        """,
        // NumPy broadcasting across ranks, written as gathers: a per-channel scale over an
        // image, a matrix over a rank-3 tensor, a row beside a column; keepdim.
        """
        input img = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]; param s = [[[2]], [[-3]]]; input m = [[1, -1], [2, 0.5]]
        input x = [[1, 2, 3], [4, 6, 5]]; param r = [[1, 2, 3]]
        y = sum(img * s) + sum(img / (m + 3)) + sum(exp(x - max(x, axis=1, keepdim=true))) + sum((r + sum(x, axis=1, keepdim=true)) ^ 2)
        """,
        // stack: scalars into a vector, vectors along either axis, matrices into a rank-3
        // tensor along its middle axis.
        """
        input a = 0.5; input u = [1, -2, 3]; param M = [[1, 2], [3, 4]]
        y = sum(stack([a, a * a]) * [2, 3]) + sum(stack([u, u * a], axis=0) ^ 2) + sum(stack([u, sin(u)], axis=-1) * [[1, 2], [3, 4], [5, 6]]) \
        + sum(reshape(stack([M, M * M, -M], axis=1), [6, 2]) * [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]])
        """,
        // prod of a vector with no zero, one zero and two zeros, of a matrix and of a scalar.
        """
        input v = [2, -3, 0.5]; input z = [2, 0, 4]; input zz = [0, 3, 0]; param M = [[1.5, -2], [0.5, 3]]; input s = 0.7
        y = prod(v) + prod(z) + prod(zz) + prod(M) * prod(s) + var(v, unbiased=true) + sum(std(M, axis=1, unbiased=true))
        """,
    ]

    static let languages: [CodeLanguage] = [.numpy, .python, .c]

    @Test(arguments: languages)
    func everyProgramPrintsTheEnginesValueAndGradient(language: CodeLanguage) async throws {
        let graphs = try Self.programs.map { try load($0) }
        let runs = try await executeAll(graphs.map { code($0, language) }, language)
        expectSameJSON(runs, graphs.map(engineJSON), Self.programs.map { "\(language): \($0)" })
    }

    @Test func everyOpIsInTheTable() throws {
        var seen = Set<Op>()
        for program in Self.programs {
            seen.formUnion(try load(program).tape.entries.map(\.op))
        }
        expectTrue(Set(Op.allCases).subtracting(seen).isEmpty, "ops with no code test: \(Set(Op.allCases).subtracting(seen))")
    }

    @Test(arguments: [CodeLanguage.numpy, .c])
    func nanAndInfinityPrintAsNullAsInEval(language: CodeLanguage) async throws {
        // sqrt(−1) is NaN and ln 0 is −∞: JSON has neither, so eval prints null.
        let graph = try load("input a = -1; input b = 0; y = sqrt(a) + ln(b) + a")
        expectContains(engineJSON(graph), "\"value\": null")
        let printed = try #require(await execute(code(graph, language), language))
        expectSameJSON(printed, engineJSON(graph), "\(language)")
    }
}
