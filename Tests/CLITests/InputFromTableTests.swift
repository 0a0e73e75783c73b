import Foundation
import Testing
import TestSupport

/// `--input-from NAME=FILE.csv`: a table's numbers, row by row, as an input's value of any
/// shape (a model's image from one row), with clear errors for a count, a name or a file
/// that does not fit.
@Suite("Inputs from a CSV table")
struct InputFromTableTests {
    static func table() throws -> URL {
        let folder = try makeTemporaryFolder("table")
        let file = folder.appendingPathComponent("t.csv")
        try Data("a,b\n1,2\n3,4\n".utf8).write(to: file)
        return file
    }

    /// Σ x ⊙ [[1, 2], [3, 4]] with x the table [[1, 2], [3, 4]] is 1 + 4 + 9 + 16 = 30, and
    /// the same four numbers fill a (1, 1, 2, 2) image: Σ x² = 30, ∂/∂x = 2x.
    @Test func theTableFillsTheInputsShape() async throws {
        let file = try Self.table().path
        let matrix = try await gradstep("eval", "-e", "input x = zeros([2, 2]); y = sum(x * [[1, 2], [3, 4]])", "--input-from", "x=\(file)")
        expectEqual(matrix.stdout, "y = 30\n∂y/∂x = [[1, 2], [3, 4]]\n", "\(matrix.stderr)")
        let image = try await gradstep("eval", "-e", "input x = zeros([1, 1, 2, 2]); y = sum(x * x)", "--input-from", "x=\(file)")
        expectEqual(image.stdout, "y = 30\n∂y/∂x = [[[[2, 4], [6, 8]]]]\n", "\(image.stderr)")
    }

    @Test func whatDoesNotFitIsAClearError() async throws {
        let file = try Self.table().path
        let count = try await gradstep("eval", "-e", "input x = zeros([3]); y = sum(x)", "--input-from", "x=\(file)")
        expectEqual(count.status, 1)
        expectContains(count.stderr, "the table has 2 rows × 2 columns = 4 numbers, but x is [3] (3 numbers)", "\(count.stderr)")
        let name = try await gradstep("eval", "-e", "input x = zeros([3]); y = sum(x)", "--input-from", "z=\(file)")
        expectTrue(name.status == 1 && name.stderr.contains("no input of that name (inputs: x)"), "\(name.stderr)")
        let missing = try await gradstep("eval", "-e", "input x = zeros([3]); y = sum(x)", "--input-from", "x=/nonexistent/t.csv")
        expectTrue(missing.status == 1 && missing.stderr.contains("no such file"), "\(missing.stderr)")
    }
}
