import Foundation

/// One example of the manual: a `$ …` command line in a fenced block whose first line is a
/// `$ ` command, and the lines after it (up to the next `$ ` line or the fence) that it prints.
///
/// A line of the output that is only `…` stands for any number of lines, and a `…` inside a
/// line for any text. A block preceded by `<!-- no-run: WHY -->` is not run (it opens the
/// explorer, or needs a terminal).
struct ManualExample: Sendable {
    var page: String
    /// The line of the command, counted from 1.
    var line: Int
    var command: String
    var output: String

    static func examples(in text: String, page: String) -> [ManualExample] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [ManualExample] = []
        var k = 0
        while k < lines.count {
            guard lines[k].hasPrefix("```") else { k += 1; continue }
            let end = lines[(k + 1)...].firstIndex { $0.hasPrefix("```") } ?? lines.count
            let body = Array(lines[(k + 1) ..< end])
            let skipped = k > 0 && lines[k - 1].hasPrefix("<!-- no-run:")
            if !skipped, let first = body.first, first.hasPrefix("$ "), body.contains(where: { $0.contains("gradstep") }) {
                var current: ManualExample?
                for (i, line) in body.enumerated() {
                    if line.hasPrefix("$ ") {
                        if let c = current { examples.append(c) }
                        current = ManualExample(page: page, line: k + 2 + i, command: String(line.dropFirst(2)), output: "")
                    } else {
                        current?.output += line + "\n"
                    }
                }
                if let c = current { examples.append(c) }
            }
            k = end + 1
        }
        return examples
    }

    /// Whether `actual` is `expected`, reading `…` in `expected` as an elision.
    static func matches(_ expected: String, _ actual: String) -> Bool {
        if expected == actual { return true }
        guard expected.contains("…") else { return false }
        var pattern = "^"
        let lines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            let last = i == lines.count - 1
            if line == "…" {
                pattern += "(?:[^\\n]*\\n)*?"
            } else {
                pattern += line.components(separatedBy: "…").map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "[^\\n]*")
                if !last { pattern += "\\n" }
            }
        }
        pattern += "$"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        let range = NSRange(actual.startIndex..., in: actual)
        return regex.firstMatch(in: actual, options: [.anchored], range: range).map { $0.range == range } ?? false
    }

    /// The targets of the Markdown links `[text](target)` outside code, images included.
    static func links(in text: String) -> [String] {
        var targets: [String] = []
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            guard !inFence else { continue }
            // Code spans hold examples, not links.
            let prose = line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
            var rest = prose[...]
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                targets.append(String(after[..<close]))
                rest = after[close...]
            }
        }
        return targets
    }

    /// `target` (a link's path, relative to `page`'s folder) as a path from the top folder.
    static func resolve(_ target: String, from page: String) -> String {
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/") {
            if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(String(part)) }
        }
        return parts.joined(separator: "/")
    }

    /// The anchors GitHub gives a page's headings: lower case, spaces as `-`, punctuation
    /// other than `-` and `_` dropped (`` ## `eval`: values `` is `eval-values`).
    static func anchors(in text: String) -> Set<String> {
        var anchors = Set<String>()
        var inFence = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            guard !inFence, line.hasPrefix("#") else { continue }
            let title = line.drop { $0 == "#" }.drop { $0 == " " }
            let slug = title.lowercased().compactMap { c -> Character? in
                if c == " " { return "-" }
                return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
            }
            anchors.insert(String(slug))
        }
        return anchors
    }
}
