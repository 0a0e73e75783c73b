import Foundation
import Screen
import Testing
import TestSupport

/// The shipped themes are compiled in (`BuiltinThemes`), so an installed gradstep has them
/// with no `Themes/` folder; the copies cannot drift from the files.
@Suite("Built-in themes")
struct BuiltinThemeTests {
    static let folder = repositoryRoot.appendingPathComponent("Themes")

    static func filesOnDisk() throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".theme") {
            files[String(name.dropLast(".theme".count))] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    /// `Sources/Screen/BuiltinThemes.swift` for `files`.
    static func source(_ files: [String: String]) -> String {
        var out = """
            // Generated from Themes/*.theme; BuiltinThemeTests checks that it matches them. After
            // editing a theme file, regenerate with
            //     GRADSTEP_RECORD_BUILTIN_THEMES=1 swift test --disable-xctest --enable-swift-testing --filter BuiltinThemeTests

            /// The shipped themes' files, compiled in, so an installed `gradstep` has all of them
            /// wherever it runs. A `<name>.theme` file in a `Themes/` folder on the search path still
            /// overrides the built-in copy of that name (`ThemeLoader`).
            public enum BuiltinThemes {
                /// Theme file text by name (`dark` for `Themes/dark.theme`).
                public static let files: [String: String] = [

            """
        for name in files.keys.sorted() {
            out += "        \"\(name)\": ##\"\"\"\n\(files[name]!)\n\"\"\"##,\n"
        }
        return out + "    ]\n}\n"
    }

    @Test func theCompiledInCopiesAreTheFilesOnDisk() throws {
        let disk = try Self.filesOnDisk()
        if ProcessInfo.processInfo.environment["GRADSTEP_RECORD_BUILTIN_THEMES"] == "1" {
            let file = repositoryRoot.appendingPathComponent("Sources/Screen/BuiltinThemes.swift")
            try Self.source(disk).write(to: file, atomically: true, encoding: .utf8)
        }
        expectEqual(Set(BuiltinThemes.files.keys), Set(disk.keys), "Themes/ and BuiltinThemes differ: GRADSTEP_RECORD_BUILTIN_THEMES=1 swift test --disable-xctest --enable-swift-testing --filter BuiltinThemeTests")
        for (name, text) in disk {
            expectEqual(BuiltinThemes.files[name], text, "\(name).theme changed: regenerate BuiltinThemes.swift")
        }
        expectTrue(disk.keys.contains("print") && disk.keys.contains("light"))
    }

    @Test func aLoaderWithNoThemesFolderHasEveryShippedTheme() throws {
        let nowhere = ThemeLoader(searchPaths: [URL(fileURLWithPath: "/nonexistent/Themes")])
        for (name, _) in try Self.filesOnDisk() {
            let built = try nowhere.load(named: name)
            let file = try ThemeLoader.load(file: Self.folder.appendingPathComponent("\(name).theme"))
            expectTrue(built.warnings.isEmpty, "\(name)")
            expectEqual(built.theme, file.theme, "\(name)")
        }
        expectTrue(nowhere.listing().allSatisfy { $0.source.hasPrefix("built in") })
    }

    @Test func aFileInAThemesFolderOverridesTheBuiltInCopy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "value = \"#123456\"\n".write(to: folder.appendingPathComponent("dark.theme"), atomically: true, encoding: .utf8)
        try "value = \"#654321\"\n".write(to: folder.appendingPathComponent("mine.theme"), atomically: true, encoding: .utf8)
        let loader = ThemeLoader(searchPaths: [folder])
        try expectEqual(loader.load(named: "dark").theme.color(for: .value), Color(hex: "#123456"))
        try expectEqual(loader.load(named: "mine").theme.color(for: .value), Color(hex: "#654321"))
        try expectTrue(loader.load(named: "light").theme.color(for: .value) != nil)
        let listing = Dictionary(uniqueKeysWithValues: loader.listing().map { ($0.name, $0.source) })
        expectEqual(listing["dark"]?.hasSuffix("dark.theme (overrides the built-in copy)"), true)
        expectEqual(listing["mine"]?.hasSuffix("mine.theme"), true)
        expectEqual(listing["light"], "built in")
        let shipped = ThemeLoader(searchPaths: [Self.folder]).listing()
        expectEqual(shipped.first { $0.name == "print" }?.source.hasSuffix("(the same as the built-in copy)"), true)
    }
}
