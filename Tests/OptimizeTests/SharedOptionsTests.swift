import Foundation
import Optimize
import OptimizeArguments
import Plot
import Testing
import TestSupport

@Suite("The options the CLI and the explorer share")
struct SharedOptionsTests {
    @Test func defaultsArePyTorchs() throws {
        let args = try DescentArguments.parse([])
        expectTrue(args.steps == 100 && args.hyperparameters == Hyperparameters(method: .sgd, learningRate: 1e-3))
        let options = try args.descentOptions().get()
        expectTrue(options.steps == 100 && options.lineSearch == nil && options.tolerance == nil)
    }

    @Test func adamsOptionsParse() throws {
        let args = try DescentArguments.parse(["--method", "adam", "--lr", "0.1", "--betas", "0.8,0.99", "--steps", "7", "--wrt", "x, y"])
        let h = args.hyperparameters
        expectTrue(h.method == .adam && h.learningRate == 0.1 && h.betas == (0.8, 0.99) && h.epsilon == 1e-8)
        expectTrue(args.wrt == "x, y" && args.steps == 7)
        expectEqual(args.setting, "adam, η = 0.1, β = (0.8, 0.99)")
    }

    @Test func badOptionsAreRefusedWithTheCLIsWords() {
        func refusal(_ words: [String]) -> String {
            do { _ = try DescentArguments.parse(words); return "" } catch { return DescentArguments.message(for: error) }
        }
        expectEqual(refusal(["--betas", "2,3"]), "--betas expects two numbers in [0, 1) such as 0.9,0.999")
        expectEqual(refusal(["--lr", "0"]), "--lr must be a positive number")
        expectContains(refusal(["--method", "bogus"]), "bogus")
        expectContains(refusal(["--schedule", "sometimes"]), "sometimes")
    }

    /// Issue 24: `:optimize` parses the mini-batch options as `gradstep optimize` does.
    @Test func miniBatchOptionsAreShared() throws {
        let args = try DescentArguments.parse(["--lr", "2", "--batch-size", "8", "--seed", "1", "--sampling", "epochs"])
        expectTrue(args.batchSize == 8 && args.seed == 1 && args.sampling == .epochs)
        expectEqual(args.setting, "sgd, η = 2, batches of 8 (seed 1, epochs)")
        func refusal(_ words: [String]) -> String {
            do { _ = try DescentArguments.parse(words); return "" } catch { return DescentArguments.message(for: error) }
        }
        expectEqual(refusal(["--batch-size", "0"]), "--batch-size must be at least 1")
        expectEqual(refusal(["--sampling", "epochs"]), "--sampling chooses how --batch-size draws its rows: give --batch-size too")
    }

    @Test func optionsThatCannotRunTogetherSaySo() throws {
        let args = try DescentArguments.parse(["--method", "adam", "--line-search", "exact"])
        guard case .failure(let why) = args.descentOptions() else { Issue.record("accepted"); return }
        expectHasPrefix(why.description, "--line-search exact chooses the step along −∇L")
    }
}

@Suite("Loss curve and contour plot as Plots")
struct OptimizePlotTests {
    @Test func theLossAxisIsLogarithmicWhenLossesSpanMoreThanTwoDecades() {
        expectTrue(LossCurve.plot([100, 10, 1, 0.1]).logY)
        expectTrue(!LossCurve.plot([3, 2, 1]).logY)
        expectTrue(!LossCurve.plot([1, -1, 0.001]).logY, "not every loss positive")
        let marked = LossCurve.plot([3, 2, 1], current: 1)
        expectEqual(marked.markers, [Plot.Marker(.current, x: 1, y: 2)])
    }

    @Test func theContourBoxSurroundsThePathAndThePathStopsAtTheIteration() throws {
        let path: [(Double, Double)] = [(-1.2, 1.0), (-1.0, 1.1), (0.5, 0.2)]
        let bowl = { (x: Double, y: Double) -> Double in x * x + y * y }
        let plot = try #require(ContourPlot.plot(loss: bowl, path: path, names: ("x", "y"), upTo: 1))
        let c = try #require(plot.contour)
        let surroundsX: Bool = c.x.lowerBound < -1.2 && c.x.upperBound > 0.5
        let surroundsY: Bool = c.y.lowerBound < 0.2 && c.y.upperBound > 1.1
        expectTrue(surroundsX && surroundsY)
        expectEqual(plot.series[0].points, [Plot.Point(-1.2, 1), Plot.Point(-1, 1.1)])
        expectEqual(plot.markers, [Plot.Marker(.current, x: -1, y: 1.1)])
        let plane = { (x: Double, y: Double) -> Double in x + y }
        let nanPath: [(Double, Double)] = [(Double.nan, 1)]
        expectTrue(ContourPlot.plot(loss: plane, path: nanPath, names: ("x", "y")) == nil)
    }
}
