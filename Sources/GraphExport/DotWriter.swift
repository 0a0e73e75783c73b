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
/// - Inputs are rounded boxes, params boxes with cut corners, the output has a double border.
///   Constants are written into their consumer's label; with `DotOptions.showConstants` they
///   are grey dashed boxes marked "no gradient". Matrix values are table cells, so columns
///   line up; every number has `DotOptions.digits` significant digits.
/// - Edges run from operands to results. In the reverse state every edge carries its local
///   partial `∂` and its chain-rule term `v̄·∂` (for tensors the VJP, `v₋₂ᵀ · v̄₁`, with the
///   term's shape and first entries; the whole term is the edge's tooltip); in a
///   reverse frame only the terms that have arrived do, and the terms the caption sums (the
///   current node's adjoint) are highlighted.
/// - In a frame the node of the current step is highlighted, the nodes done are tinted, the
///   nodes still to come are grey; the title says which step it is and shows its sentence
///   from the `Explanation`. The reverse sweep ends with a frame for each input and param.
///
/// All text (names, labels, formulas, the graph's name, colours, the font) goes through one
/// function, `escape(_:)`, so no name can break the DOT syntax.
public enum DotWriter {
    /// Tensors with at most this many elements show their values.
    public static let smallTensor = 12

    /// The final state of `state` over `tape`: primal values; values and tangents seeded on
    /// `seedLeaf` (default: the first input); or values and adjoints after the backward pass.
    public static func dot(tape: Tape, name: String, state: Phase, values: [Double]? = nil,
                           seedLeaf: Int? = nil, outputSeed: Double = 1, outputSeedTensor: [Double]? = nil,
                           options: DotOptions = DotOptions(), pinned: PinnedLayout? = nil) -> String {
        dot(tape: tape, name: name, state: state, values: values,
            tangentSeed: seedLeaf.map { TangentSeed(leaf: $0) }, outputSeed: outputSeed, outputSeedTensor: outputSeedTensor,
            options: options, pinned: pinned)
    }

    /// The same with the forward seed on one element of a leaf (`W[2,0]`) or all of it.
    public static func dot(tape: Tape, name: String, state: Phase, values: [Double]? = nil,
                           tangentSeed: TangentSeed?, outputSeed: Double = 1, outputSeedTensor: [Double]? = nil,
                           options: DotOptions = DotOptions(), pinned: PinnedLayout? = nil) -> String {
        finalScene(tape: tape, state: state, values: values, tangentSeed: tangentSeed, outputSeed: outputSeed,
                   outputSeedTensor: outputSeedTensor)
            .render(name: name, options: options, pinned: pinned)
    }

    /// The picture that needs the most room of every state and frame of `state` (every number
    /// and edge term shown), written to be laid out once: see `PinnedLayout`. Room is kept for
    /// what only frames draw (the "so far" mark of every adjoint that is ever partial, a
    /// folded group's progress line, the legend line under the title), so that the single
    /// picture and every frame share one layout and one size. (The step's sentence is not
    /// drawn in a frame that goes with a page: the page shows it under the picture.)
    public static func layoutDOT(tape: Tape, name: String, state: Phase, values: [Double]? = nil,
                                 tangentSeed: TangentSeed? = nil, outputSeed: Double = 1, outputSeedTensor: [Double]? = nil,
                                 rankdir: DotOptions.RankDir, wrap: Int? = nil, options: DotOptions = DotOptions()) -> String {
        var scene = finalScene(tape: tape, state: state, values: values,
                               tangentSeed: tangentSeed, outputSeed: outputSeed,
                               outputSeedTensor: outputSeedTensor)
        scene.step = (999, 999)
        scene.partial = (0..<tape.count).map(scene.explanation.canBePartialAdjoint)
        if scene.hasPartial { scene.legend = Scene.partialLegend }
        scene.reserveProgress = true
        // A frame draws its current edge's label in bold, which is wider.
        for (key, edge) in scene.edges { scene.edges[key] = (edge.0, .current) }
        var fixed = options
        fixed.rankdir = rankdir
        fixed.wrap = wrap
        return scene.render(name: name, options: fixed)
    }

    static func finalScene(tape: Tape, state: Phase, values: [Double]?, tangentSeed: TangentSeed?,
                           outputSeed: Double, outputSeedTensor: [Double]? = nil) -> Scene {
        let x = Explanation(tape: tape, values: values ?? tape.evaluate(), phase: state,
                            tangentSeed: tangentSeed, outputSeed: outputSeed, outputSeedTensor: outputSeedTensor)
        var scene = Scene(x)
        switch state {
        case .primal:
            scene.subtitle = "primal values"
        case .forward:
            scene.tangents = x.tangents
            scene.showTangent = (0..<tape.count).map { tape.entries[$0].op != .constant }
            scene.subtitle = "forward mode, seed \(x.tangentSeed.description(tape))"
        case .reverse:
            scene.adjoints = x.adjoints
            scene.showAdjoint = (0..<tape.count).map { tape.entries[$0].op != .constant && $0 <= tape.output }
            for c in x.contributions { scene.edges[EdgeKey(c)] = (c, .plain) }
            scene.subtitle = "reverse mode, " + seedText(x)
        }
        return scene
    }

    /// The state of `stepper` at its position: the step's node highlighted, the nodes done so
    /// far drawn as done, and in the reverse sweep the adjoints as accumulated so far.
    public static func dot(frame stepper: Stepper, name: String, options: DotOptions = DotOptions()) -> String {
        frameScene(stepper, caption: caption(stepper)).render(name: name, options: options)
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
    /// With `captions` false the pictures leave the step's sentence out (a page shows it).
    public static func frames(tape: Tape, name: String, phase: Phase, values: [Double]? = nil,
                              seedLeaf: Int? = nil, outputSeed: Double = 1, outputSeedTensor: [Double]? = nil,
                              options: DotOptions = DotOptions(), pinned: PinnedLayout? = nil,
                              captions: Bool = true) -> [Frame] {
        let explanation = Explanation(tape: tape, values: values ?? tape.evaluate(), phase: phase,
                                      tangentSeed: seedLeaf.map { TangentSeed(leaf: $0) }, outputSeed: outputSeed,
                                      outputSeedTensor: outputSeedTensor)
        // One drawer for the sweep: each frame draws only what changed since the one before.
        let drawer = FrameDrawer(explanation: explanation, name: name, options: options, pinned: pinned)
        var frames: [Frame] = []
        repeat {
            let stepper = drawer.stepper
            let text = caption(stepper)
            frames.append(Frame(phase: phase, position: stepper.position, count: stepper.count,
                                dot: drawer.dot(caption: captions ? text : nil), caption: text))
        } while drawer.next()
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

    static func frameScene(_ stepper: Stepper, caption: String?) -> Scene {
        let x = stepper.explanation
        let tape = x.tape
        var scene = Scene(x)
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
                scene.subtitle = "forward mode, seed \(x.tangentSeed.description(tape))"
            } else {
                scene.subtitle = "primal values"
            }
        case .reverse:
            scene.adjoints = stepper.shownAdjoints
            // The edges of the terms the caption sums are the current ones; every other term
            // that has arrived is drawn as done.
            for c in x.contributions where stepper.hasArrived(c) {
                scene.edges[EdgeKey(c)] = (c, c.operand == current ? .current : .done)
            }
            scene.showAdjoint = (0..<tape.count).map { stepper.hasAdjoint($0) && tape.entries[$0].op != .constant }
            scene.partial = (0..<tape.count).map { x.isPartialAdjoint($0, at: stepper.position) }
            // The legend stays for the whole sweep so that the title does not jump.
            if (0..<tape.count).contains(where: x.canBePartialAdjoint) { scene.legend = Scene.partialLegend }
            scene.status = (0..<tape.count).map { i in
                if tape.entries[i].op == .constant || i > tape.output { return .plain }
                return status(i)
            }
            scene.subtitle = "reverse mode, " + seedText(x)
        }
        return scene
    }

    /// The reverse sweep's seed as a picture's title and first caption say it: `seed ȳ = 2`, or
    /// for a tensor seed `seed ȳ = [0, 1, 0] (a vector-Jacobian product vᵀ·∂y/∂x)`.
    static func seedText(_ x: Explanation) -> String {
        let tape = x.tape
        guard let v = x.outputSeedTensor else { return "seed \(tape.adjointLabel(tape.output)) = \(Format.short(x.outputSeed))" }
        return "seed \(tape.adjointLabel(tape.output)) = \(Format.tensor(v[...], tape.entries[tape.output].shape))"
            + " (a vector-Jacobian product vᵀ·∂\(tape.displayName(tape.output))/∂x)"
    }

    /// What the last step did, as its sentence: `v₁ = ln v₋₁ = ln 2 = 0.693147`,
    /// `v̄₋₁ (B) = Σ v̄₂·∂v₂/∂v₋₁ = Σ v̄₂ = Σ [0, 0, −0.3943] = −0.394277`.
    static func caption(_ stepper: Stepper) -> String {
        let tape = stepper.tape
        guard let node = stepper.current else {
            switch stepper.phase {
            case .primal: return "start: the inputs are set"
            case .forward: return "start: seed \(stepper.tangentSeed.description(tape))"
            case .reverse: return "start: " + seedText(stepper.explanation)
            }
        }
        let s = stepper.explanation.sentence(node)
        var parts = [s.label + (s.name.map { " (\($0))" } ?? "")]
        for part in [s.formula, s.expanded, s.withNumbers, Scene.numbers(s.result[...], s.shape)] {
            if let part, !part.isEmpty, part != parts.last { parts.append(part) }
        }
        return parts.joined(separator: " = ") + (s.kinks.isEmpty ? "" : "  (kink)")
    }
}

/// An edge is one operand slot of a consumer.
struct EdgeKey: Hashable {
    var consumer: Int
    var position: Int
    init(_ c: Contribution) { consumer = c.consumer; position = c.position }
    init(consumer: Int, position: Int) { self.consumer = consumer; self.position = position }
}
