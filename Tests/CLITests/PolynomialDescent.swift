import Foundation

/// A hand loop of `Graphs/early-stopping.grad` (a degree-7 polynomial fitted to
/// `poly-train.csv`, scored on `poly-validation.csv`), written from the formulas and not
/// from gradstep's code: the loss mean((Σ w_k x^k − t)²), its gradient, and PyTorch's SGD and
/// Adam updates, with an optional ReduceLROnPlateau on the validation loss.
struct PolynomialDescent {
    var train: [(Double, Double)]
    var validation: [(Double, Double)]

    init() throws {
        func rows(_ name: String) throws -> [(Double, Double)] {
            try String(contentsOfFile: graph(name), encoding: .utf8).split(separator: "\n").dropFirst().map {
                let c = $0.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
                return (c[0], c[1])
            }
        }
        train = try rows("poly-train.csv")
        validation = try rows("poly-validation.csv")
    }

    static func predict(_ w: [Double], _ x: Double) -> Double {
        (0..<8).map { w[$0] * pow(x, Double($0)) }.reduce(0, +)
    }

    static func loss(_ w: [Double], _ data: [(Double, Double)]) -> Double {
        data.map { x, t in let r = predict(w, x) - t; return r * r }.reduce(0, +) / Double(data.count)
    }

    func gradient(_ w: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: 8)
        for (x, t) in train {
            let r = Self.predict(w, x) - t
            for k in 0..<8 { g[k] += 2 * r * pow(x, Double(k)) / Double(train.count) }
        }
        return g
    }

    /// Runs `steps` steps from w = 0: the training and validation losses at w₀ … w_N and the
    /// rate each step took. `plateau` is (patience K, factor γ): η·γ once the validation loss
    /// after a step has not been below best·(1 − 1e-4) for more than K steps in a row.
    func descend(adam: Bool, lr: Double, steps: Int, plateau: (Int, Double)? = nil) -> (train: [Double], validation: [Double], rates: [Double]) {
        var w = [Double](repeating: 0, count: 8), m = w, v = w
        var curves = (train: [Self.loss(w, train)], validation: [Self.loss(w, validation)], rates: [Double]())
        var rate = lr, best = Double.infinity, stale = 0
        for step in 1...steps {
            let g = gradient(w)
            for k in 0..<8 {
                if adam {
                    m[k] = 0.9 * m[k] + 0.1 * g[k]
                    v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k]
                    let mHat = m[k] / (1 - pow(0.9, Double(step))), vHat = v[k] / (1 - pow(0.999, Double(step)))
                    w[k] -= rate * mHat / (vHat.squareRoot() + 1e-8)
                } else {
                    w[k] -= rate * g[k]
                }
            }
            curves.rates.append(rate)
            curves.train.append(Self.loss(w, train))
            curves.validation.append(Self.loss(w, validation))
            if let (patience, factor) = plateau {
                let watched = curves.validation.last!
                if watched < best * (1 - 1e-4) { best = watched; stale = 0 } else { stale += 1 }
                if stale > patience { rate *= factor; stale = 0 }
            }
        }
        return curves
    }
}
