import Explorer
import Foundation
import TestSupport
import Testing

@Suite("Graphviz layout")
struct LayoutGraphvizTests {
    /// The `dot` program, or a failure that says how to get it (CI installs Graphviz).
    static func dotProgram() -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(folder)/dot"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        Issue.record("Graphviz is not installed (no `dot` on PATH): apt-get install graphviz")
        return nil
    }

    @Test("DOT source: cells as inches, rankdir, one edge per operand")
    func dotSource() {
        let request = LayoutRequest(operands: [[], [0], [0, 1]], widths: [5, 8, 4], height: 3, leftToRight: false)
        expectEqual(GraphvizLayout.dotSource(request), """
            digraph gradstep {
              graph [rankdir=TB, nodesep=0.25, ranksep=0.5];
              node [shape=box, fixedsize=true, label="", height=0.75];
              edge [arrowhead=none];
              n0 [width=0.625];
              n1 [width=1];
              n2 [width=0.5];
              n0 -> n1;
              n0 -> n2;
              n1 -> n2;
            }

            """)
    }

    static let plain = """
        graph 1 2.25 1.75
        node n0 0.375 1.375 0.75 0.75 "" solid box black lightgrey
        node n1 0.375 0.375 0.75 0.75 "" solid box black lightgrey
        node n2 1.75 1.375 1 0.75 "" solid box black lightgrey
        edge n0 n2 4 0.75 1.375 0.9 1.375 1.1 1.375 1.25 1.375 solid black
        edge n1 n2 4 0.75347 0.64561 0.9062 0.75899 1.086 0.89245 1.2498 1.014 solid black
        stop

        """
    static let plainRequest = LayoutRequest(operands: [[], [], [0, 1]], widths: [6, 6, 8], height: 3)

    @Test("-Tplain: inches with y up become cells with y down")
    func parsePlain() throws {
        let layout = try #require(GraphvizLayout.parsePlain(Self.plain, request: Self.plainRequest))
        expectEqual(layout.engine, .graphviz)
        expectEqual(layout.boxes, [
            .init(node: 0, x: 0, y: 0, width: 6, height: 3),
            .init(node: 1, x: 0, y: 4, width: 6, height: 3),
            .init(node: 2, x: 10, y: 0, width: 8, height: 3),
        ])
        expectTrue((layout.width, layout.height) == (18, 7))
        // n0 → n2 is straight along row 1 (y = 1.375 in), from beside n0 to beside n2.
        expectEqual(layout.edges[0], .init(from: 0, to: 2, points: [.init(x: 6, y: 1), .init(x: 9, y: 1)]))
        expectEqual(LayoutFixtures.problems(layout, Self.plainRequest, throughBoxes: false), [])
    }

    @Test("Malformed -Tplain gives nil", arguments: [
        "",
        "graph 1 2.25 1.75\nstop\n",                                      // nodes missing
        plain.replacingOccurrences(of: "stop", with: ""),                  // cut short
        plain.replacingOccurrences(of: "0.375 1.375", with: "0.375 x"),    // not a number
        plain.replacingOccurrences(of: "edge n0 n2 4", with: "edge n0 n2 9"), // too few points
        plain.replacingOccurrences(of: "edge n1 n2", with: "edge n1 n0"),  // an edge missing
        plain.replacingOccurrences(of: "node n1", with: "node n0"),        // a node twice
        plain.replacingOccurrences(of: "graph 1 2.25 1.75", with: "graph 1 nan"),
        plain.replacingOccurrences(of: "node n2", with: "node n99"),
        "bogus line\n" + plain,
    ])
    func malformed(text: String) {
        expectTrue(GraphvizLayout.parsePlain(text, request: Self.plainRequest) == nil)
    }

    @Test("Round trip through the real dot: Baydin's graph", arguments: [true, false])
    func baydin(leftToRight: Bool) async throws {
        guard Self.dotProgram() != nil else { return }
        let request = LayoutFixtures.baydin(leftToRight: leftToRight)
        let layout = try await GraphvizLayout.run(request, timeout: 120).get()
        expectEqual(layout.engine, .graphviz)
        expectEqual(LayoutFixtures.problems(layout, request, throughBoxes: false), [])
    }

    @Test("Round trip through the real dot: 100 random nodes")
    func random() async throws {
        guard Self.dotProgram() != nil else { return }
        let request = LayoutFixtures.randomDAG(nodes: 100, seed: 11)
        let layout = try await GraphvizLayout.run(request, timeout: 120).get()
        expectEqual(LayoutFixtures.problems(layout, request, throughBoxes: false), [])
    }

    @Test("No Graphviz, a time limit, an error from dot: each reported")
    func failures() async {
        let request = LayoutFixtures.baydin()
        let missing = await GraphvizLayout.run(request, dotPath: "/nonexistent/dot", timeout: 5)
        expectEqual(missing, .failure(.graphvizMissing))
        expectHasPrefix(LayoutFailure.graphvizMissing.description, "Graphviz not installed")

        guard let dot = Self.dotProgram() else { return }
        let started = Date()
        let slow = await GraphvizLayout.run(LayoutFixtures.wideDAG(nodes: 400, seed: 3), dotPath: dot, timeout: 0.001)
        expectEqual(slow, .failure(.timedOut(seconds: 0.001)))
        // A hang guard, not a speed target: far above the limit, far below a hang.
        expectTrue(Date().timeIntervalSince(started) < 120)
        expectHasPrefix(LayoutFailure.timedOut(seconds: 2).description, "Graphviz layout timed out after 2 s")

        // `false` exits 1 without output: dot's status and (empty) stderr are reported.
        let failing = await GraphvizLayout.run(request, dotPath: "/bin/false", timeout: 120)
        expectEqual(failing, .failure(.failed(status: 1, stderr: "")))
        // What the program says on stderr is passed on: `cat` rejects the -Tplain option.
        let complaining = await GraphvizLayout.run(request, dotPath: "/bin/cat", timeout: 120)
        guard case let .failure(.failed(status, stderr)) = complaining else {
            Issue.record("expected a failure with stderr, got \(complaining)")
            return
        }
        expectTrue(status != 0 && stderr.contains("-- 'p'"))
        expectEqual(LayoutFailure.failed(status: 1, stderr: "syntax error in line 2\n").description, "Graphviz layout failed (exit status 1): syntax error in line 2")
        // A program that succeeds with something other than -Tplain: `echo` prints its arguments.
        // (Not a script written here: a test process that forks elsewhere while the script is
        // open for writing makes its exec fail with ETXTBSY, which reads as "not installed".)
        let echoing = await GraphvizLayout.run(request, dotPath: "/bin/echo", timeout: 120)
        expectEqual(echoing, .failure(.unreadableOutput))
    }
}
