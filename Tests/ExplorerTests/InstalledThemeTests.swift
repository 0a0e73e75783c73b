import Explorer
import Foundation
import Screen
import Testing
import TestSupport

/// `:theme light` in an installed gradstep, run from a folder with no `Themes/` anywhere near
/// it or the binary: the compiled-in copy answers.
@Test func themeCommandWorksFromAnotherFolder() async throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-home-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: home) }
    let installed = ThemeLoader(searchPaths: ThemeLoader.defaultSearchPaths(
        explicitFolder: nil, currentDirectory: home,
        executable: home.appendingPathComponent("bin/gradstep")))
    expectTrue(installed.url(forTheme: "light") == nil, "a Themes/ folder is in reach: the test proves nothing")
    var s = ExplorerState(graph: baydin(), size: (80, 24))
    await s.command("theme light", themes: installed)
    expectEqual(s.themeName, "light")
    expectEqual(s.message?.text, "theme light")
    let file = try ThemeLoader.load(file: repositoryRoot.appendingPathComponent("Themes/light.theme")).theme
    expectEqual(s.theme, file)
    await s.command("theme print", themes: installed)
    expectEqual(s.themeName, "print")
}
