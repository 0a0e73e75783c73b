import Explorer
import GraphCore
import Testing
import TestSupport

/// `:set x1=1e400` was accepted as ∞; like the command line's `--set` it is out of range.
@Suite("The explorer's :set refuses what --set refuses")
struct SetRangeTests {
    @Test(arguments: ["1e400", "-1e999", "inf", "nan"])
    func anOutOfRangeValueIsRefused(value: String) async {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        let before = s.evaluation.values
        await s.command("set x1=\(value)")
        expectEqual(s.message?.kind, .error)
        expectEqual(s.message?.text.contains("'\(value)' is out of range for"), true, "\(s.message?.text ?? "")")
        expectEqual(s.message?.text.contains("numbers must be finite, at most about 1.8e308"), true)
        expectEqual(s.evaluation.values, before)
    }
}
