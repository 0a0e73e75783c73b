import Foundation

/// Protocol Buffers' binary wire format, read field by field: what an `.onnx` file is. Only
/// reading, and only what the ONNX messages gradstep reads use (varints, 32- and 64-bit
/// numbers, length-delimited bytes, packed repeated numbers); anything else is skipped by its
/// wire type or is a clear error. Every length is checked against what is left, so a cut or
/// hostile file ends in an error, never a read past the end.
struct ProtobufReader {
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    struct Failure: Error { var reason: String }

    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    private init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        position = start
        self.end = end
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type.
    mutating func field() throws(Failure) -> (number: Int, type: WireType) {
        let key = try varint()
        guard let type = WireType(rawValue: key & 7), key >> 3 > 0, key >> 3 < 1 << 29 else {
            throw Failure(reason: "a field key \(key) at byte \(position) is not protobuf's")
        }
        return (Int(key >> 3), type)
    }

    mutating func varint() throws(Failure) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw Failure(reason: "the data ends inside a number") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw Failure(reason: "a number longer than 10 bytes at byte \(position)") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func fixed32() throws(Failure) -> UInt32 {
        guard end - position >= 4 else { throw Failure(reason: "the data ends inside a 32-bit number") }
        defer { position += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[position + $1]) << (8 * UInt32($1)) }
    }

    mutating func fixed64() throws(Failure) -> UInt64 {
        guard end - position >= 8 else { throw Failure(reason: "the data ends inside a 64-bit number") }
        defer { position += 8 }
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[position + $1]) << (8 * UInt64($1)) }
    }

    /// A length-delimited field's reader, and this reader moved past it.
    mutating func message() throws(Failure) -> ProtobufReader {
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw Failure(reason: "a field of \(length) bytes at byte \(position) runs past the end of the data (\(end - position) bytes left)")
        }
        let start = position
        position += Int(length)
        return ProtobufReader(bytes, from: start, to: position)
    }

    mutating func data() throws(Failure) -> [UInt8] {
        let inner = try message()
        return Array(bytes[inner.position..<inner.end])
    }

    mutating func string() throws(Failure) -> String {
        String(decoding: try data(), as: UTF8.self)
    }

    /// Skips a field of `type` that is not read.
    mutating func skip(_ type: WireType) throws(Failure) {
        switch type {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try message()
        case .startGroup, .endGroup: throw Failure(reason: "a group field (protobuf's old groups are not in ONNX)")
        }
    }

    /// A repeated number field, packed (one length-delimited run) or one element per field.
    mutating func repeated<T>(_ type: WireType, into list: inout [T], _ read: (inout ProtobufReader) throws(Failure) -> T) throws(Failure) {
        if type == .lengthDelimited {
            var run = try message()
            while !run.isAtEnd { list.append(try read(&run)) }
        } else {
            list.append(try read(&self))
        }
        guard list.count <= 100_000_000 else { throw Failure(reason: "a list of more than 100,000,000 numbers") }
    }
}
