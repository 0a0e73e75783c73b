import GraphCore
import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// The neuron-level (scalar) view of every example graph gives DOT the real Graphviz accepts:
/// the final picture of each state, and every frame of every pass for the small ones. Views of
/// more than 500 nodes are drawn by gradstep's own layout (as any graph that size), so `dot`
/// is not asked to lay them out here.
@Test(arguments: graphFiles().map(\.lastPathComponent))
func everyScalarPictureOfAnExampleGraphIsValidDot(file: String) async throws {
    let graphviz = try requireGraphviz()
    let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
    let view: Graph
    do {
        view = try graph.scalarView().graph
    } catch {
        // Too big to draw (the conv examples): refused with the limit, not drawn.
        expectContains(error.description, "would have more than 50,000 nodes", "\(file): \(error)")
        return
    }
    expectTrue(view.tape.entries.allSatisfy { $0.shape.isScalar })
    guard view.tape.count <= 500 else { return }
    var documents: [String] = []
    for phase in Phase.allCases {
        documents.append(DotWriter.dot(tape: view.tape, name: view.name, state: phase, options: DotOptions()))
        if view.tape.count <= 60 {
            documents += DotWriter.frames(tape: view.tape, name: view.name, phase: phase, options: DotOptions()).map(\.dot)
        }
    }
    let verdict = try await dotAccepts(documents.joined(separator: "\n"), graphviz: graphviz)
    expectTrue(verdict.ok, "\(file): \(verdict.stderr)")
    expectNotContains(verdict.stderr, "Error", "\(file): \(verdict.stderr)")
}
