import Foundation
import Testing

/// Compares `text` with the snapshot file `__Snapshots__/<name>.txt` next to the calling test
/// file. A missing snapshot is recorded (and the test fails, so nobody mistakes a first run for a
/// pass) unless `SNAPSHOT_TESTING_RECORD=never`, as in CI, where it only fails. Set
/// `SNAPSHOT_TESTING_RECORD=all` to re-record every snapshot after an intended change.
public func assertSnapshot(
    _ text: String, named name: String,
    filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__")
    let file = folder.appendingPathComponent("\(name).txt")
    let mode = ProcessInfo.processInfo.environment["SNAPSHOT_TESTING_RECORD"] ?? "missing"
    let existing = try? String(contentsOf: file, encoding: .utf8)
    if mode == "all" || (existing == nil && mode != "never") {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? text.write(to: file, atomically: true, encoding: .utf8)
        if existing != text {
            Issue.record("Recorded snapshot \(name); re-run the tests.", sourceLocation: sourceLocation)
        }
        return
    }
    guard let existing else {
        Issue.record("No snapshot \(file.path) (SNAPSHOT_TESTING_RECORD=never).", sourceLocation: sourceLocation)
        return
    }
    if let message = snapshotMismatch(named: name, file: file.path, snapshot: existing, actual: text) {
        Issue.record("\(message)", sourceLocation: sourceLocation)
    }
}

/// What a failed snapshot comparison says: the snapshot's name and file, a unified line diff
/// from the snapshot (`-`) to what the test produced (`+`), and how to re-record it. Nil when
/// the two are equal.
public func snapshotMismatch(named name: String, file: String, snapshot: String, actual: String) -> String? {
    guard snapshot != actual else { return nil }
    return """
        Snapshot \(name) differs (- \(file), + actual):
        \(unifiedLineDiff(from: snapshot, to: actual))\
        If the change is intended, inspect it, then re-record with SNAPSHOT_TESTING_RECORD=all \
        on this test's filter only.
        """
}

/// The repository's top folder, found from this source file's location.
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Every `.grad` file in `Graphs/`, sorted by name.
public func graphFiles() -> [URL] {
    let folder = repositoryRoot.appendingPathComponent("Graphs")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".grad") }.sorted().map { folder.appendingPathComponent($0) }
}

/// Relative closeness, as in swift-numerics' `isApproximatelyEqual(to:relativeTolerance:)`.
public func isClose(_ a: Double, _ b: Double, rel: Double = 1e-9, abs absTol: Double = 0) -> Bool {
    if a == b { return true }
    if a.isNaN || b.isNaN { return false }
    let scale = max(Swift.abs(a), Swift.abs(b))
    return Swift.abs(a - b) <= max(rel * scale, absTol)
}
