import Foundation
import Screen
import Testing
import TestSupport

@Suite("Theme")
struct ThemeTests {
    @Test func theDefaultThemeCoversEveryRole() {
        for role in Role.allCases where role != .background && role != .text {
            expectTrue(Theme.default.color(for: role) != nil, "\(role)")
        }
        expectEqual(Theme.default.attributes(for: .current), [.reverse, .bold])
        expectEqual(Role(rawValue: "status_bar"), .statusBar)
    }

    @Test func parsesAGoodFile() {
        let text = """
            # gradstep test theme
            background = "#1e1e2e"    # comment allowed after the value

            value      = "#89b4fa"
              status_bar="#313244"
            text = "default"
            """
        let (theme, warnings) = Theme.parse(text, name: "test", file: "test.theme")
        expectEqual(warnings, [])
        expectEqual(theme.name, "test")
        expectEqual(theme.color(for: .background), Color(hex: "#1e1e2e"))
        expectEqual(theme.color(for: .value), Color(hex: "#89b4fa"))
        expectTrue(theme.color(for: .text) == nil)
        expectEqual(theme.background(for: .statusText), Color(hex: "#313244"))
        expectEqual(theme.background(for: .value), Color(hex: "#1e1e2e"))
        expectEqual(theme.foreground(for: .statusBar), Theme.default.color(for: .statusText))
    }

    @Test func missingRolesFallBackOneByOne() {
        let (theme, _) = Theme.parse(##"tangent = "#00ff00""##, name: "t", file: "t.theme")
        expectEqual(theme.color(for: .tangent), Color(hex: "#00ff00"))
        for role in Role.allCases where role != .tangent {
            expectEqual(theme[role], Theme.default[role], "\(role)")
        }
    }

    @Test func badLinesGiveWarningsWithFileAndLine() {
        let text = """
            # line 1
            value = "#89b4fa"
            valu = "#89b4fa"
            statusBar = "#000000"
            tangent = "#12345"
            adjoint = #fab387
            current
            kink = "#ff0000" bold
            edge = "#ff0000
            value = "#000000"
            frobnicate = "#000000"
            = "#000000"
            """
        let (theme, warnings) = Theme.parse(text, name: "dark", file: "dark.theme")
        expectEqual(warnings.map(\.description), [
            "dark.theme:3: warning: unknown role 'valu' (did you mean 'value'?)",
            "dark.theme:4: warning: unknown role 'statusBar' (did you mean 'status_bar'?)",
            ##"dark.theme:5: warning: malformed colour '#12345' for 'tangent' (expected "#RRGGBB" or "default")"##,
            ##"dark.theme:6: warning: expected a quoted colour like "#89b4fa" for 'adjoint'"##,
            ##"dark.theme:7: warning: expected 'role = "#RRGGBB"', found 'current'"##,
            "dark.theme:8: warning: unexpected 'bold' after the colour for 'kink'",
            "dark.theme:9: warning: missing closing quote in the colour for 'edge'",
            "dark.theme:10: warning: 'value' is set again (line 2 is overridden)",
            "dark.theme:11: warning: unknown role 'frobnicate'",
            "dark.theme:12: warning: missing role name before '='",
        ])
        // Bad lines are ignored; good ones apply.
        expectEqual(theme.color(for: .value), Color(hex: "#000000"))
        expectEqual(theme[.tangent], Theme.default[.tangent])
        expectEqual(theme[.kink], Theme.default[.kink])
    }

    @Test func everyShippedThemeLoadsWithoutWarnings() throws {
        let folder = repositoryRoot.appendingPathComponent("Themes")
        let loader = ThemeLoader(searchPaths: [folder])
        let names = loader.availableThemes()
        expectContains(names, "default")
        for required in ["dark", "light", "print", "colorblind"] {
            expectContains(names, required, "Themes/\(required).theme is missing")
        }
        for name in names {
            let loaded = try loader.load(named: name)
            expectEqual(loaded.warnings, [], "\(name)")
            expectEqual(loaded.theme.name, name)
        }
    }

    @Test func everyShippedThemeSetsEveryRoleWithAComment() throws {
        let folder = repositoryRoot.appendingPathComponent("Themes")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".theme") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            for role in Role.allCases {
                let line = lines.first { $0.hasPrefix(role.name + " ") || $0.hasPrefix(role.name + "=") }
                expectEqual(line?.contains("# "), true, "\(file): \(role.name)")
            }
        }
    }

    @Test func printThemeDiffersByLightness() throws {
        let theme = try ThemeLoader(searchPaths: [repositoryRoot.appendingPathComponent("Themes")])
            .load(named: "print").theme
        for role in Role.allCases {
            guard let color = theme.color(for: role) else { continue }
            expectTrue(color.red == color.green && color.green == color.blue, "\(role) is not grey")
        }
        expectEqual(theme.color(for: .background), Color(hex: "#ffffff"))
        expectEqual(theme.color(for: .text), Color(hex: "#000000"))
        let lightness = [Role.value, .tangent, .adjoint].compactMap { theme.color(for: $0)?.red }
        expectEqual(Set(lightness).count, 3)
    }

    @Test func loaderFindsThemesAndExplainsWhatIsMissing() throws {
        let empty = ThemeLoader(searchPaths: [URL(fileURLWithPath: "/nonexistent/Themes")])
        let builtIn = ["colorblind", "colorblind-light", "dark", "default", "light", "print"]
        expectEqual(empty.availableThemes(), builtIn)
        try expectEqual(empty.load(named: "default").theme, .default)
        #expect(throws: ThemeError.notFound(name: "dakr", available: builtIn)) {
            try empty.load(named: "dakr")
        }
        expectEqual(ThemeError.notFound(name: "dakr", available: ["dark", "default"]).description, "error: no theme 'dakr' (available: dark, default)")

        let folder = repositoryRoot.appendingPathComponent("Themes")
        let direct = try empty.load(named: folder.appendingPathComponent("dark.theme").path)
        expectEqual(direct.theme.name, "dark")
        #expect(throws: ThemeError.self) { try empty.load(named: "/nonexistent/x.theme") }
    }

    @Test func defaultSearchPathsGoExplicitThenCurrentThenExecutableParents() {
        let paths = ThemeLoader.defaultSearchPaths(
            explicitFolder: URL(fileURLWithPath: "/opt/my-themes"),
            currentDirectory: URL(fileURLWithPath: "/home/u/work"),
            executable: URL(fileURLWithPath: "/repo/.build/debug/gradstep"))
        expectEqual(paths.map(\.path), [
            "/opt/my-themes", "/home/u/work/Themes", "/repo/.build/debug/Themes",
            "/repo/.build/Themes", "/repo/Themes", "/Themes",
        ])
    }
}
