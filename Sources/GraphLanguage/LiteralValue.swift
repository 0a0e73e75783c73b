import GraphCore

/// A number or tensor typed on the command line (`--seed-adjoint '[0, 1, 0]'`), read with the
/// graph language's own parser, so it accepts and rejects exactly what `--set` does: no NaN,
/// no infinity, no number out of a double's range.
///
/// ```swift
/// let seed = try LiteralValue.parse("[0, 1, 0]").get()   // values [0, 1, 0], shape [3]
/// ```
public struct LiteralValue: Sendable, Equatable {
    /// The elements, row by row.
    public var values: [Double]
    public var shape: Shape

    /// Why a text is not a literal: one line, lower case, as in `--set`'s errors.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ text: String) -> Result<LiteralValue, Invalid> {
        switch Literal.parse(text) {
        case .success(let literal): .success(LiteralValue(values: literal.values, shape: literal.shape))
        case .failure(let why): .failure(Invalid(message: why.message))
        }
    }
}
