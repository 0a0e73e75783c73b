import Foundation

/// A tensor whose numbers are in the model file: an initializer or a `Constant` node's value.
/// Weights become `param`s with these numbers; integer ones are the indices of a `Gather` or
/// the sizes a `Reshape` reads, used when the model is converted.
struct StaticTensor {
    var shape: [Int]
    var values: [Double]
    /// Stored as whole numbers (int64, int32, …): indices or sizes, never a weight.
    var isInteger: Bool
    /// Stored as float32: written with the shortest decimal that reads back as the same
    /// float32 (0.5011568, not 0.5011568069458008), as a student reads the weights.
    var isSingle = false

    var count: Int { shape.reduce(1, *) }

    /// The numbers of `tensor`, whatever the encoding (`raw_data` little-endian bytes or the
    /// typed fields), or why they cannot be read.
    init(_ tensor: ONNXTensor, context: String) throws(ONNXError) {
        shape = tensor.dims.map { Int($0) }
        guard shape.allSatisfy({ $0 >= 0 }), shape.count <= 8 else {
            throw ONNXError("\(context): the tensor \(ONNXNames.shown(tensor.name)) has the sizes \(shape), which are not a tensor's")
        }
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count <= ONNXLimits.maximumElements else {
            throw ONNXError("\(context): the tensor \(ONNXNames.shown(tensor.name)) has \(count) elements; gradstep reads tensors of at most \(ONNXLimits.maximumElements)")
        }
        guard let type = ONNXTensor.DataType(rawValue: Int(tensor.dataType)) else {
            throw ONNXError("\(context): the tensor \(ONNXNames.shown(tensor.name)) has an unknown element type \(tensor.dataType)")
        }
        guard !tensor.isExternal else {
            throw ONNXError("\(context): the tensor \(ONNXNames.shown(tensor.name)) keeps its numbers in an external file; save the model with its weights inside (onnx.save(model, path, save_as_external_data=False))")
        }
        let raw = tensor.rawData
        func fromRaw<T>(_: T.Type, _ convert: (T) -> Double) -> [Double]? {
            guard !raw.isEmpty else { return nil }
            guard raw.count == count * MemoryLayout<T>.size else { return [] }
            return raw.withUnsafeBytes { bytes in (0..<count).map { convert(bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) } }
        }
        var numbers: [Double]?
        switch type {
        case .float:
            isInteger = false
            isSingle = true
            numbers = fromRaw(UInt32.self) { Double(Float(bitPattern: UInt32(littleEndian: $0))) } ?? tensor.floatData.map(Double.init)
        case .double:
            isInteger = false
            numbers = fromRaw(UInt64.self) { Double(bitPattern: UInt64(littleEndian: $0)) } ?? tensor.doubleData
        case .int64:
            isInteger = true
            numbers = fromRaw(UInt64.self) { Double(Int64(bitPattern: UInt64(littleEndian: $0))) } ?? tensor.int64Data.map(Double.init)
        case .int32, .int16, .int8, .uint8, .uint16, .bool:
            isInteger = true
            let width: Int = switch type { case .int32: 4; case .int16, .uint16: 2; default: 1 }
            if !raw.isEmpty {
                guard raw.count == count * width else { numbers = []; break }
                numbers = raw.withUnsafeBytes { bytes in
                    (0..<count).map { k -> Double in
                        switch type {
                        case .int32: Double(Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))
                        case .int16: Double(Int16(bitPattern: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))))
                        case .uint16: Double(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self)))
                        case .int8: Double(Int8(bitPattern: bytes[k]))
                        default: Double(bytes[k])
                        }
                    }
                }
            } else {
                numbers = tensor.int32Data.map(Double.init)
            }
        default:
            throw ONNXError("\(context): the tensor \(ONNXNames.shown(tensor.name)) holds \(type) numbers; gradstep reads float, double and integer tensors")
        }
        guard let numbers, numbers.count == count else {
            throw ONNXError("\(context): the tensor \(ONNXNames.shown(tensor.name)) has sizes \(shape) (\(count) elements) but \(numbers?.count ?? 0) numbers")
        }
        values = numbers
    }

    init(shape: [Int], values: [Double], isInteger: Bool, isSingle: Bool = false) {
        self.shape = shape
        self.values = values
        self.isInteger = isInteger
        self.isSingle = isSingle
    }

    /// The numbers as whole numbers (sizes, axes, indices).
    var integers: [Int] { values.map { Int($0) } }
}

/// How much of a model gradstep reads: the language's own tensor limit, so a model that
/// converts also evaluates.
enum ONNXLimits {
    static let maximumElements = 1_000_000
    static let maximumNodes = 100_000
    static let maximumFileBytes = 256_000_000
}

/// Why a model cannot be converted: one line naming the node, its op type and what is wrong.
public struct ONNXError: Error, CustomStringConvertible, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
