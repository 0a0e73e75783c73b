import Foundation
import GraphCore
import Plot

/// What the derivatives view's keys do (the keymap binds them).
public enum DerivativesAction: Sendable, Equatable {
    /// `d`: open the view for the selection (or the output) / close it.
    case toggle
    /// The h-sweep: forward and central difference errors against h, log-log.
    case sweep
    /// f and f′ around the point.
    case function
    /// f against its Taylor polynomials of order 1–3 (an overlay on the f plot).
    case taylor
    /// The Jacobian of f (a tensor node too) by forward and by reverse mode, with their costs.
    case jacobian
    /// Escape in the view: close it.
    case close
}

/// The derivatives view (`d`): a pane over the graph, trace and inspector that shows one
/// derivative ∂f/∂x by AD, by a central difference and symbolically (`DerivativeReport`), and
/// on its other pages the h-sweep and the f/f′ plot. The plots are computed when their page
/// is first opened, then kept until the graph, its values, the selection or the seed change.
public struct DerivativesView: Sendable {
    public enum Page: Sendable, Equatable { case summary, sweep, function, jacobian }

    public internal(set) var page: Page = .summary
    /// The f page shows f against its Taylor polynomials instead of f and f′.
    public internal(set) var taylor = false
    public let report: Result<DerivativeReport, DerivativeProblem>
    /// What the report was made from; a change makes it stale.
    let stamp: Stamp
    var sweepPlot: Plot?
    var functionPlot: Plot?
    var taylorPlot: Plot?
    /// Why a page has no plot (a tape too large, tensor ops for Taylor mode).
    var pageNote: String?
    /// The tape whose output is f (the selected computed node, else the output), whatever
    /// its shape: the Jacobian page needs no scalar.
    let jacobianTape: Tape
    /// The Jacobian page's text, computed when it is first opened.
    public internal(set) var jacobianLines: [String]?
    /// The largest Jacobian (rows × columns) the explorer computes; `gradstep jacobian` goes
    /// to a million entries.
    public static let jacobianLimit = 10_000

    struct Stamp: Equatable {
        var generation: Int
        var selection: Int?
        var seed: TangentSeed
        var values: [Double]
    }

    init(_ s: ExplorerState, page: Page = .summary, taylor: Bool = false) {
        report = DerivativeReport.make(s)
        var tape = s.tape
        if let chosen = s.selection, chosen >= tape.firstComputed, chosen < tape.count { tape.output = chosen }
        jacobianTape = tape
        stamp = Stamp(s)
        self.taylor = taylor
        show(page)
    }

    /// Goes to `page`, computing its plot the first time.
    mutating func show(_ page: Page) {
        self.page = page
        pageNote = nil
        if page == .jacobian {
            if jacobianLines == nil { jacobianLines = Self.jacobianPage(jacobianTape) }
            return
        }
        guard case .success(let r) = report else { return }
        switch page {
        case .summary, .jacobian: break
        case .sweep:
            if sweepPlot == nil { sweepPlot = r.sweep().map(DerivativePlots.sweep) }
            if sweepPlot == nil { pageNote = tooLarge(r) }
        case .function where taylor:
            if taylorPlot == nil, let samples = r.samples(halfWidth: DerivativePlots.halfWidth(r.point)) {
                guard let c = r.taylorCoefficients else {
                    pageNote = "no Taylor polynomials: Taylor mode covers scalar, elementwise graphs"
                    return
                }
                taylorPlot = DerivativePlots.taylor(samples, coefficients: c, r)
            }
            if taylorPlot == nil { pageNote = tooLarge(r) }
        case .function:
            if functionPlot == nil {
                functionPlot = r.samples(halfWidth: DerivativePlots.halfWidth(r.point)).map { DerivativePlots.function($0, r) }
            }
            if functionPlot == nil { pageNote = tooLarge(r) }
        }
    }

    /// The Jacobian page: J = ∂f/∂(every input and param element), built column by column in
    /// forward mode and row by row in reverse mode (GraphCore's `Jacobian`), the cost of each
    /// and which wins; the same sentences as `gradstep jacobian`.
    static func jacobianPage(_ tape: Tape) -> [String] {
        let rows = tape.entries[tape.output].count
        let inputs = tape.differentiableLeaves.flatMap { leaf in
            (0..<tape.entries[leaf].count).map { TangentSeed(leaf: leaf, element: tape.entries[leaf].count == 1 ? nil : $0) }
        }
        guard !inputs.isEmpty else { return ["this graph has no inputs or params to differentiate with respect to"] }
        guard rows * inputs.count <= jacobianLimit, tape.count <= DerivativeReport.plotLimit else {
            return ["too large here: a \(rows) × \(inputs.count) Jacobian of a \(tape.count)-node tape (the explorer stops at \(jacobianLimit) entries and \(DerivativeReport.plotLimit) nodes); `gradstep jacobian --json` computes it"]
        }
        let j = Jacobian(tape)
        let f = tape.displayName(tape.output)
        let outputs = (0..<rows).map { TangentSeed(leaf: tape.output, element: rows == 1 ? nil : $0).reference(tape) }
        let columns = inputs.map { $0.reference(tape) }
        let cells = j.reverse.map { $0.map { Format.short($0) } }
        let labelWidth = outputs.map { ("∂" + $0).displayWidth }.max() ?? 1
        let widths = columns.indices.map { c in max(columns[c].displayWidth, cells.map { $0[c].displayWidth }.max() ?? 0) }
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.displayWidth)) + s }
        var lines = ["J = ∂\(f)/∂(\(tape.differentiableLeaves.map { tape.displayName($0) }.joined(separator: ", "))): \(j.outputCount) × \(j.inputs.count), row i column j = ∂\(f)ᵢ/∂(input j)", ""]
        lines.append(pad("", labelWidth) + "  " + columns.indices.map { pad(columns[$0], widths[$0]) }.joined(separator: "  "))
        for (name, row) in zip(outputs, cells) {
            lines.append(pad("∂" + name, labelWidth) + "  " + row.indices.map { pad(row[$0], widths[$0]) }.joined(separator: "  "))
        }
        lines.append("")
        lines += j.costLines
        lines.append(j.verdict)
        lines.append(j.modesAgree ? "forward-built and reverse-built Jacobians agree" : "forward-built and reverse-built Jacobians differ")
        return lines
    }

    private func tooLarge(_ r: DerivativeReport) -> String {
        "too large to sample here: \(r.tape.count) tape nodes (the explorer stops at \(DerivativeReport.plotLimit)); `gradstep check --sweep` and `gradstep plot` draw it"
    }
}

extension DerivativesView.Stamp {
    init(_ s: ExplorerState) {
        self.init(generation: s.generation, selection: s.selection, seed: s.tangentSeed, values: s.evaluation.values)
    }
}

extension ExplorerState {
    /// The derivatives view's actions.
    mutating func reduce(_ action: DerivativesAction) {
        guard !optimization.isShowing else {
            message = .error("the derivatives view is for the graph: leave optimisation mode (O) first")
            return
        }
        var view = derivatives ?? DerivativesView(self)
        switch action {
        case .toggle:
            derivatives = derivatives == nil ? view : nil
            return
        case .close:
            derivatives = nil
            return
        case .sweep: view.show(view.page == .sweep ? .summary : .sweep)
        case .function:
            view.taylor = false
            view.show(view.page == .function ? .summary : .function)
        case .taylor:
            view.taylor.toggle()
            view.show(.function)
        case .jacobian: view.show(view.page == .jacobian ? .summary : .jacobian)
        }
        derivatives = view
    }

    /// Forward mode written in dual numbers in the trace pane (`D`), or as value and tangent.
    mutating func toggleDualNumbers() {
        dualNumbers.toggle()
        message = .info(dualNumbers ? "forward mode shows dual numbers a + bε (value + tangent·ε)"
                        + (phase == .forward ? "" : "; press f for forward mode") : "forward mode shows values and tangents")
    }

    /// Remakes an open derivatives view whose graph, values, selection or seed changed, on
    /// the page it was showing.
    mutating func refreshDerivatives() {
        guard let view = derivatives, view.stamp != DerivativesView.Stamp(self) else { return }
        derivatives = DerivativesView(self, page: view.page, taylor: view.taylor)
    }
}
