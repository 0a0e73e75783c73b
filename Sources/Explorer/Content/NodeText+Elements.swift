import GraphCore
import Screen

// A folded tensor of the neuron view stands for all of its scalar nodes: its box shows the
// tensor's value and derivative, gathered from its elements, never one element's numbers as
// if they were the tensor's (`▸ x 0.7` for x = [0.9, 0.7]).

extension NodeText {
    /// The element nodes a folded group stands for, in order, with the tensor's shape: a
    /// neuron-view tensor whose outputs are exactly its elements; nil for other groups.
    static func elements(of g: NodeGroup) -> (nodes: [Int], shape: Shape)? {
        guard case .tensor(let shape) = g.origin, shape.count > 1, g.outputs.count == shape.count else { return nil }
        return (g.outputs, shape)
    }

    /// The tensor's value once every element is computed; `…` before.
    static func valueText(_ s: ExplorerState, elements nodes: [Int], _ shape: Shape, width: Int) -> String {
        if s.phase == .primal, nodes.contains(where: { $0 == s.quizHidden }) { return asked }
        let computed = nodes.allSatisfy { s.phase == .reverse || $0 < s.tape.firstComputed || s.stepper.isDone($0) }
        guard computed else { return pending }
        return GraphView.number(ArraySlice(nodes.flatMap { s.evaluation.value($0) }), shape, width: width)
    }

    /// The tensor's tangent (forward) or adjoint (reverse) once every element has one, in the
    /// partial style while any element's adjoint is still a partial sum; nil for constants.
    static func derivativeText(_ s: ExplorerState, elements nodes: [Int], _ shape: Shape, width: Int) -> (String, Role)? {
        let tape = s.tape
        guard nodes.contains(where: { tape.entries[$0].op != .constant }) else { return nil }
        switch s.phase {
        case .primal: return nil
        case .forward:
            if nodes.contains(where: { $0 == s.quizHidden }) { return ("v̇ " + asked, .current) }
            guard nodes.allSatisfy({ $0 < tape.firstComputed || s.stepper.isDone($0) }) else { return ("v̇ " + pending, .muted) }
            let values = nodes.flatMap { s.stepper.slice(s.stepper.tangents, $0) }
            return ("v̇ " + GraphView.number(ArraySlice(values), shape, width: width - 2), .tangent)
        case .reverse:
            guard nodes.allSatisfy({ $0 <= tape.output }) else { return nil }
            if nodes.contains(where: { $0 == s.quizHidden }) { return ("v̄ " + asked, .current) }
            let arrived = nodes.allSatisfy { s.stepper.hasAdjoint($0) && (s.quiz == nil || s.stepper.isDone($0)) }
            guard arrived else { return ("v̄ " + pending, .muted) }
            let values = nodes.flatMap { s.stepper.slice(s.stepper.shownAdjoints, $0) }
            let role: Role = nodes.contains { partial(s, $0) != nil } ? .partial : .adjoint
            return ("v̄ " + GraphView.number(ArraySlice(values), shape, width: width - 2), role)
        }
    }
}
