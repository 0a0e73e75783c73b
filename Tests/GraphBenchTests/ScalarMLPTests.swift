import GraphBench
import GraphCore
import Testing

/// The optimisation benchmark's network is micrograd's MLP(2, [16, 16, 1]), and its hand loop
/// computes what the interpreter computes.
@Test func scalarMLPHasMicrogradsParametersAndTheHandLoopAgrees() throws {
    let (tape, parameters) = ScalarMLP.tape()
    // (2 + 1)·16 + (16 + 1)·16 + (16 + 1)·1 weights and biases.
    #expect(parameters.count == 48 + 272 + 17)
    #expect(tape.isAllScalar)
    #expect(parameters.map { tape.leafValues($0).first! } == (0..<337).map(ScalarMLP.initialParameter))
    let values = tape.evaluate()
    let adjoints = tape.adjoints(values: values)
    var reference = try #require(ReferenceStep(tape, parameters: parameters))
    var theta = parameters.map { values[$0] }
    let loss = reference.step(&theta, learningRate: 0.5)
    #expect(loss == values[tape.output])
    for (k, p) in parameters.enumerated() { #expect(theta[k] == values[p] - 0.5 * adjoints[p]) }
}
