import GraphCore

/// Graphviz DOT for a tape: the computation graph with its values, tangents or adjoints, as one
/// picture of a final state or as one frame per step of a sweep.
///
/// ```swift
/// let dot = DotWriter.dot(tape: tape, name: "baydin", state: .reverse)
/// var stepper = Stepper(tape: tape, values: tape.evaluate(), phase: .reverse)
/// stepper.go(to: 3)
/// let frame = DotWriter.dot(frame: stepper, name: "baydin")
/// let movie = DotWriter.frames(tape: tape, name: "baydin", phase: .reverse)  // steps 0…n
/// ```
///
/// What a picture shows:
/// - One node per tape entry, id `n<tape index>`, so the same tape and state always give
///   byte-identical DOT. Each node's HTML-like label holds its label (`v₋₁`) and the user's
///   name, the op (`ln v₋₁`), the shape of a tensor, the value (tensors of at most
///   `smallTensor` elements in full) and, per state, the tangent `v̇` or the adjoint `v̄`.
/// - Inputs are rounded boxes, params boxes with cut corners, constants grey dashed boxes
///   marked "no gradient", the output has a double border.
/// - Edges run from operands to results. In the reverse state every edge carries its local
///   partial `∂` and its chain-rule term `v̄·∂`; in a reverse frame only the edges of the steps
///   done so far do, those of the current step highlighted.
/// - In a frame the node of the current step is highlighted, the nodes done are tinted, the
///   nodes still to come are grey; the title says which step it is and shows its trace row.
///
/// All text (names, labels, formulas, the graph's name, colours, the font) goes through one
/// function, `escape(_:)`, so no name can break the DOT syntax.
public enum DotWriter {
    /// Tensors with at most this many elements show their values.
    public static let smallTensor = 12

    /// The final state of `state` over `tape`: primal values; values and tangents seeded on
    /// `seedLeaf` (default: the first input); or values and adjoints after the backward pass.
    public static func dot(tape: Tape, name: String, state: Phase, values: [Double]? = nil,
                           seedLeaf: Int? = nil, outputSeed: Double = 1,
                           options: DotOptions = DotOptions()) -> String {
        let values = values ?? tape.evaluate()
        var scene = Scene(tape: tape, values: values, phase: state)
        let leaf = seedLeaf ?? tape.differentiableLeaves.first ?? 0
        switch state {
        case .primal:
            scene.subtitle = "primal values"
        case .forward:
            scene.tangents = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf))
            scene.showTangent = (0..<tape.count).map { tape.entries[$0].op != .constant }
            scene.subtitle = "forward mode, seed \(tape.tangentLabel(leaf)) = 1"
        case .reverse:
            let sweep = ReverseSweep(tape: tape, values: values, seed: outputSeed)
            scene.adjoints = sweep.adjoints
            scene.showAdjoint = (0..<tape.count).map { tape.entries[$0].op != .constant && $0 <= tape.output }
            scene.sweep = sweep
            for c in sweep.contributions { scene.edges[EdgeKey(c)] = (c, .plain) }
            scene.subtitle = "reverse mode, seed \(tape.adjointLabel(tape.output)) = \(Format.short(outputSeed))"
        }
        return scene.render(name: name, options: options)
    }

    /// The state of `stepper` at its position: the step's node highlighted, the nodes done so
    /// far drawn as done, and in the reverse sweep the adjoints as accumulated so far.
    public static func dot(frame stepper: Stepper, name: String, options: DotOptions = DotOptions()) -> String {
        let trace = Trace(tape: stepper.tape, values: stepper.values, phase: stepper.phase,
                          seedLeaf: stepper.seedLeaf, outputSeed: stepper.sweep.seed)
        return frameScene(stepper, caption: caption(stepper, trace)).render(name: name, options: options)
    }

    /// One frame of a sweep, for export.
    public struct Frame: Sendable {
        public var phase: Phase
        /// Steps done: 0 … `count`.
        public var position: Int
        public var count: Int
        public var dot: String
        /// What the step did, from the trace: `v₁ = ln v₋₁ = 0.693147`.
        public var caption: String
    }

    /// Every frame of `phase`, from step 0 (nothing done yet) to the end of the sweep.
    public static func frames(tape: Tape, name: String, phase: Phase, values: [Double]? = nil,
                              seedLeaf: Int? = nil, outputSeed: Double = 1,
                              options: DotOptions = DotOptions()) -> [Frame] {
        let values = values ?? tape.evaluate()
        var stepper = Stepper(tape: tape, values: values, phase: phase, seedLeaf: seedLeaf, outputSeed: outputSeed)
        let trace = Trace(tape: tape, values: values, phase: phase, seedLeaf: stepper.seedLeaf, outputSeed: outputSeed)
        var frames: [Frame] = []
        repeat {
            let text = caption(stepper, trace)
            frames.append(Frame(phase: phase, position: stepper.position, count: stepper.count,
                                dot: frameScene(stepper, caption: text).render(name: name, options: options),
                                caption: text))
        } while stepper.next()
        return frames
    }

    /// Text made safe for every place DOT output holds text: inside an HTML-like label
    /// `<…>` and inside a quoted string `"…"`. Markup characters and quotes become entities
    /// (`&lt;`, `&amp;`, `&quot;`, `&#92;` for a backslash); line breaks and tabs become spaces;
    /// other control characters, which XML forbids, become U+FFFD. Unicode is kept as is.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\\": out += "&#92;"
            case "\n", "\r", "\t": out += " "
            default:
                let v = u.value
                if v < 0x20 || (0x7F ... 0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// A DOT quoted string holding `text`.
    static func quoted(_ text: String) -> String { "\"" + escape(text) + "\"" }

    // MARK: - Frames

    static func frameScene(_ stepper: Stepper, caption: String) -> Scene {
        let tape = stepper.tape
        var scene = Scene(tape: tape, values: stepper.values, phase: stepper.phase)
        scene.step = (stepper.position, stepper.count)
        scene.caption = caption
        let current = stepper.current
        func status(_ i: Int) -> Scene.Status {
            if i == current { return .current }
            return stepper.isDone(i) ? .done : .pending
        }
        switch stepper.phase {
        case .primal, .forward:
            scene.showValue = (0..<tape.count).map(stepper.isDone)
            scene.status = (0..<tape.count).map { tape.entries[$0].op.kind == .leaf ? .plain : status($0) }
            if stepper.phase == .forward {
                scene.tangents = stepper.tangents
                scene.showTangent = (0..<tape.count).map { stepper.isDone($0) && tape.entries[$0].op != .constant }
                scene.subtitle = "forward mode, seed \(tape.tangentLabel(stepper.seedLeaf)) = 1"
            } else {
                scene.subtitle = "primal values"
            }
        case .reverse:
            let sweep = stepper.sweep
            scene.sweep = sweep
            scene.adjoints = stepper.shownAdjoints
            var touched = [Bool](repeating: false, count: tape.count)
            touched[tape.output] = true
            // The step after which a leaf has received all its terms.
            var lastStep = [Int](repeating: -1, count: tape.count)
            for s in 0..<sweep.steps.count {
                for c in sweep.contributions[sweep.steps[s]] {
                    lastStep[c.operand] = s
                    if s < stepper.position {
                        touched[c.operand] = true
                        let now = s == stepper.position - 1
                        scene.edges[EdgeKey(c)] = (c, now ? .current : .done)
                    }
                }
            }
            scene.showAdjoint = (0..<tape.count).map { touched[$0] && tape.entries[$0].op != .constant }
            scene.status = (0..<tape.count).map { i in
                let e = tape.entries[i]
                if e.op == .constant || i > tape.output { return .plain }
                if e.op.kind == .leaf {
                    let finished = lastStep[i] < 0 ? stepper.position == stepper.count : stepper.position > lastStep[i]
                    return finished ? .done : .plain
                }
                return status(i)
            }
            scene.subtitle = "reverse mode, seed \(tape.adjointLabel(tape.output)) = \(Format.short(sweep.seed))"
        }
        return scene
    }

    /// What the last step did, as its trace row: `v₁ = ln v₋₁ = 0.693147`.
    static func caption(_ stepper: Stepper, _ trace: Trace) -> String {
        let tape = stepper.tape
        guard let node = stepper.current else {
            switch stepper.phase {
            case .primal: return "start: the inputs are set"
            case .forward: return "start: seed \(tape.tangentLabel(stepper.seedLeaf)) = 1"
            case .reverse: return "start: seed \(tape.adjointLabel(tape.output)) = \(Format.short(stepper.sweep.seed))"
            }
        }
        guard let row = trace.rows.first(where: { $0.node == node }) else { return tape.label(node) }
        var parts = [row.label + (row.name.map { " (\($0))" } ?? "")]
        for part in [row.formula, row.expanded, row.numbers, Scene.numbers(row.result[...], row.shape)] {
            if let part, !part.isEmpty, part != parts.last { parts.append(part) }
        }
        return parts.joined(separator: " = ") + (row.kink ? "  (kink)" : "")
    }
}

/// An edge is one operand slot of a consumer.
struct EdgeKey: Hashable {
    var consumer: Int
    var position: Int
    init(_ c: Contribution) { consumer = c.consumer; position = c.position }
    init(consumer: Int, position: Int) { self.consumer = consumer; self.position = position }
}
