import Explorer
import Foundation
@testable import GraphExport
import Screen
import Testing
import TestSupport

/// Every theme file in Themes/.
func themeFiles() -> [URL] {
    let folder = repositoryRoot.appendingPathComponent("Themes")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".theme") }.sorted().map { folder.appendingPathComponent($0) }
}

/// WCAG 2 contrast, computed here from the definition (relative luminance of sRGB), not with
/// the code under test.
func wcagContrast(_ a: String, _ b: String) throws -> Double {
    func luminance(_ hex: String) throws -> Double {
        let n = try #require(Int(hex.dropFirst().prefix(6), radix: 16))
        let channels = [n >> 16 & 0xFF, n >> 8 & 0xFF, n & 0xFF].map { c -> Double in
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }
    let x = try luminance(a), y = try luminance(b)
    return (max(x, y) + 0.05) / (min(x, y) + 0.05)
}

/// Text a theme draws must read: a contrast of at least 4.5:1 (WCAG AA) for every text role
/// against every fill it is drawn on, in the explorer and in exported pictures.
@Suite struct ThemeContrastTests {
    static let themes = themeFiles().map(\.lastPathComponent)

    @Test func thereIsALightColourBlindThemeBesideTheDarkOne() throws {
        expectContains(Self.themes, "colorblind.theme")
        expectContains(Self.themes, "colorblind-light.theme")
        let light = try ThemeLoader.load(file: repositoryRoot.appendingPathComponent("Themes/colorblind-light.theme")).theme
        let background = try #require(light.color(for: .background)?.hex)
        try expectTrue(wcagContrast(background, "#000000") > 15)
    }

    /// Roles whose colour is drawn as text (borders, edges and fills are not).
    static let textRoles = Role.allCases.filter { ![.background, .border, .focusBorder, .edge, .statusBar].contains($0) }

    @Test(arguments: themes)
    func everyTextRoleReadsOnTheScreen(file: String) throws {
        let loaded = try ThemeLoader.load(file: repositoryRoot.appendingPathComponent("Themes/\(file)"))
        expectTrue(loaded.warnings.isEmpty)
        let theme = loaded.theme
        for role in Self.textRoles {
            guard let text = theme.foreground(for: role)?.hex, let fill = theme.background(for: role)?.hex else { continue }
            let ratio = try wcagContrast(text, fill)
            expectTrue(ratio >= 4.5, "\(file): \(role.rawValue) \(text) on \(fill) is \(ratio):1")
        }
    }

    @Test func theBuiltInStatusBarReads() throws {
        let theme = Theme.default
        let text = try #require(theme.foreground(for: .statusText)?.hex), fill = try #require(theme.background(for: .statusText)?.hex)
        try expectTrue(wcagContrast(text, fill) >= 4.5)
    }

    static func palettes() throws -> [(String, DotPalette)] {
        var result = [("built-in", DotPalette.light)]
        for file in themeFiles() {
            result.append((file.lastPathComponent, DotPalette(theme: try ThemeLoader.load(file: file).theme)))
        }
        return result
    }

    @Test func everyTextRoleReadsOnEveryNodeFillOfAPicture() throws {
        let palettes = try Self.palettes()
        expectEqual(palettes.count, Self.themes.count + 1)
        for (name, p) in palettes {
            for fill in DotPalette.NodeFill.allCases {
                for (role, colour) in p.nodeTextRoles {
                    let ratio = try wcagContrast(colour, p.fill(fill))
                    expectTrue(ratio >= 4.5, "\(name): \(role) \(colour) on the \(fill) fill \(p.fill(fill)) is \(ratio):1")
                }
            }
            for (role, colour) in p.backgroundTextRoles {
                let ratio = try wcagContrast(colour, p.background)
                expectTrue(ratio >= 4.5, "\(name): \(role) \(colour) on the background is \(ratio):1")
            }
        }
    }

    /// The case: the print theme's current node with a tangent on it.
    @Test func printThemeCurrentNodeAndTangentRead() throws {
        let p = DotPalette(theme: try ThemeLoader.load(file: repositoryRoot.appendingPathComponent("Themes/print.theme")).theme)
        try expectTrue(wcagContrast(p.tangent, p.fill(.current)) >= 4.5)
        try expectTrue(wcagContrast(p.text, p.fill(.current)) >= 4.5)
    }

    @Test func contrastAgreesWithTheDefinition() throws {
        expectTrue(abs(try #require(DotPalette.contrast("#000000", "#FFFFFF")) - 21) < 1e-9)
        expectTrue(abs(try #require(DotPalette.contrast("#808080", "#BFBFBF")) - (try wcagContrast("#808080", "#BFBFBF"))) < 0.01)
    }
}
