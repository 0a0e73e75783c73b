import Foundation

/// A 24-bit colour, written `#RRGGBB` in theme files, with its nearest stand-ins for terminals
/// that have only 256 or 8 colours.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `#RRGGBB` (case-insensitive); nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#"),
              let value = UInt32(String(hex.dropFirst()), radix: 16),
              hex.dropFirst().allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// `#rrggbb`
    public var hex: String {
        "#" + [red, green, blue].map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    public var description: String { hex }

    /// Relative luminance, 0 (black) to 1 (white), as WCAG defines it.
    public var luminance: Double {
        func linear(_ c: UInt8) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : Foundation.pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG contrast ratio between two colours: 1 (none) to 21 (black on white).
    public func contrast(with other: Color) -> Double {
        let (a, b) = (luminance, other.luminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    // MARK: - Terminal palettes

    private static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The nearest colour of the xterm 256-colour palette, from its 6×6×6 cube (16–231) or its
    /// grey ramp (232–255). Indices 0–15 are skipped: users redefine them.
    public var xterm256: Int {
        func nearestLevel(_ c: UInt8) -> Int {
            Self.cubeLevels.indices.min { abs(Self.cubeLevels[$0] - Int(c)) < abs(Self.cubeLevels[$1] - Int(c)) }!
        }
        let (r, g, b) = (nearestLevel(red), nearestLevel(green), nearestLevel(blue))
        let cube = Color(red: UInt8(Self.cubeLevels[r]), green: UInt8(Self.cubeLevels[g]),
                         blue: UInt8(Self.cubeLevels[b]))
        let mean = (Int(red) + Int(green) + Int(blue)) / 3
        let greyStep = min(23, max(0, (mean - 8 + 5) / 10))
        let greyLevel = UInt8(8 + 10 * greyStep)
        let grey = Color(red: greyLevel, green: greyLevel, blue: greyLevel)
        return distance(to: grey) < distance(to: cube) ? 232 + greyStep : 16 + 36 * r + 6 * g + b
    }

    /// The nearest of the 8 basic ANSI colours (0 black, 1 red, 2 green, 3 yellow, 4 blue,
    /// 5 magenta, 6 cyan, 7 white): greys by lightness, other colours by hue, so a pale blue
    /// stays blue instead of turning white.
    public var basic8: Int {
        let channels = [Int(red), Int(green), Int(blue)]
        let hi = channels.max()!, lo = channels.min()!
        if hi - lo < 48 {
            return (hi + lo) / 2 >= 128 ? 7 : 0
        }
        let mid = (hi + lo) / 2
        let bits = channels.enumerated().reduce(0) { $0 | ($1.element > mid ? 1 << $1.offset : 0) }
        return bits    // r = 1, g = 2, b = 4: exactly the ANSI numbering
    }

    /// Squared distance, weighted for how the eye sees (the "redmean" approximation).
    func distance(to other: Color) -> Int {
        let rMean = (Int(red) + Int(other.red)) / 2
        let dr = Int(red) - Int(other.red), dg = Int(green) - Int(other.green), db = Int(blue) - Int(other.blue)
        return ((512 + rMean) * dr * dr) / 256 + 4 * dg * dg + ((767 - rMean) * db * db) / 256
    }
}
