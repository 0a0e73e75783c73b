import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// Moodle XML read with Foundation's XML parser: each numerical question's name, text, answer
/// and tolerance, and the categories.
final class MoodleReader: NSObject, XMLParserDelegate {
    struct Question { var type = "", name = "", text = "", answer: String?, fraction: String?, tolerance: String? }
    var questions: [Question] = []
    private var path: [String] = []
    private var characters = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        path.append(name)
        characters = ""
        if name == "question" { questions.append(Question(type: attributes["type"] ?? "")) }
        if name == "answer" { questions[questions.count - 1].fraction = attributes["fraction"] }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { characters += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let context = path.dropLast().suffix(2)
        let text = characters.trimmingCharacters(in: .whitespacesAndNewlines)
        if name == "text", !questions.isEmpty {
            switch context.last {
            case "name": questions[questions.count - 1].name = text
            case "questiontext": questions[questions.count - 1].text = text
            case "answer": questions[questions.count - 1].answer = text
            case "category": questions[questions.count - 1].name = text
            default: break
            }
        }
        if name == "tolerance" { questions[questions.count - 1].tolerance = text }
        path.removeLast()
        characters = ""
    }
}

/// A CSV with quoted fields ("" for a quote inside), as the key is written.
func csvRows(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" { if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false } } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(c)
        }
    }
    return rows
}

@Suite struct QuizVariantTests {
    /// Four versions of Baydin's exercise: well-formed Moodle XML with an answer and a
    /// tolerance to every question, inputs drawn in tenths from the ranges, keys that agree
    /// with the partials worked by hand (∂y/∂x1 = 1/x1 + x2, ∂y/∂x2 = x1 − cos x2), and that
    /// `quiz --answers` grades as 100 %.
    @Test func moodleVariantsAreWellFormedAndTheirKeysRegradeAsFullMarks() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-quiz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let xmlFile = folder.appendingPathComponent("exercise.xml")
        let r = try await gradstep("quiz", graph("baydin.grad"), "--variants", "4", "--seed", "7", "--ranges", "x1=1..5,x2=0..3",
                                   "--format", "moodle", "--out", xmlFile.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "Wrote 4 versions of the reverse sweep (28 numerical questions)")
        let data = try Data(contentsOf: xmlFile)
        let parser = XMLParser(data: data)
        let reader = MoodleReader()
        parser.delegate = reader
        expectTrue(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
        let categories: [MoodleReader.Question] = reader.questions.filter { (q: MoodleReader.Question) -> Bool in q.type == "category" }
        let numerical: [MoodleReader.Question] = reader.questions.filter { (q: MoodleReader.Question) -> Bool in q.type == "numerical" }
        let categoryNames: [String] = (1...4).map { (k: Int) -> String in "$course$/top/gradstep/baydin/variant 0\(k)" }
        expectEqual(categories.map(\.name), categoryNames)
        expectEqual(numerical.count, 4 * 7)
        for q in numerical {
            expectEqual(q.fraction, "100", "\(q.name)")
            let answerValue: Double? = q.answer.flatMap { (text: String) -> Double? in Double(text) }
            let toleranceValue: Double? = q.tolerance.flatMap { (text: String) -> Double? in Double(text) }
            let answer = try #require(answerValue, "\(q.name)")
            let tolerance = try #require(toleranceValue, "\(q.name)")
            expectTrue(tolerance > 0 && (answer == 0 || tolerance >= abs(answer) * 1e-3), "\(q.name)")
            expectContains(q.text, " = ", "the step's formula: \(q.text)")
        }
        // The step's formula, XML-escaped once and read back as the HTML Moodle shows.
        expectContains(numerical[5].text, "Compute v̄₀ = v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀", "\(numerical[5].text)")

        let key = csvRows(try String(contentsOf: folder.appendingPathComponent("exercise-key.csv"), encoding: .utf8))
        expectEqual(key.first, ["variant", "x1", "x2", "step", "node", "answer"])
        let rows = key.dropFirst()
        expectEqual(rows.count, 4 * 7)
        var drawn: Set<[String]> = []
        for variant in 1...4 {
            let steps: [[String]] = rows.filter { (row: [String]) -> Bool in row[0] == String(variant) }
            let stepNumbers: [String] = (1...7).map { (k: Int) -> String in String(k) }
            expectEqual(steps.map { (row: [String]) -> String in row[3] }, stepNumbers)
            let x1 = try #require(Double(steps[0][1])), x2 = try #require(Double(steps[0][2]))
            drawn.insert([steps[0][1], steps[0][2]])
            expectTrue((1...5).contains(x1) && (0...3).contains(x2))
            let tenths1: Double = x1 * 10, tenths2: Double = x2 * 10
            expectTrue(abs(tenths1 - tenths1.rounded()) < 1e-9 && abs(tenths2 - tenths2.rounded()) < 1e-9, "drawn in tenths")
            // v̄₀ is x2's adjoint and v̄₋₁ is x1's: the last two steps of the reverse sweep.
            expectTrue(steps[5][4] == "v̄₀" && steps[6][4] == "v̄₋₁")
            let x2bar = try #require(Double(steps[5][5])), x1bar = try #require(Double(steps[6][5]))
            expectTrue(abs(x2bar - (x1 - cos(x2))) < 1e-12)
            expectTrue(abs(x1bar - (1 / x1 + x2)) < 1e-12)
            // The XML's answers are the key's.
            let questions = numerical[(variant - 1) * 7 ..< variant * 7]
            let xmlAnswers: [Double?] = questions.map { (q: MoodleReader.Question) -> Double? in Double(q.answer ?? "") }
            expectEqual(xmlAnswers, steps.map { (row: [String]) -> Double? in Double(row[5]) })

            let answers = folder.appendingPathComponent("answers-\(variant).txt")
            let answerText: String = steps.map { (row: [String]) -> String in row[5] }.joined(separator: "\n") + "\n"
            try answerText.write(to: answers, atomically: true, encoding: .utf8)
            let graded = try await gradstep("quiz", graph("baydin.grad"), "--set", "x1=\(steps[0][1])", "--set", "x2=\(steps[0][2])",
                                            "--answers", answers.path, "--json")
            expectEqual(graded.status, 0, "\(graded.stderr)")
            expectContains(graded.stdout, "\"score\": 7, \"total\": 7", "\(graded.stdout)")
        }
        expectEqual(drawn.count, 4, "four different versions")
    }

    /// The same seed draws the same versions; another seed others.
    @Test func variantsAreReproducibleFromTheSeed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-quiz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var keys: [String] = []
        for (k, seed) in ["3", "3", "4"].enumerated() {
            let out = folder.appendingPathComponent("e\(k).xml").path
            let r = try await gradstep("quiz", graph("baydin.grad"), "--variants", "3", "--seed", seed, "--ranges", "x1=1..5,x2=0..3",
                                       "--format", "moodle", "--out", out)
            expectEqual(r.status, 0, "\(r.stderr)")
            keys.append(try String(contentsOf: folder.appendingPathComponent("e\(k)-key.csv"), encoding: .utf8))
        }
        expectEqual(keys[0], keys[1])
        expectTrue(keys[0] != keys[2])
    }

    /// Names and formulas with XML's special characters stay well-formed; a tensor step is a
    /// question per element.
    @Test func xmlSpecialCharactersAndTensorSteps() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-quiz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a & <b> \"c\".grad")
        try "input w = [1, 2]\nparam a = 3\ny = sum(a * w * w)\n".write(to: file, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("q.xml")
        let r = try await gradstep("quiz", file.path, "--variants", "2", "--ranges", "w=-1..1", "--format", "moodle", "--out", out.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        let parser = XMLParser(data: try Data(contentsOf: out))
        let reader = MoodleReader()
        parser.delegate = reader
        expectTrue(parser.parse())
        let numerical = reader.questions.filter { $0.type == "numerical" }
        // The question text is HTML, its characters escaped as HTML inside the XML.
        expectEqual(numerical.first?.text.hasPrefix("<p>a &amp; &lt;b&gt; &quot;c&quot; with w = ["), true, "\(numerical.first?.text ?? "")")
        let key = csvRows(try String(contentsOf: folder.appendingPathComponent("q-key.csv"), encoding: .utf8))
        let first = key.dropFirst().filter { $0[0] == "1" }
        // A vector step is a question per element: two for each.
        let vectors = first.filter { $0.last?.hasPrefix("[") == true }.count
        let elements = numerical.filter { $0.name.hasPrefix("a & <b> \"c\" 01") && $0.text.contains("give its element [") }
        expectTrue(vectors > 0 && elements.count == 2 * vectors)
        func numbers(_ text: String) -> [Double] {
            text.dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        let w = numbers(try #require(first.first?.dropFirst().first))
        expectTrue(w.count == 2 && w.allSatisfy { (-1...1).contains($0) })
        // The last step is w's adjoint, ∂/∂w sum(a·w·w) = 2·a·w with a = 3.
        let wbar = numbers(try #require(first.last?.last))
        expectTrue(wbar.count == 2 && zip(wbar, w).allSatisfy { abs($0 - 6 * $1) < 1e-12 }, "\(wbar) for w = \(w)")
    }

    @Test func badRangesAndUnknownNamesAreClearErrors() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-quiz-\(UUID().uuidString).xml").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let malformed = try await gradstep("quiz", graph("baydin.grad"), "--variants", "2", "--ranges", "x1=5", "--format", "moodle", "--out", out)
        expectTrue(malformed.status != 0 && malformed.stderr.contains("--ranges 'x1=5': write NAME=LOW..HIGH"), "\(malformed.stderr)")
        let empty = try await gradstep("quiz", graph("baydin.grad"), "--variants", "2", "--ranges", "x1=1.01..1.09", "--format", "moodle", "--out", out)
        expectTrue(empty.status != 0 && empty.stderr.contains("no value in tenths"), "\(empty.stderr)")
        let unknown = try await gradstep("quiz", graph("baydin.grad"), "--variants", "2", "--ranges", "z=1..2", "--format", "moodle", "--out", out)
        expectTrue(unknown.status == 2 && unknown.stderr.contains("baydin has no input or param of that name (it has x1, x2)"), "\(unknown.stderr)")
        let noOut = try await gradstep("quiz", graph("baydin.grad"), "--variants", "2", "--ranges", "x1=1..2", "--format", "moodle")
        expectTrue(noOut.status != 0 && noOut.stderr.contains("needs --out"), "\(noOut.stderr)")
        expectTrue(!FileManager.default.fileExists(atPath: out))
        // The files go through the guarded writer: a link is not written through, the graph not overwritten.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-quiz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target.txt"), link = folder.appendingPathComponent("link.xml")
        try "keep".write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let linked = try await gradstep("quiz", graph("baydin.grad"), "--ranges", "x1=1..2", "--format", "moodle", "--out", link.path)
        expectTrue(linked.status == 1 && linked.stderr.contains("is a symbolic link"), "\(linked.stderr)")
        try expectEqual(String(contentsOf: target, encoding: .utf8), "keep")
        let copy = folder.appendingPathComponent("g.grad")
        try FileManager.default.copyItem(atPath: graph("baydin.grad"), toPath: copy.path)
        let over = try await gradstep("quiz", copy.path, "--format", "moodle", "--out", copy.path)
        expectTrue(over.status == 1 && over.stderr.contains("is the file this command reads"), "\(over.stderr)")
    }
}
