import Foundation
import GraphCore

/// Colours of a DOT picture, one `#RRGGBB` string per role. The roles are the ones the
/// explorer's themes use, so a theme maps onto a palette field by field.
///
/// Role colours are used for borders and text; fills are `tint`s of them over `background`,
/// so a dark theme gives dark fills and a light theme light ones.
public struct DotPalette: Hashable, Sendable {
    public var background: String
    public var text: String
    public var muted: String
    public var border: String
    public var title: String
    public var value: String
    public var tangent: String
    public var adjoint: String
    public var current: String
    public var done: String
    public var input: String
    public var param: String
    public var constant: String
    public var output: String
    public var kink: String
    public var edge: String

    public init(background: String, text: String, muted: String, border: String, title: String,
                value: String, tangent: String, adjoint: String, current: String, done: String,
                input: String, param: String, constant: String, output: String, kink: String,
                edge: String) {
        self.background = background
        self.text = text
        self.muted = muted
        self.border = border
        self.title = title
        self.value = value
        self.tangent = tangent
        self.adjoint = adjoint
        self.current = current
        self.done = done
        self.input = input
        self.param = param
        self.constant = constant
        self.output = output
        self.kink = kink
        self.edge = edge
    }

    /// The built-in palette: dark text on white, accents that stay apart in greyscale print.
    public static let light = DotPalette(
        background: "#FFFFFF", text: "#1A1A1A", muted: "#5E5E5E", border: "#404040",
        title: "#000000", value: "#1A1A1A", tangent: "#1F5FA8", adjoint: "#A8321F",
        current: "#D98E04", done: "#2E7031", input: "#1F5FA8", param: "#6E3AA8",
        constant: "#8C8C8C", output: "#000000", kink: "#C2185B", edge: "#505050")

    /// What a node is filled with: a tint of its kind's or its status's colour over the
    /// background, light enough that every text role on it stays readable.
    public enum NodeFill: CaseIterable, Sendable { case plain, input, param, constant, current, done }

    /// The fill colour of `kind`.
    public func fill(_ kind: NodeFill) -> String {
        switch kind {
        case .plain: background
        case .input: tint(input, 0.12)
        case .param: tint(param, 0.12)
        case .constant: tint(constant, 0.15)
        case .current: tint(current, 0.12)
        case .done: tint(done, 0.12)
        }
    }

    /// Every colour text is drawn in inside a node, by role name: the contrast test checks each
    /// against every `NodeFill`.
    public var nodeTextRoles: [(role: String, colour: String)] {
        [("text", text), ("muted", muted), ("value", value), ("tangent", tangent), ("adjoint", adjoint), ("kink", kink)]
    }

    /// Every colour text is drawn in on the background: titles and edge labels (a current
    /// edge's label is drawn in `text`, bold, beside its `current`-coloured line).
    public var backgroundTextRoles: [(role: String, colour: String)] {
        [("title", title), ("muted", muted), ("adjoint", adjoint), ("done", done), ("text", text)]
    }

    /// The WCAG 2 contrast ratio of two `#RRGGBB` colours, 1…21; nil for anything else.
    public static func contrast(_ a: String, _ b: String) -> Double? {
        guard let x = luminance(a), let y = luminance(b) else { return nil }
        return (Swift.max(x, y) + 0.05) / (Swift.min(x, y) + 0.05)
    }

    /// WCAG 2 relative luminance of `#RRGGBB`.
    static func luminance(_ hex: String) -> Double? {
        guard let (r, g, b) = rgb(hex) else { return nil }
        func linear(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : Foundation.pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// `colour` mixed with `background`: `amount` 0 is the background, 1 the colour itself.
    /// Colours that are not `#RRGGBB` are returned unchanged.
    public func tint(_ colour: String, _ amount: Double) -> String {
        guard let c = Self.rgb(colour), let b = Self.rgb(background) else { return colour }
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(y) + (Double(x) - Double(y)) * amount).rounded()) }
        let parts = [mix(c.0, b.0), mix(c.1, b.1), mix(c.2, b.2)]
        return "#" + parts.map { p in
            let h = String(p, radix: 16, uppercase: true)
            return h.count == 1 ? "0" + h : h
        }.joined()
    }

    /// Every role as `#RRGGBB` or `#RRGGBBAA`; roles holding anything else take the colour of
    /// `light`, so a broken theme cannot make Graphviz reject the picture.
    public var checked: DotPalette {
        var p = self
        let roles: [WritableKeyPath<DotPalette, String>] = [
            \.background, \.text, \.muted, \.border, \.title, \.value, \.tangent, \.adjoint, \.current,
            \.done, \.input, \.param, \.constant, \.output, \.kink, \.edge,
        ]
        for role in roles where !Self.isColour(p[keyPath: role]) { p[keyPath: role] = DotPalette.light[keyPath: role] }
        return p
    }

    /// `#RRGGBB` or `#RRGGBBAA`.
    public static func isColour(_ s: String) -> Bool {
        (s.utf8.count == 7 || s.utf8.count == 9) && s.hasPrefix("#")
            && s.utf8.dropFirst().allSatisfy { (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) }
    }

    static func rgb(_ hex: String) -> (Int, Int, Int)? {
        guard hex.count == 7, hex.hasPrefix("#"), let n = Int(hex.dropFirst(), radix: 16) else { return nil }
        return (n >> 16 & 0xFF, n >> 8 & 0xFF, n & 0xFF)
    }
}

/// How a DOT picture is laid out and drawn.
public struct DotOptions: Hashable, Sendable {
    /// Direction of the edges: operands to results left to right, or top to bottom.
    public enum RankDir: String, CaseIterable, Sendable { case LR, TB }

    /// The direction; nil chooses the arrangement (a direction, or one wrapped in rows or
    /// columns) that fits a 16:9 slide and an A4 page best (`Graphviz.slideLayout`, trying
    /// `Scene.chooseRankdir`'s estimate first).
    public var rankdir: RankDir?
    public var palette: DotPalette
    /// A font name Graphviz passes to fontconfig.
    public var font: String
    /// Significant digits of every number in nodes and on edges.
    public var digits: Int
    /// Draw each constant as a box of its own; by default a constant is written inside its
    /// consumer's label (the op's formula already names it).
    public var showConstants: Bool
    /// The graph's groups and which are open; a folded group is drawn as one box. Nil (or
    /// every group open) draws every node.
    public var folding: GroupFolding?
    /// A line under the title: what the picture leaves out (`FoldToFit`).
    public var note: String?
    /// The folded boxes made to fit a slide (`FoldToFit`), which `--detail full` opens (the
    /// graph's own groups open with `--open NAME`).
    public var madeToFit: Set<String> = []
    /// `wrap` layers side by side in each row (top to bottom: read like text, left to right,
    /// then the next row; left to right: in columns, read down, then the next column), for a
    /// long picture too tall in one column and too wide in one row (`Scene.wrapRows`). Nil:
    /// one layer per rank.
    public var wrap: Int?

    public init(rankdir: RankDir? = nil, palette: DotPalette = .light, font: String = "Helvetica",
                digits: Int = 4, showConstants: Bool = false, folding: GroupFolding? = nil) {
        self.rankdir = rankdir
        self.palette = palette
        self.font = font
        self.digits = Swift.max(1, Swift.min(17, digits))
        self.showConstants = showConstants
        self.folding = folding
    }
}
