import Foundation

/// An animated GIF made of the single-picture GIFs Graphviz draws (`dot -Tgif`), one per step,
/// each shown for `delay` seconds, looping: what PowerPoint, Keynote and Google Slides play.
///
/// No image library is needed: a GIF is a header, a screen size, an optional colour table
/// and blocks (GIF89a, https://www.w3.org/Graphics/GIF/spec-gif89a.txt). Each frame's image
/// blocks are copied as they are (still LZW-compressed), its global colour table becomes the
/// image's local one, and a graphic control extension in front of it sets the delay. The
/// screen is the largest frame; a frame is drawn at the top left and cleared before the
/// next one (disposal "restore to background"), so a smaller frame leaves nothing behind.
enum GIFAnimation {
    /// What is wrong with a GIF Graphviz wrote (it is not parsed as one).
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// One frame as read from its file: its size, transparency and image blocks.
    struct Frame {
        var width: Int
        var height: Int
        /// The graphic control extension's flags (transparency), nil when there is none.
        var control: (packed: UInt8, transparent: UInt8)?
        /// From the image separator (0x2C) to the end of the image data, the colour table
        /// flags rewritten when the global table moves into it.
        var image: Data
    }

    /// The animation of `frames` (each a whole GIF file), `delay` seconds per frame.
    static func animate(_ frames: [Data], delay: Double) throws(Malformed) -> Data {
        var parsed: [Frame] = []
        for (k, data) in frames.enumerated() {
            do throws(Malformed) { parsed.append(try frame(data)) } catch {
                throw Malformed(description: "frame \(k + 1): \(error.description)")
            }
        }
        let width = parsed.map(\.width).max() ?? 1, height = parsed.map(\.height).max() ?? 1
        var out = Data("GIF89a".utf8)
        out.append(le16(width)); out.append(le16(height))
        // No global colour table (each frame brings its own), background index 0, square pixels.
        out.append(contentsOf: [0x00, 0x00, 0x00])
        // Loop for ever (the NETSCAPE2.0 application extension every player reads).
        out.append(contentsOf: [0x21, 0xFF, 0x0B])
        out.append(Data("NETSCAPE2.0".utf8))
        out.append(contentsOf: [0x03, 0x01, 0x00, 0x00, 0x00])
        let hundredths = Int((Swift.min(delay, Handout.maximumDelay) * 100).rounded())
        for f in parsed {
            // Disposal 2 (restore to background) in bits 2–4, the frame's own transparency kept.
            let transparency = (f.control?.packed ?? 0) & 0x01
            out.append(contentsOf: [0x21, 0xF9, 0x04, 0x08 | transparency])
            out.append(le16(hundredths))
            out.append(contentsOf: [f.control?.transparent ?? 0, 0x00])
            out.append(f.image)
        }
        out.append(0x3B)
        return out
    }

    /// Reads one GIF file: screen size, global colour table, its graphic control extension and
    /// its first image (Graphviz writes one).
    static func frame(_ data: Data) throws(Malformed) -> Frame {
        let bytes = [UInt8](data)
        guard bytes.count >= 13, bytes.starts(with: Array("GIF8".utf8)) else { throw Malformed(description: "not a GIF file") }
        func need(_ end: Int) throws(Malformed) {
            if end > bytes.count { throw Malformed(description: "the file ends early") }
        }
        let width = Int(bytes[6]) | Int(bytes[7]) << 8, height = Int(bytes[8]) | Int(bytes[9]) << 8
        let packed = bytes[10]
        var at = 13
        var tablePacked: UInt8?
        var table = Data()
        if packed & 0x80 != 0 {
            let size = 3 << (Int(packed & 0x07) + 1)
            try need(at + size)
            table = Data(bytes[at ..< at + size])
            tablePacked = packed & 0x07
            at += size
        }
        /// The end of a chain of data sub-blocks starting at `start` (after its terminator).
        func subBlocks(from start: Int) throws(Malformed) -> Int {
            var p = start
            while true {
                try need(p + 1)
                let n = Int(bytes[p])
                p += 1
                if n == 0 { return p }
                p += n
            }
        }
        var control: (packed: UInt8, transparent: UInt8)?
        while at < bytes.count {
            switch bytes[at] {
            case 0x21:
                try need(at + 2)
                if bytes[at + 1] == 0xF9 {
                    try need(at + 7)
                    control = (bytes[at + 3], bytes[at + 6])
                }
                at = try subBlocks(from: at + 2)
            case 0x2C:
                try need(at + 10)
                var descriptor = Array(bytes[at ..< at + 10])
                var p = at + 10
                var local = Data()
                if descriptor[9] & 0x80 != 0 {
                    let size = 3 << (Int(descriptor[9] & 0x07) + 1)
                    try need(p + size)
                    local = Data(bytes[p ..< p + size])
                    p += size
                } else if let tablePacked {
                    // The global table becomes the image's local one (same size bits, interlace kept).
                    descriptor[9] = (descriptor[9] & 0x40) | 0x80 | tablePacked
                    local = table
                }
                try need(p + 1)
                let end = try subBlocks(from: p + 1)
                var image = Data(descriptor)
                image.append(local)
                image.append(contentsOf: bytes[p ..< end])
                return Frame(width: width, height: height, control: control, image: image)
            case 0x3B:
                throw Malformed(description: "no image in the file")
            default:
                throw Malformed(description: String(format: "unknown block 0x%02X at byte %d", bytes[at], at))
            }
        }
        throw Malformed(description: "no image in the file")
    }

    private static func le16(_ n: Int) -> Data { Data([UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF)]) }
}
