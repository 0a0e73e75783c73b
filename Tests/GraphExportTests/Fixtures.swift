import Foundation
import GraphCore
import GraphExport
import Testing
import TestSupport

/// The Baydin et al. (2018) running example, y = ln x₁ + x₁·x₂ − sin x₂ at (2, 5).
func baydinTape() throws -> Tape {
    var b = TapeBuilder()
    let x1 = b.leaf(.input, .scalar, [2], name: "x1")
    let x2 = b.leaf(.input, .scalar, [5], name: "x2")
    let v1 = try b.apply(.ln, [x1])
    let v2 = try b.apply(.mul, [x1, x2])
    let v4 = try b.apply(.add, [v1, v2])
    let v3 = try b.apply(.sin, [x2])
    let y = try b.apply(.sub, [v4, v3], name: "y")
    return b.finish(output: y).tape
}

/// A tiny classifier: loss = cross_entropy(softmax(W @ x), target), with a param matrix, an
/// input vector and a constant target.
func classifierTape() throws -> Tape {
    var b = TapeBuilder()
    let w = b.leaf(.param, .matrix(2, 3), [0.1, -0.2, 0.3, 0.5, 0.4, -0.1], name: "W")
    let x = b.leaf(.input, .vector(3), [1, 2, 3], name: "x")
    let target = b.leaf(.constant, .vector(2), [0, 1], name: "target")
    let z = try b.apply(.matmul, [w, x], name: "z")
    let p = try b.apply(.softmax, [z], name: "p")
    let loss = try b.apply(.crossEntropy, [p, target], name: "loss")
    return b.finish(output: loss).tape
}

/// A graph whose names are as hostile to DOT and HTML as names get.
func hostileTape() throws -> Tape {
    var b = TapeBuilder()
    let a = b.leaf(.input, .scalar, [1.5], name: "a \"quoted\" \\ back\\slash")
    let c = b.leaf(.param, .scalar, [-2], name: "<b>&amp; </TD></TABLE>> & <")
    let k = b.leaf(.constant, .scalar, [3], name: "line\nbreak\r\ttab }; graph { x")
    let n = try b.apply(.mul, [a, c], name: "node")
    let e = try b.apply(.add, [n, k], name: "strict digraph edge -> subgraph")
    let u = try b.apply(.relu, [e], name: "ünïcødé ∂ √ 🤖 ‮rtl")
    let last = try b.apply(.exp, [u], name: "\u{1}\u{7F}ctl ]] [label=x] // /* */ #")
    return b.finish(output: last).tape
}

/// A fresh empty folder under the temporary directory, removed when the test process exits.
func temporaryFolder(_ name: String = #function) throws -> URL {
    let clean = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("gradstep-export-tests-\(clean)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    removeAtExit(url)
    return url
}

/// The real `dot`; the test fails (not skips) when Graphviz is missing, since CI installs it.
func requireGraphviz(sourceLocation: SourceLocation = #_sourceLocation) throws -> Graphviz {
    do {
        return try Graphviz.locate(timeout: 30)
    } catch {
        Issue.record("These tests run the real Graphviz `dot`: \(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// Runs `dot -Tplain` on `text`; returns its exit status and standard error. `dot` reads the
/// graphs, builds every label (HTML ones included) and lays each out, as for a picture; the
/// plain format only skips drawing. `-o /dev/null` would swallow the first graph of several
/// only: the rest came back as 14 MB of SVG for vgg11-shapes' frames, a third of that as plain.
func dotAccepts(_ text: String, graphviz: Graphviz) async throws -> (ok: Bool, stderr: String) {
    let r = try await runProcess(graphviz.executable.path, ["-Tplain"], stdin: text)
    return (r.status == 0, r.stderr)
}

/// `dot`'s verdict on each of `documents`. One run reads them all (`dot` takes several
/// graphs from one input, and its exit status counts the errors of every one of them); only
/// when that run fails or reports an error is each document run alone, to name the one at
/// fault. A verdict's `stderr` is then that document's own.
func dotVerdicts(_ documents: [String], graphviz: Graphviz) async throws -> [(document: String, ok: Bool, stderr: String)] {
    let together = try await dotAccepts(documents.joined(separator: "\n"), graphviz: graphviz)
    if together.ok && !together.stderr.contains("Error") {
        return documents.map { ($0, true, together.stderr) }
    }
    var verdicts: [(document: String, ok: Bool, stderr: String)] = []
    for document in documents {
        let alone = try await dotAccepts(document, graphviz: graphviz)
        verdicts.append((document, alone.ok, alone.stderr))
    }
    return verdicts
}
