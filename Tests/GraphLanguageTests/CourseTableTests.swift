import Foundation
import Testing
import TestSupport

/// Graphs/README.md's "The course, item by item": one row per item of the course's question
/// list, in its order, each with a status, and every `Graphs/` file it names present.
@Suite("The course table in Graphs/README.md")
struct CourseTableTests {
    /// The course's item ids (COURSE.md in the project notes): A01 … A39, B01 … B67, C01 … C10,
    /// D01 … D07, E01 … E16, and F01 … F12 (found in a later audit). Used when the notes are not
    /// beside the repository.
    static let embeddedIDs: [String] = [("A", 39), ("B", 67), ("C", 10), ("D", 7), ("E", 16), ("F", 12)]
        .flatMap { letter, count in (1...count).map { letter + String(format: "%02d", $0) } }

    /// The ids of `../shared/COURSE.md` (the project notes, beside the repository in CI) when
    /// it is there, otherwise the embedded list.
    static func courseIDs() throws -> [String] {
        let notes = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/COURSE.md")
        guard FileManager.default.fileExists(atPath: notes.path) else { return embeddedIDs }
        return rows(of: try String(contentsOf: notes, encoding: .utf8)).map(\.id)
    }

    /// A table row that starts with an item id: the id and its cells (the escaped `\|` of a
    /// formula kept inside its cell).
    struct Row {
        var id: String
        var cells: [String]
    }

    /// The rows of every table in `markdown` whose first cell is an id such as `B07` or `F03`.
    static func rows(of markdown: String) -> [Row] {
        markdown.split(separator: "\n").compactMap { line -> Row? in
            guard line.hasPrefix("| ") else { return nil }
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}")
                .split(separator: "|", omittingEmptySubsequences: false)
                .dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{1}", with: "|") }
            guard let id = cells.first, id.wholeMatch(of: /[A-F][0-9]{2}/) != nil else { return nil }
            return Row(id: id, cells: cells)
        }
    }

    /// The section's text, from its heading to the next `## ` heading.
    static func section() throws -> String {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/README.md"), encoding: .utf8)
        let heading = "## The course, item by item\n"
        guard let start = readme.range(of: heading) else { return "" }
        let rest = readme[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }

    @Test func embeddedIDsAreTheCourseIDsWhenTheNotesAreHere() throws {
        let notes = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/COURSE.md")
        if FileManager.default.fileExists(atPath: notes.path) {
            try expectEqual(Self.courseIDs(), Self.embeddedIDs)
        }
        expectEqual(Self.embeddedIDs.count, 151)
    }

    @Test func listsEveryCourseItemOnceInOrder() throws {
        let listed = Self.rows(of: try Self.section()).map(\.id)
        let course = try Self.courseIDs()
        expectEqual(listed, course, "missing: \(course.filter { !listed.contains($0) }); extra: \(listed.filter { !course.contains($0) })")
    }

    @Test func everyRowHasAStatusAndSaysWhatIsMissing() throws {
        for row in Self.rows(of: try Self.section()) {
            expectEqual(row.cells.count, 4, "\(row.id): \(row.cells.count) cells")
            let status = row.cells.last ?? ""
            if status == "shown" {
                expectTrue(row.cells[2].contains("gradstep") || row.cells[2].contains("Graphs/") || row.cells[2].hasPrefix("as "), "\(row.id) is shown but names no command or file")
            } else {
                expectTrue(status.hasPrefix("partly: ") || status.hasPrefix("not yet: "), "\(row.id): status '\(status)'")
            }
        }
    }

    @Test func everyGraphFileItNamesExists() throws {
        let named = Set(try Self.section().matches(of: /Graphs\/([A-Za-z0-9_.-]+\.grad)/).map { String($0.output.1) })
        expectTrue(!named.isEmpty)
        for file in named.sorted() {
            let path = repositoryRoot.appendingPathComponent("Graphs").appendingPathComponent(file).path
            expectTrue(FileManager.default.fileExists(atPath: path), "Graphs/\(file) is named in the course table but does not exist")
        }
    }
}
