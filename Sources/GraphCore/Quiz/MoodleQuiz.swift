import Foundation

/// One version of an exercise for an LMS: the input values drawn for it and the quiz of the
/// sweep at those values, whose expected answers (gradstep's own sweep) are the key.
public struct QuizVariant: Sendable {
    /// Counted from 1.
    public var number: Int
    /// The drawn inputs as `--set` takes them (`x1`, `3.2`), in the order of `--ranges`.
    public var inputs: [(name: String, text: String)]
    public var quiz: Quiz

    public init(number: Int, inputs: [(name: String, text: String)], quiz: Quiz) {
        self.number = number
        self.inputs = inputs
        self.quiz = quiz
    }
}

/// Moodle XML (https://docs.moodle.org/en/Moodle_XML_format) for the variants of a sweep, and
/// their answer key as CSV.
///
/// Each variant is a category of its own (`gradstep/NAME/variant 01`), holding one numerical
/// question per step, or per element of a tensor step: the inputs, the step's formula
/// (`v̄₃ = v̄₅·∂v₅/∂v₃`) and the answer with a tolerance that accepts what `gradstep quiz`
/// accepts: within the relative `tolerance` or to three significant digits, whichever is
/// wider. The general feedback is the chain-rule sentence with the numbers. The key has one
/// row per step with the answer written as `quiz --answers` reads it, so a variant re-grades
/// with `gradstep quiz FILE --set x1=… --answers` of that column.
public enum MoodleQuiz {
    public static func xml(name: String, variants: [QuizVariant], relative: Double) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<!-- \(comment(name)): \(variants.count) variants written by gradstep quiz in Moodle XML -->\n<quiz>\n"
        for v in variants {
            let number = v.number < 10 ? "0\(v.number)" : "\(v.number)"
            out += """
                  <question type="category">
                    <category><text>$course$/top/gradstep/\(escape(name))/variant \(number)</text></category>
                  </question>

                """
            let given = v.inputs.map { "\($0.name) = \($0.text)" }.joined(separator: ", ")
            let quiz = v.quiz
            for s in 0..<quiz.count {
                let q = quiz.question(s)
                let elements = q.shape.count
                for e in 0..<elements {
                    let index = elements == 1 && q.shape.rank == 0 ? "" : "[" + indices(e, q.shape.dims).map(String.init).joined(separator: ",") + "]"
                    let expected = q.expected[e]
                    let text = "<p>\(htmlText(name)) with \(htmlText(given)): the \(quiz.phase.rawValue) sweep, step \(s + 1) of \(quiz.count).</p>"
                        + "<p>Compute \(htmlText(q.label + " = " + q.sentence.formula))"
                        + (index.isEmpty ? "" : " and give its element \(htmlText(index))") + ".</p>"
                    out += """
                          <question type="numerical">
                            <name><text>\(escape("\(name) \(number) · step \(s + 1) · \(q.label)\(index)"))</text></name>
                            <questiontext format="html"><text>\(escape(text))</text></questiontext>
                            <generalfeedback format="html"><text>\(escape("<p>" + htmlText(Quiz.sentenceText(q.sentence)) + "</p>"))</text></generalfeedback>
                            <defaultgrade>1</defaultgrade>
                            <answer fraction="100" format="moodle_auto_format">
                              <text>\(Format.exact(expected))</text>
                              <tolerance>\(Format.exact(tolerance(expected, relative: relative)))</tolerance>
                              <feedback format="html"><text></text></feedback>
                            </answer>
                          </question>

                        """
                }
            }
        }
        return out + "</quiz>\n"
    }

    /// `variant,x1,x2,step,node,answer`: a row per step of every variant.
    public static func keyCSV(_ variants: [QuizVariant]) -> String {
        let names = variants.first?.inputs.map(\.name) ?? []
        var out = (["variant"] + names + ["step", "node", "answer"]).map(csv).joined(separator: ",") + "\n"
        for v in variants {
            for s in 0..<v.quiz.count {
                let q = v.quiz.question(s)
                let row = [String(v.number)] + v.inputs.map(\.text) + [String(s + 1), q.label, JSON.tensor(q.expected, q.shape).text]
                out += row.map(csv).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// The absolute tolerance of an answer `value`: its relative tolerance, or half a unit in
    /// its third significant digit when that is wider (`gradstep quiz` accepts either).
    public static func tolerance(_ value: Double, relative: Double) -> Double {
        guard value != 0, value.isFinite else { return 1e-12 }
        let digits = 0.5 * pow(10, floor(log10(abs(value))) - 2)
        return Swift.max(abs(value) * relative, digits)
    }

    /// The row-major element `k` of a tensor of extents `dims` as one index per extent.
    static func indices(_ k: Int, _ dims: [Int]) -> [Int] {
        var rest = k
        var out = [Int](repeating: 0, count: dims.count)
        for d in dims.indices.reversed() {
            let n = Swift.max(dims[d], 1)
            out[d] = rest % n
            rest /= n
        }
        return out
    }

    /// Text for XML character data and attributes; characters XML 1.0 cannot hold are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value >= 0x20 && u.value != 0xFFFE && u.value != 0xFFFF { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Text inside the HTML of a question (escaped once as HTML, then once more as XML).
    static func htmlText(_ text: String) -> String { escape(text) }

    /// Text for an XML comment: no `--`, no control characters.
    static func comment(_ text: String) -> String { escape(text).replacingOccurrences(of: "--", with: "- -") }

    static func csv(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
