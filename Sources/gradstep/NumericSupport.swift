import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Plot
import Screen

/// One element of an input or param, named the way a user writes it: `x`, `w[1]`, `W[2,0]`.
struct Element {
    var leaf: Int
    var element: Int
    /// Its place in the value buffers.
    var slot: Int
    var name: String
}

extension Graph {
    /// The input or param element `spec` names (`x`, `w[1]`, `W[2,0]`), or the first input's
    /// first element when `spec` is nil. A name that is not an input or param, the whole of a
    /// tensor, or an index out of range is a usage error (status 2) saying why.
    func element(_ spec: String?, option: String = "--wrt") throws -> Element {
        guard let first = tape.differentiableLeaves.first else {
            throw Failure(text: "error: the graph has no input or param to differentiate with respect to\n")
        }
        let (leaf, k) = try spec.map { try ElementReference.parse($0).flatMap { $0.resolveElement(in: tape) }.get(option: option) }
            ?? (first, 0)
        return Element(leaf: leaf, element: k, slot: Int(tape.entries[leaf].offset) + k,
                       name: ElementReference(tape, leaf: leaf, element: k).description)
    }
}

extension Result where Failure == ElementReferenceError {
    /// The value, or the reference's error as a usage error (status 2): `error: --wrt W[5,0]:
    /// index 5 on axis 0 is out of range 0..<3: W is of shape [3×2]`.
    func get(option: String) throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw gradstep.Failure(text: "error: \(option) \(error)\n", status: 2)
        }
    }
}

/// Whether to colour output: standard output is a terminal and NO_COLOR is not set.
var stdoutWantsColor: Bool {
    isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
}

/// A plot drawn for standard output: in colour on a terminal, plain braille (or ASCII) text
/// otherwise, trailing blanks dropped.
func plotLines(_ plot: Plot, width: Int, height: Int, ascii: Bool = false) -> [String] {
    var canvas = Canvas(width: width, height: height, glyphs: ascii ? .ascii : .unicode)
    plot.draw(into: &canvas, in: canvas.bounds)
    if stdoutWantsColor { return canvas.ansiLines() }
    return canvas.lines().map(trimmingTrailingBlanks)
}

/// A plain-text table: columns as wide as their widest cell, two spaces apart, the columns in
/// `rightAligned` padded on the left (numbers), a rule under the header when `rule` is set.
func textTable(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = [], rule: Bool = false) -> [String] {
    let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        trimmingTrailingBlanks(cells.enumerated().map { c, cell in
            let pad = String(repeating: " ", count: widths[c] - cell.count)
            return rightAligned.contains(c) ? pad + cell : cell + pad
        }.joined(separator: "  "))
    }
    let separator = rule ? [widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")] : []
    return [line(header)] + separator + rows.map(line)
}

func trimmingTrailingBlanks(_ line: String) -> String {
    var line = line
    while line.hasSuffix(" ") { line.removeLast() }
    return line
}
