import Foundation

/// A JSON value, and the one place gradstep writes JSON text: every `--json` output, the trace's
/// `--format json`, the frames page's data and the benchmarks' files are built as values and
/// serialized by `text`.
///
/// ```swift
/// let v: JSON = ["output": .string("y"), "value": .number(0.5), "ok": true, "steps": .int(3)]
/// v.text   // {"output": "y", "value": 0.5, "ok": true, "steps": 3}
/// ```
/// Conventions, kept from before there was one writer (scripts and the docs' examples rely on
/// them):
/// - An object's members stay in the order they are given; one line, `", "` between items
///   and `": "` after a key (`text(expanding:)` puts the outer levels one item per line).
/// - A finite number is written in the shortest form that reads back as the same double
///   (`0.1`, `1e-20`, whole numbers without a point: `3`); NaN and ±∞, which JSON cannot
///   hold, are written as `null`.
/// - A string escapes `"`, `\`, and every control character below U+0020 (`\n`, `\r`, `\t`,
///   the others as `\u00XX`); all other text, non-BMP characters such as emoji included, is
///   written as its UTF-8, which JSON allows.
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    /// A whole number, exactly: counts, steps, and seeds up to UInt64's largest.
    case integer(Int128)
    /// A double; NaN and ±∞ are written as `null`.
    case number(Double)
    case string(String)
    case array([JSON])
    /// Members in the order written.
    case object([(key: String, value: JSON)])

    // MARK: - Building

    /// A whole number of any integer type.
    public static func int(_ n: some BinaryInteger) -> JSON { .integer(Int128(n)) }

    /// A number, or `null` for nil.
    public static func number(orNull x: Double?) -> JSON { x.map { .number($0) } ?? .null }

    /// A list of numbers.
    public static func numbers(_ v: some Sequence<Double>) -> JSON { .array(v.map { .number($0) }) }

    /// A list of strings.
    public static func strings(_ v: some Sequence<String>) -> JSON { .array(v.map { .string($0) }) }

    /// A scalar as a number, a vector as a list, a matrix as a list of rows, a tensor of
    /// rank 3 or 4 as lists nested one level per extent (row-major, as NumPy's `tolist()`).
    public static func tensor(_ v: some Collection<Double>, _ shape: Shape) -> JSON {
        let items = Array(v)
        guard shape.rank > 0 else { return number(orNull: items.first) }
        return nested(items[...], shape.dims[...])
    }

    private static func nested(_ items: ArraySlice<Double>, _ dims: ArraySlice<Int>) -> JSON {
        guard let outer = dims.first, dims.count > 1 else { return numbers(items) }
        let inner = items.count / Swift.max(outer, 1)
        return .array((0..<outer).map { k in
            let start = items.startIndex + k * inner
            return nested(items[start ..< start + inner], dims.dropFirst())
        })
    }

    // MARK: - Writing

    /// The value on one line.
    public var text: String {
        var out = ""
        write(to: &out, expanding: 0, depth: 0)
        return out
    }

    /// The value with its outer `levels` of arrays and objects written one item per line,
    /// indented two spaces a level, and everything deeper on one line: the trace's rows (2)
    /// and the benchmark file's workloads (1) read a record per line.
    public func text(expanding levels: Int) -> String {
        var out = ""
        write(to: &out, expanding: levels, depth: 0)
        return out
    }

    private func write(to out: inout String, expanding levels: Int, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let n): out += String(n)
        case .number(let x): out += x.isFinite ? Format.exact(x) : "null"
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let items):
            writeItems(items, open: "[", close: "]", to: &out, expanding: levels, depth: depth) { item, out in
                item.write(to: &out, expanding: levels, depth: depth + 1)
            }
        case .object(let members):
            writeItems(members, open: "{", close: "}", to: &out, expanding: levels, depth: depth) { member, out in
                JSON.writeString(member.key, to: &out)
                out += ": "
                member.value.write(to: &out, expanding: levels, depth: depth + 1)
            }
        }
    }

    private func writeItems<T>(_ items: [T], open: String, close: String, to out: inout String, expanding levels: Int,
                               depth: Int, _ item: (T, inout String) -> Void) {
        out += open
        let expanded = depth < levels && !items.isEmpty
        let indent = expanded ? "\n" + String(repeating: "  ", count: depth + 1) : ""
        for (k, x) in items.enumerated() {
            if k > 0 { out += expanded ? "," : ", " }
            out += indent
            item(x, &out)
        }
        if expanded { out += "\n" + String(repeating: "  ", count: depth) }
        out += close
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    /// Members in the order written (a dictionary literal keeps its order).
    public init(dictionaryLiteral elements: (String, JSON)...) { self = .object(elements.map { (key: $0.0, value: $0.1) }) }
    public init(nilLiteral: ()) { self = .null }
}
