import Foundation
import GraphCore
import GraphLanguage

// `gradstep hessian --vector V`: one Hessian-vector product H·v on its own, forward-over-
// reverse (HessianVector.swift): a tangent sweep along v and a reverse sweep differentiated
// in forward mode, about the cost of two gradients, with no Hessian formed. So it has no
// bound on the number of variables, where the whole Hessian (n products) does.
extension HessianCommand {
    func printHessianVector(_ g: Graph, _ variables: Variables, _ text: String) throws {
        let v: LiteralValue
        switch LiteralValue.parse(text) {
        case .success(let value): v = value
        case .failure(let why): throw Failure(text: "error: --vector \(text): \(why.message)\n")
        }
        let names = (0..<variables.dimension).map(variables.elementName)
        guard v.values.count == variables.dimension else {
            throw Failure(text: "error: --vector has \(v.values.count) number\(v.values.count == 1 ? "" : "s"); "
                + "it needs one per variable element, \(variables.dimension) (\(names.joined(separator: ", ")))\n")
        }
        let tape = g.tape, values = tape.evaluate()
        var direction = [Double](repeating: 0, count: tape.valueCount)
        for (k, node) in variables.nodes.enumerated() {
            let offset = Int(tape.entries[node].offset), start = variables.starts[k]
            for j in 0 ..< variables.starts[k + 1] - start { direction[offset + j] = v.values[start + j] }
        }
        let (_, tangents) = tape.hessianVectorProduct(values: values, direction: direction)
        var product: [Double] = []
        for (k, node) in variables.nodes.enumerated() {
            let offset = Int(tape.entries[node].offset)
            product += tangents[offset ..< offset + variables.starts[k + 1] - variables.starts[k]]
        }
        if json {
            let report: JSON = ["names": .strings(names), "vector": .numbers(v.values), "hessian_vector": .numbers(product)]
            print(report.text)
            return
        }
        let out = g.outputName
        var lines = ["H·v of \(out) (row i: Σⱼ ∂²\(out)/∂θᵢ∂θⱼ·vⱼ), forward-over-reverse, no Hessian formed:"]
        let width = names.map(\.count).max() ?? 0
        for (name, (vi, hv)) in zip(names, zip(v.values, product)) {
            let pad = String(repeating: " ", count: width - name.count)
            lines.append("\(pad)\(name)  v = \(Format.short(vi, digits: 8))  H·v = \(Format.short(hv, digits: 8))")
        }
        print(lines.joined(separator: "\n"))
    }
}
