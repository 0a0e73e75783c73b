import Foundation

/// An ONNX model read as a gradstep program (the protobuf read by `ProtobufReader`): `gradstep FILE.onnx` and every command on an
/// `.onnx` file convert it to the graph language first, so a model is stepped through, drawn
/// and checked exactly as a `.grad` file is (`gradstep convert` writes that file).
///
/// - Initializers become `param`s (their gradients are what a student steps to); a
///   BatchNormalization's running statistics and integer tensors (a Gather's indices) `const`s.
/// - Graph inputs become `input`s of zeros (`--set` gives them values).
/// - A node named as `torch.onnx.export` names it (`/layer1/conv1/Conv`) belongs to the module
///   path `layer1_conv1`; consecutive nodes of one module form a `group`, folded in pictures
///   and the explorer. The value a node computes is named after the node (`layer1_conv1_Conv`).
/// - An op or attribute without an exact counterpart is an error naming the node, the op type
///   and the attribute: never a graph that computes something else.
///
/// ```swift
/// let text = try ONNXImport.convert(Data(contentsOf: url), fileName: "mlp.onnx")
/// ```
public enum ONNXImport {
    /// The ONNX op types converted.
    public static var supportedOps: [String] { ONNXConverter.supported }

    /// The graph language's text of the model in `data`.
    public static func convert(_ data: Data, fileName: String) throws(ONNXError) -> String {
        guard data.count <= ONNXLimits.maximumFileBytes else {
            throw ONNXError("\(fileName): the model is \(data.count) bytes; gradstep reads models of at most \(ONNXLimits.maximumFileBytes) bytes")
        }
        let model: ONNXModel
        do throws(ProtobufReader.Failure) {
            model = try ONNXModel([UInt8](data))
        } catch {
            throw ONNXError("\(fileName): not an ONNX model (\(error.reason)); is it a .onnx file?")
        }
        guard let graph = model.graph else {
            throw ONNXError("\(fileName): not an ONNX model (it has no graph); is it a .onnx file?")
        }
        for opset in model.opsets where !opset.domain.isEmpty && opset.domain != "ai.onnx" {
            if graph.node.contains(where: { $0.domain == opset.domain }) {
                throw ONNXError("\(fileName): the model uses ops of the domain \(ONNXNames.shown(opset.domain)); gradstep maps the standard ONNX ops only")
            }
        }
        let opset = model.opsets.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }).map(\.version) ?? 13
        var converter = ONNXConverter(graph: graph, opset: opset, fileName: fileName)
        return try converter.program(producer: model.producerName, producerVersion: model.producerVersion)
    }
}
