import ArgumentParser
import Foundation
import GraphCore
import GraphExport
import GraphLanguage

/// `quiz --variants N --seed S --ranges x1=1..5 --format moodle --out exercise.xml`: versions
/// of the exercise for an LMS, each at input values drawn from the ranges, with their keys.
struct QuizVariantOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument { case text, moodle }

    @Option(help: "text (ask or grade, the default) or moodle (write --variants versions as Moodle XML to --out, and their key as CSV beside it).")
    var format: Format = .text

    @Option(help: ArgumentHelp("With --format moodle: how many versions, each at inputs drawn from --ranges.", valueName: "n"))
    var variants: Int = 1

    @Option(help: ArgumentHelp("With --format moodle: the seed of the draws (the same seed gives the same versions).", valueName: "s"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("With --format moodle: the range of each input drawn, in tenths (x1=1..5,x2=0..3).", valueName: "n=a..b,…"))
    var ranges: String?

    @Option(name: [.short, .long], help: ArgumentHelp("With --format moodle: the Moodle XML file to write; the key goes beside it (NAME-key.csv).", valueName: "file"))
    var out: String?

    @Flag(help: "With --format moodle: overwrite the files even if they exist as links or are the graph file.")
    var force = false

    /// The most versions one file holds.
    static let maximumVariants = 500

    /// An input's range: values are drawn in tenths from `low` to `high`.
    struct Range {
        var name: String
        var low: Int
        var high: Int
    }

    func validate(answers: String?, json: Bool, values: [String]) throws {
        guard format == .moodle else {
            if ranges != nil || out != nil || variants != 1 { throw ValidationError("--variants, --ranges and --out write Moodle XML: add --format moodle") }
            return
        }
        if answers != nil || json { throw ValidationError("--format moodle writes exercises; grade answers without it") }
        guard out != nil else { throw ValidationError("--format moodle needs --out FILE.xml (the key goes beside it as FILE-key.csv)") }
        guard (1...Self.maximumVariants).contains(variants) else { throw ValidationError("--variants \(variants): give 1 to \(Self.maximumVariants)") }
        let parsed = try parsedRanges()
        if variants > 1 && parsed.isEmpty { throw ValidationError("--variants \(variants) needs --ranges to draw different inputs (x1=1..5,x2=0..3)") }
        let set = Set(GraphOptions.assignments(values).map(\.name))
        if let both = parsed.first(where: { set.contains($0.name) }) { throw ValidationError("\(both.name) is given by --set and --ranges; give one") }
    }

    /// `x1=1..5,x2=0..3` as ranges in tenths; a malformed or empty range is a usage error.
    func parsedRanges() throws -> [Range] {
        guard let ranges else { return [] }
        var out: [Range] = []
        for part in ranges.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            let sides = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let bounds = sides.count == 2 ? sides[1].components(separatedBy: "..") : []
            let shown = GraphCore.Format.echoed(item, limit: 60)
            guard sides.count == 2, !sides[0].isEmpty, bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]),
                  low.isFinite, high.isFinite else {
                throw ValidationError("--ranges '\(shown)': write NAME=LOW..HIGH, such as x1=1..5")
            }
            guard abs(low) <= 1e6, abs(high) <= 1e6 else { throw ValidationError("--ranges '\(shown)': bounds may be at most 1e6 in size") }
            let tenths = Range(name: sides[0], low: Int((low * 10).rounded(.up)), high: Int((high * 10).rounded(.down)))
            guard tenths.low <= tenths.high else { throw ValidationError("--ranges '\(shown)': no value in tenths lies from \(bounds[0]) to \(bounds[1])") }
            if out.contains(where: { $0.name == tenths.name }) { throw ValidationError("--ranges names \(tenths.name) twice") }
            out.append(tenths)
        }
        return out
    }

    /// Where the key goes: `exercise.xml` → `exercise-key.csv`.
    static func keyPath(_ out: String) -> String {
        let url = URL(fileURLWithPath: out)
        let stem = url.pathExtension.isEmpty ? url.lastPathComponent : url.deletingPathExtension().lastPathComponent
        let folder = (out as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "" : folder + "/") + stem + "-key.csv"
    }
}

extension QuizCommand {
    /// Draws the versions (reproducibly from the seed; a draw that repeats a version or gives a
    /// value that is not finite is drawn again), and writes the Moodle XML and the key.
    func writeVariants() throws {
        let options = handout
        let ranges = try options.parsedRanges()
        let base = try graph.load()
        var shapes: [Shape] = []
        for r in ranges {
            guard let node = base.node(named: r.name), base.tape.entries[node].op.kind == .leaf,
                  base.differentiableLeaves.contains(where: { $0.node == node }) else {
                let leaves = base.differentiableLeaves.map(\.name).joined(separator: ", ")
                throw Failure(text: "error: --ranges \(r.name): \(base.name) has no input or param of that name (it has \(leaves.isEmpty ? "none" : leaves))\n", status: 2)
            }
            shapes.append(base.tape.entries[node].shape)
        }
        let out = options.out ?? "exercise.xml"
        let keyPath = QuizVariantOptions.keyPath(out)
        let inputs = graph.file.map { [$0] } ?? []
        for path in [out, keyPath] {
            do throws(ExportError) { try OutputFile.check(path, force: options.force, inputs: inputs) } catch {
                throw Failure(text: "error: \(error)\n")
            }
        }
        var generator = SeededGenerator(seed: options.seed)
        var variants: [QuizVariant] = [], seen: Set<[String]> = []
        var draws = 0
        while variants.count < options.variants {
            draws += 1
            guard draws <= 50 * options.variants else {
                throw Failure(text: "error: --ranges gave only \(variants.count) different versions with finite values in \(draws - 1) draws; widen the ranges or ask for fewer --variants\n")
            }
            let drawn = zip(ranges, shapes).map { r, shape in
                (name: r.name, text: Self.literal((0..<shape.count).map { _ in
                    String(Double(Int.random(in: r.low...r.high, using: &generator)) / 10)
                }, shape.dims[...]))
            }
            guard seen.insert(drawn.map(\.text)).inserted || ranges.isEmpty else { continue }
            var at = graph
            at.values += drawn.map { "\($0.name)=\($0.text)" }
            let quiz = try quiz(of: try at.load())
            guard quiz.questions.allSatisfy({ $0.expected.allSatisfy(\.isFinite) }) else { continue }
            variants.append(QuizVariant(number: variants.count + 1, inputs: drawn, quiz: quiz))
        }
        let xml = MoodleQuiz.xml(name: base.name, variants: variants, relative: tolerance)
        do throws(ExportError) {
            try OutputFile.write(Data(xml.utf8), to: out, force: options.force, inputs: inputs)
            try OutputFile.write(Data(MoodleQuiz.keyCSV(variants).utf8), to: keyPath, force: options.force, inputs: inputs)
        } catch {
            throw Failure(text: "error: \(error)\n")
        }
        let questions = variants.reduce(0) { $0 + $1.quiz.questions.reduce(0) { $0 + $1.shape.count } }
        print("Wrote \(variants.count) version\(variants.count == 1 ? "" : "s") of the \(mode.rawValue) sweep (\(questions) numerical questions) to \(out), and their key to \(keyPath).")
    }

    /// Values as a literal of `dims` (`3.2`, `[1.5, 0.2]`, `[[…], […]]`), as `--set` reads it.
    static func literal(_ values: [String], _ dims: ArraySlice<Int>) -> String {
        guard let outer = dims.first else { return values.first ?? "0" }
        let inner = values.count / Swift.max(outer, 1)
        return "[" + (0..<outer).map { k in literal(Array(values[k * inner ..< (k + 1) * inner]), dims.dropFirst()) }.joined(separator: ", ") + "]"
    }
}
