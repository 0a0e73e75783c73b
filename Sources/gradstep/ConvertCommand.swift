import ArgumentParser
import Foundation
import GraphLanguage
import ONNXImport

/// `gradstep convert FILE.onnx`: the model as a `.grad` program, to read and edit. Every other
/// command reads an `.onnx` file through the same conversion.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write an ONNX model as a .grad program (initializers as params, module paths as groups).",
        discussion: """
            Every command also opens an .onnx file directly (gradstep model.onnx, gradstep eval \
            model.onnx --set x=[…]); convert writes the program they read, to read or edit. \
            Initializers become params, graph inputs inputs of zeros (--set gives values), \
            and the module paths of torch.onnx.export's node names (/layer1/Conv) groups. An op \
            or attribute gradstep cannot map is an error naming the node and the op type.

            Ops mapped: \(ONNXImport.supportedOps.joined(separator: ", ")).
            """
    )

    @Argument(help: "An ONNX model (.onnx).", completion: .file(extensions: ["onnx"]))
    var file: String

    @Option(help: ArgumentHelp("Write the program to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(help: "With --out: write even to a link, a device or FIFO, or the model file itself.")
    var force = false

    func run() throws {
        try InputFile.check(file)
        guard FileManager.default.fileExists(atPath: file) else { throw Failure(text: "error: no such file: \(file)\n") }
        guard let data = FileManager.default.contents(atPath: file) else { throw Failure(text: "error: cannot read \(file)\n") }
        let text: String
        do throws(ONNXError) {
            text = try ONNXImport.convert(data, fileName: file)
        } catch {
            throw Failure(text: "error: \(error.message)\n")
        }
        // The program must load as gradstep reads it: a conversion that does not is a bug
        // to report, never a file that fails later.
        if case .failure(let failure) = GraphLoader.load(SourceFile(name: file, text: text), graphName: "model", mode: .file, shapesOnly: true) {
            throw Failure(text: failure.rendered(useColor: colorOnStderr))
        }
        guard let out else {
            print(text, terminator: "")
            return
        }
        try writeOutput(text, to: out, force: force, inputs: [file])
    }
}

/// Every command reads `.onnx` files through `ONNXImport`.
func registerImporters() {
    GraphImporters.register(extension: "onnx") { data, path in
        do throws(ONNXError) {
            return .success(try ONNXImport.convert(data, fileName: path))
        } catch {
            return .failure(GraphImporters.ImportError(error.message))
        }
    }
}
