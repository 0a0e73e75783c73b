import ArgumentParser
import GraphCore
import GraphLanguage

/// `gradstep info`: every node's op and shape, and how many numbers the params hold (the
/// "how many parameters does this network have" question, answered from the file).
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every node's op and shape, and the parameter count per param and in total.",
        discussion: """
            One row per tape entry (its name, op and shape), then each param with its shape \
            and number of elements, then their total: for a dense layer W [7×5] and b [7] that \
            is 35 + 7 = 42. --json prints exactly {"nodes": [{"name": N, "op": OP, "shape": \
            [...]}, ...], "params": {P: {"shape": [...], "count": C}, ...}, "param_count": \
            TOTAL}, a scalar's shape being [].

            The graph is read for its shapes only (initialisers draw no numbers), under larger \
            size limits than evaluation: a full-size VGG11 can be described though not \
            evaluated.
            """
    )

    @OptionGroup var graph: GraphOptions

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func run() throws {
        // Shapes need no numbers: read so, a network too large to evaluate (a full-size
        // VGG11, 9 million weights and 46-million-element feature maps) can still be described.
        let tape = try graph.load(shapesOnly: true).tape
        let params = (0..<tape.count).filter { tape.entries[$0].op == .param }
        let total = params.reduce(0) { $0 + tape.entries[$1].shape.count }
        if json {
            let nodes = (0..<tape.count).map { i -> JSON in
                ["name": .string(tape.displayName(i)), "op": .string(tape.entries[i].op.name), "shape": Self.list(tape.entries[i].shape)]
            }
            let counts = params.map { i in
                (key: tape.displayName(i), value: ["shape": Self.list(tape.entries[i].shape), "count": .int(tape.entries[i].shape.count)] as JSON)
            }
            let report: JSON = ["nodes": .array(nodes), "params": .object(counts), "param_count": .int(total)]
            print(report.text)
            return
        }
        let names = (0..<tape.count).map(tape.displayName)
        let width = max(4, names.map(\.count).max() ?? 0)
        let opWidth = max(2, tape.entries.map(\.op.name.count).max() ?? 0)
        func padded(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        print("\(padded("node", width))  \(padded("op", opWidth))  shape")
        for i in 0..<tape.count {
            print("\(padded(names[i], width))  \(padded(tape.entries[i].op.name, opWidth))  \(tape.entries[i].shape)")
        }
        print("")
        if params.isEmpty {
            print("no params: 0 parameters")
            return
        }
        let paramWidth = max(5, params.map { names[$0].count }.max() ?? 0)
        print("\(padded("param", paramWidth))  count  shape")
        for i in params {
            print("\(padded(names[i], paramWidth))  \(padded(Limits.grouped(tape.entries[i].shape.count), 5))  \(tape.entries[i].shape)")
        }
        print("total: \(Limits.grouped(total)) parameter\(total == 1 ? "" : "s")")
    }

    /// A shape as JSON's list of sizes: [] for a scalar, [n], [rows, cols], [1, 3, 32, 32].
    static func list(_ shape: Shape) -> JSON {
        .array(shape.dims.map { .int($0) })
    }
}
