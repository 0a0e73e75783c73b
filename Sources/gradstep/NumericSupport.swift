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
    /// first element when `spec` is nil. A name that is not an input or param, or an index out
    /// of range, is a usage error that lists what there is.
    func element(_ spec: String?, option: String = "--wrt") throws -> Element {
        let leaves = differentiableLeaves
        guard let first = leaves.first else {
            throw Failure(text: "error: the graph has no input or param to differentiate with respect to\n")
        }
        guard let spec else {
            return Element(leaf: first.node, element: 0, slot: Int(tape.entries[first.node].offset),
                           name: Element.name(first.name, 0, tape.entries[first.node].shape))
        }
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        let base = String(trimmed.prefix { $0 != "[" }).trimmingCharacters(in: .whitespaces)
        guard let leaf = leaves.first(where: { $0.name == base }) else {
            throw Failure(text: "error: \(option) \(spec): no input or param of that name (inputs: \(leaves.map(\.name).joined(separator: ", ")))\n", status: 2)
        }
        let shape = tape.entries[leaf.node].shape
        var index: [Int] = []
        if trimmed.count > base.count {
            let inside = trimmed.dropFirst(base.count)
            guard inside.hasPrefix("["), inside.hasSuffix("]") else {
                throw Failure(text: "error: \(option) \(spec): write an element as NAME[i] or NAME[i,j]\n", status: 2)
            }
            let parts = inside.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            index = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard index.count == parts.count else {
                throw Failure(text: "error: \(option) \(spec): indices must be whole numbers\n", status: 2)
            }
        }
        let k: Int?
        switch (Int(shape.rank), index.count) {
        case (_, 0) where shape.count == 1: k = 0
        case (1, 1): k = (0..<shape.count).contains(index[0]) ? index[0] : nil
        case (let rank, let count) where rank >= 2 && rank == count:
            k = shape.element(at: index)
        default: k = nil
        }
        guard let k else {
            throw Failure(text: "error: \(option) \(spec): \(base) is \(shape); name one element, e.g. \(Element.name(base, 0, shape))\n", status: 2)
        }
        return Element(leaf: leaf.node, element: k, slot: Int(tape.entries[leaf.node].offset) + k,
                       name: Element.name(base, k, shape))
    }
}

extension Element {
    /// `x`, `w[1]`, `W[2,0]`.
    static func name(_ base: String, _ k: Int, _ shape: Shape) -> String {
        let index = self.index(k, shape)
        return index.isEmpty ? base : "\(base)[\(index.map(String.init).joined(separator: ","))]"
    }

    /// Element `k` of a value of `shape` as an index: `[]`, `[k]`, `[row, column]` or one
    /// index per extent of a tensor of rank 3 or 4.
    static func index(_ k: Int, _ shape: Shape) -> [Int] {
        shape.index(of: k)
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
