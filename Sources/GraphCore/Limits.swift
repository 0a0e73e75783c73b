/// Every size gradstep refuses to go past, in one place, so that hostile or mistaken input gets
/// a clear error naming the limit instead of a multi-gigabyte allocation, a Swift trap, or
/// minutes of work. The README's "Limits" section lists the same numbers.
///
/// ```swift
/// var b = TapeBuilder()
/// let u = b.leaf(.input, .matrix(40_000, 1), [Double](repeating: 1, count: 40_000))
/// let v = b.leaf(.input, .matrix(1, 40_000), [Double](repeating: 1, count: 40_000))
/// try b.apply(.matmul, u, v)   // ShapeError: 1,600,000,000 elements, at most 1,000,000
/// ```
public enum Limits {
    /// The most elements one tensor (a literal, a `--set` value or an op's result) may hold:
    /// a 1000×1000 matrix, 8 MB of `Double`s.
    public static let maximumTensorElements = 1_000_000

    /// The most values a whole graph may hold (the tape's value buffer; tangents and adjoints
    /// take as much again each): 128 MB of `Double`s. A 10,000,000-node scalar DAG fits.
    public static let maximumGraphValues = 16_000_000

    /// The most elements one tensor may hold in a graph read for its shapes only (`gradstep
    /// info`), where no values are kept: a full-size VGG11 feature map of 64 × 704 × 1024 fits.
    /// Constants the language builds for a layer still hold numbers, so this bounds them too.
    public static let maximumShapeOnlyTensorElements = 64_000_000

    /// The most values a graph read for its shapes only may describe: the tape's offsets are
    /// 32-bit.
    public static let maximumShapeOnlyGraphValues = 2_000_000_000

    /// The largest leading extent (N or C) of a rank-3 or rank-4 tensor: the tape stores them
    /// in 16 bits each so that an entry stays 32 bytes.
    public static let maximumLeadingExtent = 65_535

    /// The largest kernel size, stride or padding of a convolution or pooling op: the tape
    /// stores each in one byte.
    public static let maximumWindowSize = 255
    /// The most multiply-adds (or comparisons, for pooling) one convolution or pooling op may
    /// take per evaluation: output elements × kernel size (× input channels for a
    /// convolution). About a second in a release build; a 500×500 kernel over a 1000×1000
    /// image would be 6.3·10¹⁰, minutes. Checked before the op is added, as tensor sizes are;
    /// a graph read for its shapes only (`gradstep info`) computes nothing and is not bound.
    public static let maximumWindowWork = 1_000_000_000

    /// The most nodes the scalar (neuron-level) view of a graph may have: one node per element
    /// and per multiply-add grows fast (a [500×500] @ [500] product alone is 499,500 nodes),
    /// and past this size no picture or screen of it can be read.
    public static let maximumScalarNodes = 50_000

    /// The most nodes `export --frames` may draw over all its pictures (frames × nodes per
    /// picture): a 700-node graph's 1,400 frames. Each picture is drawn and rendered on its
    /// own, so past this the export takes hours and the folder gigabytes.
    public static let maximumFrameDrawings = 1_000_000

    /// The largest graph file read, in bytes (64 MB, a 2,000,000-node DAG): checked before the
    /// file is read.
    public static let maximumSourceBytes = 64_000_000

    /// The most diagnostics reported for one file; the rest are counted ("and 12 more errors").
    public static let maximumDiagnostics = 20

    /// The most characters of a source line a diagnostic echoes; a longer line is shown as a
    /// window of this many characters around the caret, with `…` where it is cut.
    public static let diagnosticLineWidth = 100

    /// The deepest nesting of parentheses, brackets, calls and prefix operators accepted.
    public static let maximumNesting = 256

    /// The tallest expression tree accepted: a sum of 1,000 terms is fine, one of 100,000 is
    /// almost certainly not a graph anyone wants to step through.
    public static let maximumExpressionHeight = 1_000

    /// The tallest expression the calls of `def` functions may make once written out in
    /// place (each call nests its function's body in the caller's expression): counted as the
    /// heights of the bodies being expanded. A chain of 2,000 functions each calling the last
    /// fits; 30,000 do not. It bounds the lowering's recursion, which runs on a stack of
    /// `loadingStackBytes`.
    public static let maximumExpandedHeight = 10_000

    /// The most expression nodes the calls of `def` functions may write out, counted before
    /// any is: twice what the largest file can write by hand. Forty functions each calling
    /// the one before twice would make 2⁴⁰.
    public static let maximumExpandedNodes = 4_000_000

    /// The stack a graph is parsed and lowered on (a thread of its own): the recursion of both
    /// is bounded (`maximumNesting`, `maximumExpressionHeight`, `maximumExpandedHeight`), and a
    /// debug build takes about 7 KB a level. Reserved, not used, until it is needed.
    public static let loadingStackBytes = 256 << 20

    /// `bytes` in decimal units, as the README writes sizes: `8 MB`, `64 MB`, `512 KB`, `300 bytes`.
    public static func describe(bytes: Int) -> String {
        if bytes >= 1_000_000 { return "\(grouped(bytes / 1_000_000)) MB" }
        if bytes >= 1_000 { return "\(bytes / 1_000) KB" }
        return "\(bytes) bytes"
    }

    /// `1600000000` as `1,600,000,000`, so a count of elements can be read at a glance.
    /// The product of `values`, or nil when it would overflow an `Int`: sizes typed by a user
    /// are multiplied with this before any limit is checked.
    public static func product(_ values: [Int]) -> Int? {
        var p = 1
        for v in values {
            let (q, overflow) = p.multipliedReportingOverflow(by: v)
            if overflow { return nil }
            p = q
        }
        return p
    }

    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, digit) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return n < 0 ? "-" + out : out
    }
}
