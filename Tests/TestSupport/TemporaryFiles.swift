import Foundation

/// A fresh empty folder `gradstep-NAME-UUID` under the temporary directory, removed when the
/// test process exits if nothing removed it before.
///
/// For the helpers that hand a folder to many test bodies (`temporaryFolder()`): a body that
/// fails part-way, or a model folder shared by a whole suite, still leaves nothing behind.
/// A test that can scope its folder uses `withTemporaryFolder` or a `defer` instead, which
/// removes it as soon as the test ends.
public func makeTemporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    removeAtExit(folder)
    return folder
}

/// Hands `body` a fresh empty folder (`makeTemporaryFolder`) and removes it when `body`
/// returns or throws.
public func withTemporaryFolder<T>(_ name: String, _ body: (URL) async throws -> T) async throws -> T {
    let folder = try makeTemporaryFolder(name)
    defer { removeNow(folder) }
    return try await body(folder)
}

/// Removes `url` (a file or a folder with everything in it) when the test process exits,
/// unless `removeNow` removed it first.
public func removeAtExit(_ url: URL) {
    LeftOvers.shared.add(url.path)
}

/// Removes `url` now and forgets it for the exit.
public func removeNow(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
    LeftOvers.shared.remove(url.path)
}

/// The paths still to remove at exit. One `atexit` handler, registered with the first path,
/// removes whatever is left: a program the test process started and stopped waiting for (a
/// hang guard that gave up) may still be running when the suite ends.
final class LeftOvers: @unchecked Sendable {
    static let shared = LeftOvers()
    private let lock = NSLock()
    private var paths: Set<String> = []
    private var registered = false

    func add(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.insert(path)
        if !registered {
            registered = true
            atexit { LeftOvers.shared.removeAll() }
        }
    }

    func remove(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.remove(path)
    }

    func removeAll() {
        lock.lock()
        let left = paths
        paths = []
        lock.unlock()
        for path in left { try? FileManager.default.removeItem(atPath: path) }
    }
}
