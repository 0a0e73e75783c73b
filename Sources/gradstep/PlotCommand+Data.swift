import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Plot
import Screen

/// `gradstep plot --data FILE --x C1 --y C2 --label C3`: a data set's rows as points, one
/// scatter series per class, to judge by eye whether a line separates the classes (course
/// item A20: on separable data logistic regression's weights grow without bound).
extension PlotCommand {
    /// The most classes a label column may hold: a label is a class, not a measurement.
    static let maximumClasses = 8

    /// The class roles, in order: each class its own colour in the terminal and the SVG.
    static let classRoles: [Role] = [.value, .adjoint, .tangent, .param, .output, .input, .kink, .warning]

    func validateData() throws {
        if data == nil {
            if xColumn != nil || yColumn != nil || label != nil {
                throw ValidationError("--x, --y and --label go with --data FILE.csv")
            }
            return
        }
        if !graph.isBuiltIn { throw ValidationError("give either --data FILE.csv or a graph (FILE or -e EXPR), not both") }
        if wrt != nil { throw ValidationError("--wrt is for a graph; with --data name the columns with --x and --y") }
        guard xColumn != nil, yColumn != nil else {
            throw ValidationError("--data needs the columns to plot: --x COLUMN --y COLUMN (and --label COLUMN for classes)")
        }
    }

    func runScatter(_ path: String) throws {
        try InputFile.check(path)
        let set: DataSet
        do {
            set = try DataSet.read(file: path)
        } catch {
            throw Failure(text: "error: \(error.message)\n" + (error.hint.map { "  = hint: \($0)\n" } ?? ""))
        }
        func column(_ name: String, _ option: String) throws -> [Double] {
            if let values = set.column(name) { return values }
            let hint = suggestion(for: name, among: set.columns).map { "; did you mean '\($0)'?" } ?? ""
            throw Failure(text: "error: \(option) \(name): \(path) has no column '\(name)' (its columns: \(set.columns.joined(separator: ", ")))\(hint)\n")
        }
        let xs = try column(xColumn ?? "", "--x"), ys = try column(yColumn ?? "", "--y")
        let labels = try label.map { try column($0, "--label") }
        let plot = try Self.scatter(xs: xs, ys: ys, labels: labels, xName: xColumn ?? "", yName: yColumn ?? "", labelName: label ?? "")
        switch format {
        case .json:
            // The data as read: the columns plotted, for scripts that check what was drawn.
            let columns: [(key: String, value: JSON)] = [("x", .numbers(xs)), ("y", .numbers(ys))] + (labels.map { [("label", .numbers($0))] } ?? [])
            print(JSON.object(columns).text)
        case .svg:
            let svg = plot.svg(width: width * 10, height: height * 20)
            if let out { try writeOutput(svg, to: out, force: force, inputs: [path]) } else { print(svg, terminator: "") }
        case .text:
            for line in plotLines(plot, width: width, height: height, ascii: ascii) { print(line) }
            let counts = plot.series.map { "\($0.points.count) \($0.name) (\(Plot.scatterMark($0.scatterShape, ascii: ascii)))" }
            print("\(xs.count) points from \(path)" + (labels == nil ? "" : ": " + counts.joined(separator: ", ")))
            let together = plot.coincidentPoints
            if !together.isEmpty {
                let mark = Plot.severalClassesMark(ascii: ascii)
                print("\(together.count) place\(together.count == 1 ? "" : "s") where points of different classes coincide "
                      + "(\(together.keys.sorted { ($0.x, $0.y) < ($1.x, $1.y) }.prefix(4).map { "(\(Format.short($0.x)), \(Format.short($0.y)))" }.joined(separator: ", "))\(together.count > 4 ? ", …" : "")): "
                      + "drawn \(mark) here, side by side in the SVG; no line separates them")
            }
        }
    }

    /// The rows as points, split into one scatter series per distinct label (in increasing
    /// order), or a single series without labels.
    static func scatter(xs: [Double], ys: [Double], labels: [Double]?, xName: String, yName: String, labelName: String) throws -> Plot {
        let points = zip(xs, ys).map { Plot.Point($0, $1) }
        guard let labels else {
            return Plot(title: "\(yName) against \(xName)", xLabel: xName, yLabel: yName,
                        series: [Plot.Series("row", points: points, scatter: true)])
        }
        let classes = Array(Set(labels)).sorted()
        guard classes.count <= maximumClasses else {
            throw Failure(text: "error: --label \(labelName) has \(classes.count) distinct values; a label column holds at most \(maximumClasses) classes\n")
        }
        let series = classes.enumerated().map { k, c in
            Plot.Series("\(labelName) = \(Format.short(c))", points: zip(points, labels).filter { $0.1 == c }.map(\.0),
                        role: classRoles[k], scatter: true, scatterShape: k)
        }
        return Plot(title: "\(yName) against \(xName) by \(labelName)", xLabel: xName, yLabel: yName, series: series)
    }
}
