import GraphCore
import GraphLanguage
import Optimize

extension DescentArguments {
    /// With `--batch-size B`: the objective on B rows of the graph's data and the sampler that
    /// loads other rows into it before each step; nil without `--batch-size`. The graph is
    /// reloaded (by `reload`, given the data sets cut to their first B rows as `--set`
    /// values) so that its tape is built once at the batch's shapes; `gradstep optimize` and
    /// the explorer's `:optimize` reload it each their own way and share the rest.
    public func miniBatches(of graph: Graph, variables: [String],
                            reload: ([(name: String, text: String)]) throws -> Graph) throws -> (Objective, MiniBatches)? {
        guard let batchSize else { return nil }
        guard let first = graph.dataSets.first else {
            throw Problem(description: "--batch-size draws rows of the graph's data, but it declares none; add e.g. 'data D = \"points.csv\"'")
        }
        for d in graph.dataSets where d.rows != first.rows {
            throw Problem(description: "--batch-size needs data sets with equal row counts; \(first.name) has \(first.rows), \(d.name) has \(d.rows)")
        }
        guard batchSize <= first.rows else {
            throw Problem(description: "--batch-size \(batchSize) is more than the \(first.rows) rows of \(first.name)")
        }
        let cut = graph.dataSets.map { d in
            let rows = (0..<batchSize).map { r in
                "[" + d.values[r * d.columns.count ..< (r + 1) * d.columns.count].map(Format.exact).joined(separator: ",") + "]"
            }
            return (name: d.name, text: "[" + rows.joined(separator: ",") + "]")
        }
        let batchGraph = try reload(cut)
        let tables = graph.dataSets.map { d in
            MiniBatches.Table(leaf: batchGraph.node(named: d.name)!, rows: d.rows, columns: d.columns.count, values: d.values)
        }
        var nodes: [Int] = []
        for name in variables {
            guard let node = batchGraph.node(named: name) else {
                throw Problem(description: "--batch-size: \(name) is not a name of the graph, so its batch copy cannot be found; optimise named inputs or params")
            }
            nodes.append(node)
        }
        let objective: Objective
        do { objective = try Objective(tape: batchGraph.tape, variables: nodes) }
        catch { throw Problem(description: error.description) }
        return (objective, MiniBatches(tables: tables, batchSize: batchSize, seed: seed, sampling: sampling ?? .independent))
    }
}
