import Foundation

/// A node's attributes by name, read with the ONNX defaults and checked: an attribute the
/// conversion does not read is an error, so nothing the model says is silently dropped.
struct ONNXAttributes {
    let node: ONNXNode
    let context: String

    private func find(_ name: String) -> ONNXAttribute? { node.attribute.first { $0.name == name } }

    /// Errors on the first attribute not in `known`.
    func only(_ known: [String]) throws(ONNXError) {
        if let other = node.attribute.first(where: { !known.contains($0.name) }) {
            throw ONNXError("\(context): attribute \(ONNXNames.shown(other.name)) is not supported")
        }
    }

    func int(_ name: String, _ fallback: Int) throws(ONNXError) -> Int {
        guard let attribute = find(name) else { return fallback }
        guard let i = attribute.i else { throw ONNXError("\(context): attribute \(name) is not an integer") }
        return Int(clamping: i)
    }

    func float(_ name: String, _ fallback: Double) throws(ONNXError) -> Double {
        guard let attribute = find(name) else { return fallback }
        guard let f = attribute.f else { throw ONNXError("\(context): attribute \(name) is not a number") }
        guard f.isFinite else { throw ONNXError("\(context): attribute \(name) = \(f) is not finite") }
        // An attribute is a float32 in the file; runtimes use that float32's exact value (0.1
        // is 0.10000000149011612) even in a float64 model, so the program does too.
        return Double(f)
    }

    func ints(_ name: String) throws(ONNXError) -> [Int]? {
        guard let attribute = find(name) else { return nil }
        guard attribute.kind == .ints || !attribute.ints.isEmpty else { throw ONNXError("\(context): attribute \(name) is not a list of integers") }
        return attribute.ints.map { Int(clamping: $0) }
    }

    func string(_ name: String, _ fallback: String) throws(ONNXError) -> String {
        guard let attribute = find(name) else { return fallback }
        return String(decoding: attribute.s.prefix(64), as: UTF8.self)
    }

    /// A Constant node's value, from whichever attribute holds it.
    func constant() throws(ONNXError) -> StaticTensor {
        if let t = find("value") {
            guard let tensor = t.t else { throw ONNXError("\(context): the Constant's value is not a tensor") }
            return try StaticTensor(tensor, context: context)
        }
        if let f = find("value_float")?.f { return StaticTensor(shape: [], values: [Double(f)], isInteger: false, isSingle: true) }
        if let f = find("value_floats") { return StaticTensor(shape: [f.floats.count], values: f.floats.map(Double.init), isInteger: false, isSingle: true) }
        if let i = find("value_int")?.i { return StaticTensor(shape: [], values: [Double(i)], isInteger: true) }
        if let i = find("value_ints") { return StaticTensor(shape: [i.ints.count], values: i.ints.map(Double.init), isInteger: true) }
        throw ONNXError("\(context): the Constant has no value gradstep reads (value, value_float(s), value_int(s))")
    }
}
