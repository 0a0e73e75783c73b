import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Issue 21: `logsumexp` takes `axis=` as the other reductions do, with torch.logsumexp's
// numbers (keepdim=False: the axis is dropped): ln Σ e^x along the axis, finite for any gap,
// and its gradient the softmax along the axis. Every expected number is worked out here.
@Suite("logsumexp along an axis")
struct LogsumexpAxisTests {
    /// ln(1 + e^−1): the part of logsumexp([a, a + 1]) above a + 1.
    let tail = log(1 + exp(-1.0))

    @Test func alongEachRowOfAMatrixWithAGapOf720() throws {
        // Rows [0, −720] and [1, 2]: ln(1 + e^−720) = 0 in doubles, and 2 + ln(1 + e^−1).
        // y = Σ wᵢ·lseᵢ with w = [1, 2], so ∂y/∂Xᵢⱼ = wᵢ·softmax(Xᵢ)ⱼ.
        let g = try loadExpression("input X = [[0, -720], [1, 2]]; l = logsumexp(X, axis=1); y = sum(l * [1, 2])")
        let s = Solved(g)
        let l = s.slice(s.values, try s.node("l"))
        expectTrue(l.count == 2 && l[0] == 0 && abs(l[1] - (2 + tail)) <= 1e-15 * 2.4)
        let d = try s.gradient("X")
        let p = 1 / (1 + exp(1.0))  // softmax([1, 2])₀ = 1/(1 + e)
        expectTrue(abs(d[0] - 1) <= 1e-15)
        expectTrue(d[1] >= 0 && d[1] <= 1e-300)  // e^−720 ≈ 1.4e−313
        expectTrue(abs(d[2] - 2 * p) <= 1e-15 && abs(d[3] - 2 * (1 - p)) <= 1e-15)
    }

    @Test func downEachColumnOfAMatrix() throws {
        // Columns [0, 1] and [−720, 2]: 1 + ln(1 + e^−1) and 2 + ln(1 + e^−722) = 2.
        let g = try loadExpression("input X = [[0, -720], [1, 2]]; y = sum(logsumexp(X, axis=0) * [1, 2])")
        let s = Solved(g)
        expectTrue(abs(s.output - ((1 + tail) + 2 * 2)) <= 1e-14)
        let d = try s.gradient("X"), p = 1 / (1 + exp(1.0))
        expectTrue(abs(d[0] - p) <= 1e-15 && abs(d[2] - (1 - p)) <= 1e-15)
        expectTrue(d[1] >= 0 && d[1] <= 1e-300 && abs(d[3] - 2) <= 1e-15)
    }

    @Test func aVectorsOnlyAxisIsTheWholeReduction() throws {
        let a = try loadExpression("input x = [1, 2, 3]; y = logsumexp(x, axis=0)")
        let b = try loadExpression("input x = [1, 2, 3]; y = logsumexp(x, axis=-1)")
        let expected = 3 + log(1 + exp(-1.0) + exp(-2.0))
        expectTrue(abs(Solved(a).output - expected) <= 1e-15 * 3.5)
        expectEqual(Solved(a).output, Solved(b).output)
    }

    @Test func alongAnAxisOfARank3Tensor() throws {
        // T[i][j][k] = i + 2j + 0.5k over (2, 3, 2); along axis 1: ln Σⱼ e^(i + 2j + 0.5k).
        var t: [Double] = []
        for i in 0..<2 { for j in 0..<3 { for k in 0..<2 { t.append(Double(i) + 2 * Double(j) + 0.5 * Double(k)) } } }
        let literal = "[" + (0..<2).map { i in "[" + (0..<3).map { j in
            "[" + (0..<2).map { k in "\(t[i * 6 + j * 2 + k])" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]" }
            .joined(separator: ", ") + "]"
        let g = try loadExpression("input T = \(literal); l = logsumexp(T, axis=1); y = sum(l)")
        let s = Solved(g)
        let l = s.slice(s.values, try s.node("l"))
        expectEqual(g.tape.entries[try s.node("l")].shape, .matrix(2, 2))
        let d = try s.gradient("T")
        for i in 0..<2 { for k in 0..<2 {
            let column = (0..<3).map { j in t[i * 6 + j * 2 + k] }
            let lse = log(column.map(exp).reduce(0, +))
            expectTrue(abs(l[i * 2 + k] - lse) <= 1e-14 * lse)
            // ∂(Σ l)/∂T[i][j][k] = softmax over j.
            for j in 0..<3 { expectTrue(abs(d[i * 6 + j * 2 + k] - exp(column[j] - lse)) <= 1e-14) }
        } }
    }

    @Test func theKeywordHintNamesLogsumexp() {
        let text = loweringErrors("input x = [1, 2]\ny = sqrt(x, axis=0)")
        expectEqual(text?.contains("'axis=' is for sum, mean, max, logsumexp, var, std, concat and stack"), true)
    }

    @Test func anAxisThatDoesNotExistIsAnError() {
        let text = loweringErrors("input X = [[1, 2]]\ny = sum(logsumexp(X, axis=2))")
        expectEqual(text?.contains("axis 2 does not exist for a tensor of rank 2"), true)
    }
}
