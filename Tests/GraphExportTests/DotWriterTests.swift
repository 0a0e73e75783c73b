import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

@Suite struct DotWriterTests {
    @Test(arguments: Phase.allCases)
    func baydinFinalStates(state: Phase) throws {
        let dot = DotWriter.dot(tape: try baydinTape(), name: "baydin", state: state)
        assertSnapshot(dot, named: "baydin-\(state.rawValue)")
    }

    @Test func baydinReverseFrame() throws {
        let tape = try baydinTape()
        var stepper = Stepper(tape: tape, values: tape.evaluate(), phase: .reverse)
        stepper.go(to: 2)
        assertSnapshot(DotWriter.dot(frame: stepper, name: "baydin"), named: "baydin-reverse-frame-2")
    }

    @Test func baydinForwardFrame() throws {
        let tape = try baydinTape()
        var stepper = Stepper(tape: tape, values: tape.evaluate(), phase: .forward)
        stepper.go(to: 3)
        let options = DotOptions(rankdir: .TB, font: "DejaVu Sans")
        assertSnapshot(DotWriter.dot(frame: stepper, name: "baydin", options: options), named: "baydin-forward-frame-3-TB")
    }

    @Test(arguments: Phase.allCases)
    func classifierFinalStates(state: Phase) throws {
        let dot = DotWriter.dot(tape: try classifierTape(), name: "classifier", state: state)
        assertSnapshot(dot, named: "classifier-\(state.rawValue)")
    }

    @Test func sameGraphAndStateGiveIdenticalDOT() throws {
        for state in Phase.allCases {
            let a = DotWriter.dot(tape: try baydinTape(), name: "baydin", state: state)
            let b = DotWriter.dot(tape: try baydinTape(), name: "baydin", state: state)
            expectEqual(a, b)
            let fa = DotWriter.frames(tape: try classifierTape(), name: "c", phase: state).map(\.dot)
            let fb = DotWriter.frames(tape: try classifierTape(), name: "c", phase: state).map(\.dot)
            expectEqual(fa, fb)
        }
    }

    @Test func framesCoverEveryStep() throws {
        let tape = try baydinTape()
        for phase in Phase.allCases {
            let frames = DotWriter.frames(tape: tape, name: "baydin", phase: phase)
            // The reverse sweep ends with a step for each input: x2, then x1.
            let steps = phase == .reverse ? 7 : 5
            expectEqual(frames.map(\.position), Array(0...steps))
            expectTrue(frames.allSatisfy { $0.count == steps })
        }
        let reverse = DotWriter.frames(tape: tape, name: "baydin", phase: .reverse)
        expectEqual(reverse.map(\.caption), [
            "start: seed v̄₅ = 1",
            "v̄₅ (y) = seed = 1",
            "v̄₄ = v̄₅·∂v₅/∂v₄ = v̄₅ = 1·1 = 1",
            "v̄₃ = v̄₅·∂v₅/∂v₃ = −v̄₅ = 1·(−1) = −1",
            "v̄₂ = v̄₄·∂v₄/∂v₂ = v̄₄ = 1·1 = 1",
            "v̄₁ = v̄₄·∂v₄/∂v₁ = v̄₄ = 1·1 = 1",
            "v̄₀ (x2) = v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀ = v̄₃·cos v₀ + v̄₂·v₋₁ = (−1)·0.283662 + 1·2 = 1.71634",
            "v̄₋₁ (x1) = v̄₂·∂v₂/∂v₋₁ + v̄₁·∂v₁/∂v₋₁ = v̄₂·v₀ + v̄₁·(1/v₋₁) = 1·5 + 1·0.5 = 5.5",
        ])
        let primal = DotWriter.frames(tape: tape, name: "baydin", phase: .primal)
        expectEqual(primal[1].caption, "v₁ = ln v₋₁ = ln 2 = 0.693147")
    }

    @Test func escapeMakesEveryTextSafe() {
        expectEqual(DotWriter.escape("a\"b\\c<d>e&f'g"), "a&quot;b&#92;c&lt;d&gt;e&amp;f&#39;g")
        expectEqual(DotWriter.escape("one\ntwo\tthree\r"), "one two three ")
        expectEqual(DotWriter.escape("\u{1}\u{7F}\u{85}"), "\u{FFFD}\u{FFFD}\u{FFFD}")
        expectEqual(DotWriter.escape("v̄₋₁ ∂ 🤖 graph"), "v̄₋₁ ∂ 🤖 graph")
    }

    @Test func hostileNamesStayInsideTheirStrings() throws {
        let dot = DotWriter.dot(tape: try hostileTape(), name: "strict \"graph\" {node}\n<&>", state: .reverse)
        assertSnapshot(dot, named: "hostile-reverse")
        // No raw quote, backslash or line break from a name survives.
        expectNotContains(dot, "\\")
        expectNotContains(dot, "&amp; </TD>")
        expectContains(dot, "&lt;b&gt;&amp;amp; &lt;/TD&gt;&lt;/TABLE&gt;&gt;")
        expectTrue(dot.split(separator: "\n").allSatisfy { $0.hasPrefix("  ") || $0.hasPrefix("digraph") || $0.hasPrefix("//") || $0 == "}" })
    }

    @Test func hostileNamesAreAcceptedByDot() async throws {
        let graphviz = try requireGraphviz()
        let tape = try hostileTape()
        let name = "strict \"graph\" {node}\n<&> \\ ; -- -> ]"
        var texts = Phase.allCases.map { DotWriter.dot(tape: tape, name: name, state: $0) }
        for phase in Phase.allCases {
            texts += DotWriter.frames(tape: tape, name: name, phase: phase).map(\.dot)
        }
        let hostileOptions = DotOptions(rankdir: .TB, palette: DotPalette(
            background: "#FFF\"", text: "\\", muted: "<x>", border: "&", title: "\n", value: "#000000",
            tangent: "#000000", adjoint: "#000000", current: "#000000", done: "#000000", input: "#000000",
            param: "#000000", constant: "#000000", output: "#000000", kink: "#000000", edge: "#000000"),
            font: "Evil \"Font\" \\ <b>")
        texts.append(DotWriter.dot(tape: tape, name: name, state: .reverse, options: hostileOptions))
        for (text, ok, stderr) in try await dotVerdicts(texts, graphviz: graphviz) {
            expectTrue(ok, "dot rejected:\n\(stderr)\n\(text)")
        }
    }

    @Test func everyBaydinAndClassifierFrameIsAcceptedByDot() async throws {
        let graphviz = try requireGraphviz()
        var texts: [String] = []
        for tape in [try baydinTape(), try classifierTape()] {
            for phase in Phase.allCases {
                texts += DotWriter.frames(tape: tape, name: "g", phase: phase).map(\.dot)
                texts.append(DotWriter.dot(tape: tape, name: "g", state: phase))
            }
        }
        for (text, ok, stderr) in try await dotVerdicts(texts, graphviz: graphviz) {
            expectTrue(ok, "dot rejected:\n\(stderr)\n\(text)")
            expectNotContains(stderr, "Error", "\(stderr)")
        }
    }

    @Test func paletteTintsMixWithTheBackground() {
        let p = DotPalette.light
        expectEqual(p.tint("#000000", 0), "#FFFFFF")
        expectEqual(p.tint("#000000", 1), "#000000")
        expectEqual(p.tint("#000000", 0.5), "#808080")
        expectEqual(p.tint("not a colour", 0.5), "not a colour")
    }
}

@Test func brokenPaletteColoursFallBackToTheDefault() {
    var p = DotPalette.light
    p.adjoint = "red\""
    p.value = "#12345"
    p.edge = "#A0B0C0FF"
    let checked = p.checked
    expectEqual(checked.adjoint, DotPalette.light.adjoint)
    expectEqual(checked.value, DotPalette.light.value)
    expectEqual(checked.edge, "#A0B0C0FF")
}

@Suite struct TensorFrameTests {
    @Test func aVectorReluAtZeroIsMarkedAsAKink() throws {
        let graph = try GraphLoader.load(SourceFile(name: "k.grad", text: "input x = [0, 1]\ny = sum(relu(x))\noutput y\n"),
                                         graphName: "k", mode: .file).get()
        expectContains(DotWriter.dot(tape: graph.tape, name: "k", state: .primal), "kink: subgradient used")
    }

    /// Exercise 9: the last reverse frames are the params' and the input's own steps, and each
    /// frame's current edges are the terms its caption sums.
    @Test func reverseFramesReachTheLeavesAndHighlightWhatTheCaptionSays() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/mlp-relu-softmax.grad"), encoding: .utf8)
        let graph = try GraphLoader.load(SourceFile(name: "mlp.grad", text: text), graphName: "mlp", mode: .file).get()
        let tape = graph.tape
        let frames = DotWriter.frames(tape: tape, name: "mlp", phase: .reverse)
        let captions = frames.suffix(4).map(\.caption)
        expectHasPrefix(captions[0], "v̄₀ (W1) = v̄₄·∂v₄/∂v₀ = v̄₄ · v₃ᵀ")
        expectEqual(captions[1], "v̄₋₁ (B) = Σ v̄₂·∂v₂/∂v₋₁ = Σ v̄₂ = Σ [0, 0, −0.3943] = −0.394277")
        expectHasSuffix(captions[2], "= [[0, 0], [0, 0], [−0.35485, −0.275994]]")
        expectHasSuffix(captions[3], "= [−0.145883, −0.18531]")
        // B's frame: the one edge into v₂ from B is current, drawn thick.
        let b = graph.node(named: "B")!, z = graph.node(named: "z")!
        let line = frames[frames.count - 3].dot.split(separator: "\n").first { $0.hasPrefix("  n\(b) -> n\(z)") }!
        expectContains(line, "penwidth=3")
        expectContains(line, "Σ v̄₂")
    }
}
