/// The parts of ONNX's messages (onnx.proto, onnx 1.23) that the conversion reads, each
/// decoded from its fields by number; every other field is skipped. Field numbers are the
/// proto file's.
struct ONNXModel {
    var producerName = ""
    var producerVersion = ""
    var opsets: [(domain: String, version: Int)] = []
    var graph: ONNXGraph?

    init(_ bytes: [UInt8]) throws(ProtobufReader.Failure) {
        var r = ProtobufReader(bytes)
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch (number, type) {
            case (2, .lengthDelimited): producerName = try r.string()
            case (3, .lengthDelimited): producerVersion = try r.string()
            case (7, .lengthDelimited): var m = try r.message(); graph = try ONNXGraph(&m)
            case (8, .lengthDelimited):
                var m = try r.message()
                var domain = "", version = 0
                while !m.isAtEnd {
                    let (n, t) = try m.field()
                    switch (n, t) {
                    case (1, .lengthDelimited): domain = try m.string()
                    case (2, .varint): version = Int(truncatingIfNeeded: try m.varint())
                    default: try m.skip(t)
                    }
                }
                opsets.append((domain, version))
            default: try r.skip(type)
            }
        }
    }
}

struct ONNXGraph {
    var node: [ONNXNode] = []
    var initializer: [ONNXTensor] = []
    var input: [ONNXValueInfo] = []
    var output: [ONNXValueInfo] = []

    init(_ r: inout ProtobufReader) throws(ProtobufReader.Failure) {
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch (number, type) {
            case (1, .lengthDelimited): var m = try r.message(); node.append(try ONNXNode(&m))
            case (5, .lengthDelimited): var m = try r.message(); initializer.append(try ONNXTensor(&m))
            case (11, .lengthDelimited): var m = try r.message(); input.append(try ONNXValueInfo(&m))
            case (12, .lengthDelimited): var m = try r.message(); output.append(try ONNXValueInfo(&m))
            case (15, .lengthDelimited): throw ProtobufReader.Failure(reason: "sparse initializers are not read by gradstep")
            default: try r.skip(type)
            }
        }
    }
}

struct ONNXNode {
    var input: [String] = []
    var output: [String] = []
    var name = ""
    var opType = ""
    var domain = ""
    var attribute: [ONNXAttribute] = []

    init(_ r: inout ProtobufReader) throws(ProtobufReader.Failure) {
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch (number, type) {
            case (1, .lengthDelimited): input.append(try r.string())
            case (2, .lengthDelimited): output.append(try r.string())
            case (3, .lengthDelimited): name = try r.string()
            case (4, .lengthDelimited): opType = try r.string()
            case (5, .lengthDelimited): var m = try r.message(); attribute.append(try ONNXAttribute(&m))
            case (7, .lengthDelimited): domain = try r.string()
            default: try r.skip(type)
            }
        }
    }
}

struct ONNXAttribute {
    /// AttributeProto.AttributeType's numbers.
    enum Kind: Int { case undefined = 0, float = 1, int = 2, string = 3, tensor = 4, graph = 5, floats = 6, ints = 7, strings = 8 }

    var name = ""
    var kind = Kind.undefined
    var f: Float?
    var i: Int64?
    var s: [UInt8] = []
    var t: ONNXTensor?
    var floats: [Float] = []
    var ints: [Int64] = []

    init(_ r: inout ProtobufReader) throws(ProtobufReader.Failure) {
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch (number, type) {
            case (1, .lengthDelimited): name = try r.string()
            case (2, .fixed32): f = Float(bitPattern: try r.fixed32())
            case (3, .varint): i = Int64(bitPattern: try r.varint())
            case (4, .lengthDelimited): s = try r.data()
            case (5, .lengthDelimited): var m = try r.message(); t = try ONNXTensor(&m)
            case (7, _): try r.repeated(type, into: &floats) { (m: inout ProtobufReader) throws(ProtobufReader.Failure) in Float(bitPattern: try m.fixed32()) }
            case (8, _): try r.repeated(type, into: &ints) { (m: inout ProtobufReader) throws(ProtobufReader.Failure) in Int64(bitPattern: try m.varint()) }
            case (20, .varint): kind = Kind(rawValue: Int(truncatingIfNeeded: try r.varint())) ?? .undefined
            default: try r.skip(type)
            }
        }
    }
}

struct ONNXTensor {
    /// TensorProto.DataType's numbers.
    enum DataType: Int, CustomStringConvertible {
        case undefined = 0, float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8, bool = 9
        case float16 = 10, double = 11, uint32 = 12, uint64 = 13, complex64 = 14, complex128 = 15, bfloat16 = 16
        var description: String { "\(self)".uppercased() }
    }

    var dims: [Int64] = []
    var dataType: Int32 = 0
    var floatData: [Float] = []
    var int32Data: [Int32] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    var name = ""
    var rawData: [UInt8] = []
    /// External data (weights in another file): named in an error, never read.
    var isExternal = false

    init(_ r: inout ProtobufReader) throws(ProtobufReader.Failure) {
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch (number, type) {
            case (1, _): try r.repeated(type, into: &dims) { (m: inout ProtobufReader) throws(ProtobufReader.Failure) in Int64(bitPattern: try m.varint()) }
            case (2, .varint): dataType = Int32(truncatingIfNeeded: try r.varint())
            case (4, _): try r.repeated(type, into: &floatData) { (m: inout ProtobufReader) throws(ProtobufReader.Failure) in Float(bitPattern: try m.fixed32()) }
            case (5, _): try r.repeated(type, into: &int32Data) { (m: inout ProtobufReader) throws(ProtobufReader.Failure) in Int32(truncatingIfNeeded: Int64(bitPattern: try m.varint())) }
            case (7, _): try r.repeated(type, into: &int64Data) { (m: inout ProtobufReader) throws(ProtobufReader.Failure) in Int64(bitPattern: try m.varint()) }
            case (8, .lengthDelimited): name = try r.string()
            case (9, .lengthDelimited): rawData = try r.data()
            case (10, _): try r.repeated(type, into: &doubleData) { (m: inout ProtobufReader) throws(ProtobufReader.Failure) in Double(bitPattern: try m.fixed64()) }
            case (13, .lengthDelimited): _ = try r.message(); isExternal = true
            case (14, .varint): if try r.varint() == 1 { isExternal = true }
            default: try r.skip(type)
            }
        }
    }
}

struct ONNXValueInfo {
    /// A size of the tensor: fixed, or named and left open (`batch`).
    enum Dimension { case value(Int64), parameter(String) }

    var name = ""
    /// Whether the type is a tensor (not a sequence, map or optional).
    var isTensor = false
    var elemType: Int32 = 0
    var dims: [Dimension] = []

    init(_ r: inout ProtobufReader) throws(ProtobufReader.Failure) {
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch (number, type) {
            case (1, .lengthDelimited): name = try r.string()
            case (2, .lengthDelimited):
                var typeProto = try r.message()
                while !typeProto.isAtEnd {
                    let (n, t) = try typeProto.field()
                    guard n == 1, t == .lengthDelimited else { try typeProto.skip(t); continue }
                    isTensor = true
                    var tensor = try typeProto.message()
                    while !tensor.isAtEnd {
                        let (k, kt) = try tensor.field()
                        switch (k, kt) {
                        case (1, .varint): elemType = Int32(truncatingIfNeeded: try tensor.varint())
                        case (2, .lengthDelimited):
                            var shape = try tensor.message()
                            while !shape.isAtEnd {
                                let (d, dt) = try shape.field()
                                guard d == 1, dt == .lengthDelimited else { try shape.skip(dt); continue }
                                var dim = try shape.message()
                                var dimension = Dimension.parameter("")
                                while !dim.isAtEnd {
                                    let (e, et) = try dim.field()
                                    switch (e, et) {
                                    case (1, .varint): dimension = .value(Int64(bitPattern: try dim.varint()))
                                    case (2, .lengthDelimited): dimension = .parameter(try dim.string())
                                    default: try dim.skip(et)
                                    }
                                }
                                dims.append(dimension)
                            }
                        default: try tensor.skip(kt)
                        }
                    }
                }
            default: try r.skip(type)
            }
        }
    }
}
