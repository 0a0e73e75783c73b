import GraphCore

/// Early stopping: training stops once the loss on held-out (validation) data has not
/// improved for `patience` steps in a row, since from then on the training loss falls by
/// fitting the training set's noise (overfitting) while the validation loss stalls or rises.
/// As Keras' `EarlyStopping(patience=K)` without `restore_best_weights`, θ is left where
/// training stopped; the message names the best step.
public struct EarlyStopping: Sendable {
    /// The same graph on the validation data: its loss at θ is the validation loss.
    public var validation: Objective
    /// Steps without a new best validation loss before stopping; nil only records the loss.
    public var patience: Int?

    public init(validation: Objective, patience: Int?) {
        self.validation = validation
        self.patience = patience
    }

    /// Records the validation loss at θ (the run's newest iterate) and says why to stop when
    /// the best loss is `patience` or more steps old. A NaN loss is never a best.
    mutating func watch(_ run: inout DescentRun, _ theta: [Double]) -> String? {
        run.validationLosses.append(validation.loss(at: theta))
        guard let patience else { return nil }
        let losses = run.validationLosses
        guard let best = losses.indices.filter({ !losses[$0].isNaN }).min(by: { losses[$0] < losses[$1] }) else { return nil }
        let since = losses.count - 1 - best
        guard since >= patience else { return nil }
        return "early stopping: the validation loss has not improved for \(since) step\(since == 1 ? "" : "s") "
            + "(patience \(patience)); its best, \(Format.short(losses[best], digits: 8)), was at step \(best)"
    }
}
