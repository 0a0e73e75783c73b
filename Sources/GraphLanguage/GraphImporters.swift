import Foundation

/// Readers of model formats other than the language's own, by file extension: an importer
/// turns a file's bytes into the language's text, which is then loaded as a `.grad` file is.
/// The program registers them at start (`gradstep` registers ONNX), so GraphLanguage does not
/// depend on any format's decoder.
///
/// ```swift
/// GraphImporters.register(extension: "onnx") { data, path in
///     Result { try ONNXImport.convert(data, fileName: path) }.mapError { "\($0)" }
/// }
/// ```
public enum GraphImporters {
    /// The file's bytes and its path as given, to the program's text or a one-line error.
    public typealias Importer = @Sendable (Data, String) -> Result<String, ImportError>

    /// Why a file could not be imported, already worded for the user.
    public struct ImportError: Error, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var importers: [String: Importer] = [:]

    /// Reads files whose extension is `fileExtension` (compared without case) with `importer`.
    public static func register(extension fileExtension: String, _ importer: @escaping Importer) {
        lock.withLock { importers[fileExtension.lowercased()] = importer }
    }

    /// The importer for `path`'s extension, if one is registered.
    public static func importer(for path: String) -> Importer? {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard !ext.isEmpty else { return nil }
        return lock.withLock { importers[ext] }
    }
}
