import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Symbolic

/// `gradstep limit`: the limit of a quotient f/g by L'Hôpital's rule, round by round.
struct LimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit",
        abstract: "Take the limit of a quotient f/g by L'Hôpital's rule, showing every round.",
        discussion: """
            The output must be a quotient f / g of scalar, elementwise expressions. At a point \
            a, f and g are evaluated; while both are 0 (up to rounding), both are \
            differentiated symbolically and evaluated again, at most 6 times. A nonzero \
            number over 0 is ±∞ when both sides agree and no limit otherwise. At ±∞ nothing \
            can be substituted: f/g and f′/g′ are sampled at x = 10, 10², 10⁴, … and the \
            verdict is numerical evidence, which the output says. Free names of -e need no \
            --set.

            Example: gradstep limit -e '(exp(x^2) - x - 1) / (3*cos(x) - x - 3)' --at x=0

            --json prints exactly {"limit": L, "verdict": V, "rounds": [{"order": k, \
            "numerator": "...", "denominator": "...", "numerator_value": f, \
            "denominator_value": g}, ...], "samples": [{"x": x, "ratio": r, \
            "derivative_ratio": d}, ...]}, with L a number, "inf", "-inf" or null and V one \
            of "value", "infinite", "none", "undecided"; values that do not exist are null. \
            When the last round's ratio differs just left and right of the point (a kink such \
            as abs(x)/x at 0, where the derivatives are only a convention), there is no limit: \
            V is "none" and "left" and "right" give the one-sided values.
            """
    )

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("Where the variable goes, as NAME=VALUE; VALUE may be inf or -inf.", valueName: "name=value"))
    var at: String

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func validate() throws {
        let parts = at.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--at expects NAME=VALUE, got '\(at)'") }
        guard Limit.Point(parsing: parts[1]) != nil else {
            throw ValidationError("--at \(at): '\(parts[1])' is not a number, inf or -inf")
        }
    }

    func run() throws {
        let parts = at.split(separator: "=", maxSplits: 1).map(String.init)
        let (name, point) = (parts[0], Limit.Point(parsing: parts[1])!)
        let g = try graph.loadWithFreeNames()
        guard g.differentiableLeaves.contains(where: { $0.name == name }) else {
            let leaves = g.differentiableLeaves.map(\.name)
            let hint = suggestion(for: name, among: leaves).map { "; did you mean '\($0)'?" }
                ?? " (inputs and params: \(leaves.joined(separator: ", ")))"
            throw Failure(text: "error: --at \(name): no input or param of that name\(hint)\n", status: 2)
        }
        let limit: Limit
        do {
            limit = try Limit(tape: g.tape, variable: name, at: point)
        } catch {
            throw Failure(text: "error: \(error)\n")
        }
        print(json ? Self.json(limit) : Self.text(limit, output: g.outputName), terminator: "")
    }

    static func text(_ limit: Limit, output: String) -> String {
        let x = limit.variable, a = limit.point.description
        var out = "lim \(x) → \(a) of \(output) = f / g\n"
        let primes = ["", "′", "″", "‴", "⁽⁴⁾", "⁽⁵⁾", "⁽⁶⁾"]
        let labelWidth = 1 + (limit.rounds.map { primes[min($0.order, primes.count - 1)].count }.max() ?? 0)
        let width = limit.rounds.flatMap { [$0.numerator, $0.denominator] }.map(\.count).max() ?? 0
        for round in limit.rounds {
            let p = primes[min(round.order, primes.count - 1)]
            for (letter, source, value) in [("f", round.numerator, round.numeratorValue), ("g", round.denominator, round.denominatorValue)] {
                let label = (letter + p).padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                var line = "  \(label) = " + source
                if let value {
                    line = line.padding(toLength: 5 + labelWidth + width, withPad: " ", startingAt: 0)
                        + "   \(letter)\(p)(\(a)) = \(Self.number(value))"
                }
                out += line + "\n"
            }
            if round.isZeroOverZero, round.order + 1 < limit.rounds.count {
                out += "  0/0: differentiate both (L'Hôpital)\n"
            }
        }
        if !limit.samples.isEmpty {
            out += "  \("x".leftPadded(10))  \("f/g".leftPadded(22))  \("f′/g′".leftPadded(22))\n"
            for s in limit.samples {
                out += "  \(Self.number(s.x).leftPadded(10))  \(Self.number(s.ratio).leftPadded(22))  \(Self.number(s.derivativeRatio).leftPadded(22))\n"
            }
        }
        let evidence = limit.samples.isEmpty ? "" : " (from the samples above: numerical evidence, not a proof)"
        switch limit.verdict {
        case .value(let v):
            let last = limit.rounds.last.map { primes[min($0.order, primes.count - 1)] } ?? ""
            var why = limit.samples.isEmpty ? " (f\(last)(\(a)) / g\(last)(\(a)))" : evidence
            if limit.sidesOverruleThePoint {
                why = " (f\(last)/g\(last) just left and right of \(a), which agree; at \(a) itself the derivatives follow a convention)"
            }
            out += "limit = \(Self.number(v))\(why)\n"
        case .infinite(let sign):
            out += "limit = \(sign > 0 ? "∞" : "−∞")\(limit.samples.isEmpty ? " (a nonzero number over 0, the same sign on both sides)" : evidence)\n"
        case .oneSidedInfinities:
            out += "no limit: a nonzero number over 0, and f/g goes to ∞ on one side of \(a) and to −∞ on the other\n"
        case .oneSidedValues(let left, let right):
            let last = limit.rounds.last.map { primes[min($0.order, primes.count - 1)] } ?? ""
            out += "no limit: f\(last)/g\(last) tends to \(Self.number(left)) from the left of \(a) and to \(Self.number(right)) from the right\n"
            out += "  (at \(a) itself the derivatives follow a convention, which is not a limit)\n"
        case .undecided(let why):
            out += "no verdict: \(why)\n"
        }
        return out
    }

    static func json(_ limit: Limit) -> String {
        // An infinite limit is the string "inf" or "-inf": JSON has no number for it, and null
        // already means "no limit".
        let (value, verdict): (JSON, String) = switch limit.verdict {
        case .value(let v): (.number(v), "value")
        case .infinite(let sign): (sign > 0 ? "inf" : "-inf", "infinite")
        case .oneSidedInfinities, .oneSidedValues: (.null, "none")
        case .undecided: (.null, "undecided")
        }
        var members: [(key: String, value: JSON)] = [("limit", value), ("verdict", .string(verdict))]
        if case .oneSidedValues(let left, let right) = limit.verdict {
            members += [("left", .number(left)), ("right", .number(right))]
        }
        members.append(("rounds", .array(limit.rounds.map { r in
            ["order": .int(r.order), "numerator": .string(r.numerator), "denominator": .string(r.denominator),
             "numerator_value": .number(orNull: r.numeratorValue), "denominator_value": .number(orNull: r.denominatorValue)]
        })))
        members.append(("samples", .array(limit.samples.map {
            ["x": .number($0.x), "ratio": .number($0.ratio), "derivative_ratio": .number($0.derivativeRatio)]
        })))
        return JSON.object(members).text + "\n"
    }

    private static func number(_ x: Double) -> String {
        if x.isNaN { return "undefined" }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.12g", x)
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: " ", count: max(0, n - count)) + self }
}
