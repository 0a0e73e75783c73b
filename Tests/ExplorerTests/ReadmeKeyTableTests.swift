import Explorer
import Foundation
import Testing
import TestSupport

/// The manual's key table (docs/explorer.md) is generated from the keymap (as lazygit's docs
/// are from its bindings); this keeps the copy there true. After changing the keymap, paste the
/// table this test prints between the page's `keys:begin` and `keys:end` markers.
@Test func readmeKeyTableMatchesTheKeymap() throws {
    let readme = try manualPage("docs/explorer.md")
    let table = Keymap.default.markdownTable()
    let begin = try #require(readme.range(of: "<!-- keys:begin -->\n"))
    let end = try #require(readme.range(of: "<!-- keys:end -->"))
    expectEqual(String(readme[begin.upperBound ..< end.lowerBound]), table, "docs/explorer.md's key table is stale; it should be:\n\(table)")
    for command in Keymap.commands {
        let verb = String(command.syntax.split(separator: " ")[0])
        expectContains(readme, "`\(verb)", "docs/explorer.md does not document \(verb)")
    }
}
