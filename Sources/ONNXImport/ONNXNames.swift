/// Names from the model made into the graph language's names, each unique: ONNX names such as
/// `/fc1/Gemm_output_0`, `fc1.weight` or `input.1` are not identifiers.
struct ONNXNames {
    /// Words that start a statement in the language, so cannot name a value.
    static let reserved: Set<String> = ["input", "param", "const", "output", "data", "def", "group", "for", "in"]

    private var taken: Set<String> = []

    /// A new identifier for `text`: letters, digits and `_` kept, every other run of
    /// characters one `_`, a leading digit prefixed, a reserved word or a name already given
    /// followed by `_2`, `_3`, ….
    mutating func make(_ text: String, fallback: String = "v") -> String {
        var out = ""
        var lastWasSeparator = true
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                out.unicodeScalars.append(scalar)
                lastWasSeparator = scalar == "_"
            } else if !lastWasSeparator {
                out += "_"
                lastWasSeparator = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.count > 48 { out = String(out.suffix(48)).drop(while: { $0 == "_" }).description }
        if out.isEmpty { out = fallback }
        if let first = out.unicodeScalars.first, ("0"..."9").contains(first) { out = fallback + "_" + out }
        // A keyword keeps its look (`input` → `input_`); a name given twice is numbered.
        if Self.reserved.contains(out) { out += "_" }
        var name = out
        var k = 2
        while taken.contains(name) {
            name = "\(out)_\(k)"
            k += 1
        }
        taken.insert(name)
        return name
    }

    /// `text` quoted for a message, with control and bidirectional characters written
    /// `\u{…}` and long names cut, so a model's names cannot garble a terminal.
    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x200E...0x200F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x061C || v == 0x2028 || v == 0x2029 {
                out += "\\u{\(String(v, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if text.unicodeScalars.count > 80 { out += "…" }
        return "'\(out)'"
    }
}
