import Foundation

/// One page of the manual, by its path from the repository's top folder (`README.md`,
/// `docs/explorer.md`).
public func manualPage(_ path: String) throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
}

/// The pages of the manual: README.md, then every page of docs/ in name order.
public func manualPages() -> [String] {
    let docs = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("docs").path)) ?? []
    return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
}

/// The whole manual as one text, its pages in `manualPages()` order, for tests that check an
/// example is shown somewhere in it: they keep working when a section moves between pages.
public func manualText() throws -> String {
    try manualPages().map(manualPage).joined(separator: "\n")
}
