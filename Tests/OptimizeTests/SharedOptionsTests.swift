import Foundation
import Optimize
import OptimizeArguments
import Plot
import Testing

@Suite("The options the CLI and the explorer share")
struct SharedOptionsTests {
    @Test func defaultsArePyTorchs() throws {
        let args = try DescentArguments.parse([])
        #expect(args.steps == 100 && args.hyperparameters == Hyperparameters(method: .sgd, learningRate: 1e-3))
        let options = try args.descentOptions().get()
        #expect(options.steps == 100 && options.lineSearch == nil && options.tolerance == nil)
    }

    @Test func adamsOptionsParse() throws {
        let args = try DescentArguments.parse(["--method", "adam", "--lr", "0.1", "--betas", "0.8,0.99", "--steps", "7", "--wrt", "x, y"])
        let h = args.hyperparameters
        #expect(h.method == .adam && h.learningRate == 0.1 && h.betas == (0.8, 0.99) && h.epsilon == 1e-8)
        #expect(args.wrt == "x, y" && args.steps == 7)
        #expect(args.setting == "adam, η = 0.1, β = (0.8, 0.99)")
    }

    @Test func badOptionsAreRefusedWithTheCLIsWords() {
        func refusal(_ words: [String]) -> String {
            do { _ = try DescentArguments.parse(words); return "" } catch { return DescentArguments.message(for: error) }
        }
        #expect(refusal(["--betas", "2,3"]) == "--betas expects two numbers in [0, 1) such as 0.9,0.999")
        #expect(refusal(["--lr", "0"]) == "--lr must be a positive number")
        #expect(refusal(["--method", "bogus"]).contains("bogus"))
        #expect(refusal(["--schedule", "sometimes"]).contains("sometimes"))
    }

    /// Issue 24: `:optimize` parses the mini-batch options as `gradstep optimize` does.
    @Test func miniBatchOptionsAreShared() throws {
        let args = try DescentArguments.parse(["--lr", "2", "--batch-size", "8", "--seed", "1", "--sampling", "epochs"])
        #expect(args.batchSize == 8 && args.seed == 1 && args.sampling == .epochs)
        #expect(args.setting == "sgd, η = 2, batches of 8 (seed 1, epochs)")
        func refusal(_ words: [String]) -> String {
            do { _ = try DescentArguments.parse(words); return "" } catch { return DescentArguments.message(for: error) }
        }
        #expect(refusal(["--batch-size", "0"]) == "--batch-size must be at least 1")
        #expect(refusal(["--sampling", "epochs"]) == "--sampling chooses how --batch-size draws its rows: give --batch-size too")
    }

    @Test func optionsThatCannotRunTogetherSaySo() throws {
        let args = try DescentArguments.parse(["--method", "adam", "--line-search", "exact"])
        guard case .failure(let why) = args.descentOptions() else { Issue.record("accepted"); return }
        #expect(why.description.hasPrefix("--line-search exact chooses the step along −∇L"))
    }
}

@Suite("Loss curve and contour plot as Plots")
struct OptimizePlotTests {
    @Test func theLossAxisIsLogarithmicWhenLossesSpanMoreThanTwoDecades() {
        #expect(LossCurve.plot([100, 10, 1, 0.1]).logY)
        #expect(!LossCurve.plot([3, 2, 1]).logY)
        #expect(!LossCurve.plot([1, -1, 0.001]).logY, "not every loss positive")
        let marked = LossCurve.plot([3, 2, 1], current: 1)
        #expect(marked.markers == [Plot.Marker(.current, x: 1, y: 2)])
    }

    @Test func theContourBoxSurroundsThePathAndThePathStopsAtTheIteration() throws {
        let path = [(-1.2, 1.0), (-1.0, 1.1), (0.5, 0.2)]
        let plot = try #require(ContourPlot.plot(loss: { $0 * $0 + $1 * $1 }, path: path, names: ("x", "y"), upTo: 1))
        let c = try #require(plot.contour)
        #expect(c.x.lowerBound < -1.2 && c.x.upperBound > 0.5 && c.y.lowerBound < 0.2 && c.y.upperBound > 1.1)
        #expect(plot.series[0].points == [Plot.Point(-1.2, 1), Plot.Point(-1, 1.1)])
        #expect(plot.markers == [Plot.Marker(.current, x: -1, y: 1.1)])
        #expect(ContourPlot.plot(loss: { $0 + $1 }, path: [(Double.nan, 1)], names: ("x", "y")) == nil)
    }
}
