import Foundation
import GraphCore

/// The yardstick: a hand-written forward + reverse loop over a flat tape (an op byte, two
/// operand indices, value and adjoint buffers), as one would write it for exactly these five
/// ops. gradstep's interpreter is measured against it on the same tape, in the same process.
public struct ReferenceLoop {
    var ops: [UInt8]
    var a: [Int32]
    var b: [Int32]
    let first: Int

    /// Copies an all-scalar tape of add/mul/sin/tanh/exp into flat arrays.
    public init?(_ tape: Tape) {
        guard tape.isAllScalar else { return nil }
        var ops: [UInt8] = [], a: [Int32] = [], b: [Int32] = []
        for e in tape.entries {
            // The loop's own op codes; any other op is not one it runs.
            let codes: [Op: UInt8] = [.input: 0, .param: 0, .constant: 0, .add: 1, .mul: 2, .sin: 3, .tanh: 4, .exp: 5]
            guard let code = codes[e.op] else { return nil }
            ops.append(code)
            a.append(e.a)
            b.append(e.b)
        }
        (self.ops, self.a, self.b, first) = (ops, a, b, tape.firstComputed)
    }

    public func forward(_ v: inout [Double]) {
        ops.withUnsafeBufferPointer { ops in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
            v.withUnsafeMutableBufferPointer { v in
                for i in first ..< ops.count {
                    let x = v[Int(a[i])], y = v[Int(b[i])]
                    switch ops[i] {
                    case 1: v[i] = x + y
                    case 2: v[i] = x * y
                    case 3: v[i] = Foundation.sin(x)
                    case 4: v[i] = Foundation.tanh(x)
                    case 5: v[i] = Foundation.exp(x)
                    default: break
                    }
                }
            }
        } } }
    }

    public func reverse(_ v: [Double], _ g: inout [Double]) {
        ops.withUnsafeBufferPointer { ops in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
            v.withUnsafeBufferPointer { v in g.withUnsafeMutableBufferPointer { g in
                g.update(repeating: 0)
                g[ops.count - 1] = 1
                for i in stride(from: ops.count - 1, through: first, by: -1) {
                    let gi = g[i], ia = Int(a[i]), ib = Int(b[i])
                    switch ops[i] {
                    case 1: g[ia] += gi; g[ib] += gi
                    case 2: g[ia] += gi * v[ib]; g[ib] += gi * v[ia]
                    case 3: g[ia] += gi * Foundation.cos(v[ia])
                    case 4: g[ia] += gi * (1 - v[i] * v[i])
                    case 5: g[ia] += gi * v[i]
                    default: break
                    }
                }
            } }
        } } }
    }

    /// Forward mode with one tangent, hand-written.
    public func tangent(_ v: [Double], _ t: inout [Double]) {
        ops.withUnsafeBufferPointer { ops in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
            v.withUnsafeBufferPointer { v in t.withUnsafeMutableBufferPointer { t in
                for i in first ..< ops.count {
                    let ia = Int(a[i]), ib = Int(b[i])
                    switch ops[i] {
                    case 1: t[i] = t[ia] + t[ib]
                    case 2: t[i] = t[ia] * v[ib] + v[ia] * t[ib]
                    case 3: t[i] = t[ia] * Foundation.cos(v[ia])
                    case 4: t[i] = t[ia] * (1 - v[i] * v[i])
                    case 5: t[i] = t[ia] * v[i]
                    default: break
                    }
                }
            } }
        } } }
    }
}
