import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The overwrite guard of an output folder: `.gradstep-export` lists the files gradstep wrote
/// there, and gradstep replaces an existing file only when it is listed (or with `force`).
///
/// Writing one file into a folder through the guard, as `gradstep export` does for each of
/// its files (the explorer's `:export` calls this too):
///
/// ```swift
/// let written = try await ExportManifest.write(dot, format: .svg, to: URL(fileURLWithPath: "out/baydin.svg"))
/// print("wrote \(written.path)")        // the absolute path
/// ```
///
/// How a file is written, so that nothing is lost or left behind:
/// 1. the content goes to a hidden temporary file next to it (`.baydin.svg.gradstep-UUID.tmp`);
/// 2. under an exclusive `flock` on `.gradstep-export.lock`, the manifest is read again, the
///    overwrite rule checked again, the file's name added and the manifest rewritten (itself
///    atomically), and only then the temporary file renamed into place. Concurrent exports
///    into one folder (other processes included) therefore never lose an entry, and a
///    `kill -9` at any moment never leaves a picture the manifest does not list. Entries whose
///    file no longer exists are dropped at each update.
/// 3. While a process writes into a folder it holds a shared `flock` on the folder itself. A
///    process that finds nobody else holding it removes the temporary files earlier runs left
///    there (killed before they could clean up); temporary files of a live export are never
///    touched.
public enum ExportManifest {
    /// Name of the manifest file in each output folder.
    public static let fileName = ".gradstep-export"
    /// Name of the lock file that serialises updates of the manifest.
    public static let lockName = ".gradstep-export.lock"

    /// Writes `dot` to `file` through the folder's guard: DOT text as is for `.dot`, else a
    /// picture rendered by `graphviz` (found on PATH when nil). The folder is created if
    /// needed. Returns the absolute path written.
    ///
    /// Throws `ExportError.wouldOverwrite` when `file` exists, is not in the folder's manifest
    /// and `force` is false; `.graphvizMissing`, `.renderFailed`, `.timedOut` or `.io` otherwise.
    @discardableResult
    public static func write(_ dot: String, format: ImageFormat, to file: URL, force: Bool = false,
                             graphviz: Graphviz? = nil) async throws(ExportError) -> URL {
        let file = file.standardizedFileURL
        var renderer: Graphviz?
        if format.needsGraphviz {
            if let graphviz { renderer = graphviz } else { renderer = try Graphviz.locate() }
        }
        try BatchExport.makeFolder(file.deletingLastPathComponent())
        let folder = try ExportFolder(file.deletingLastPathComponent())
        defer { folder.close() }
        try folder.check(file, force: force)
        let temporary: URL
        if let renderer {
            temporary = try await renderer.renderToTemporary(dot, format: format, for: file)
        } else {
            temporary = try AtomicFile.writeTemporary(Data(dot.utf8), for: file)
        }
        try folder.commit(temporary, to: file, force: force)
        return file
    }

    /// Writes `data` to `file` through the folder's guard (see `write(_:format:to:force:graphviz:)`).
    @discardableResult
    public static func write(_ data: Data, to file: URL, force: Bool = false) throws(ExportError) -> URL {
        let file = file.standardizedFileURL
        try BatchExport.makeFolder(file.deletingLastPathComponent())
        let folder = try ExportFolder(file.deletingLastPathComponent())
        defer { folder.close() }
        try folder.check(file, force: force)
        try folder.commit(try AtomicFile.writeTemporary(data, for: file), to: file, force: force)
        return file
    }

    /// The names listed in `folder`'s manifest (empty when there is none).
    public static func names(in folder: URL) throws(ExportError) -> Set<String> {
        try ExportFolder.readNames(folder)
    }
}

/// One output folder while gradstep writes into it: the shared "in use" lock on the folder,
/// the lock file, and the manifest behind them (see `ExportManifest`). Used by one task at a
/// time (a batch's `Ledger`, or one `ExportManifest.write`).
final class ExportFolder: @unchecked Sendable {
    let url: URL
    private var inUse: Int32 = -1
    private var lock: Int32 = -1

    /// Opens `url` (which must exist) for writing: checks the manifest and lock file are
    /// ordinary files, joins the folder's users, and sweeps stale temporary files when no other
    /// export is using it.
    init(_ url: URL) throws(ExportError) {
        self.url = url
        try Self.checkManifest(url)
        let lockFile = url.appendingPathComponent(ExportManifest.lockName)
        lock = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if lock < 0 && errno == EACCES {
            // Another user's lock file: locking needs no write access to it.
            lock = open(lockFile.path, O_RDONLY | O_CLOEXEC)
        }
        guard lock >= 0 else {
            throw .io(file: lockFile.path, message: "cannot open gradstep's lock file: \(String(cString: strerror(errno)))"
                      + "; nothing was written")
        }
        inUse = open(url.path, O_RDONLY | O_CLOEXEC)
        guard inUse >= 0 else {
            let message = String(cString: strerror(errno))
            close()
            throw .io(file: url.path, message: "cannot open the folder: \(message)")
        }
        if flock(inUse, LOCK_EX | LOCK_NB) == 0 {
            AtomicFile.removeStaleTemporaries(in: url)
        }
        Self.flockWaiting(inUse, LOCK_SH)
    }

    deinit { close() }

    /// Leaves the folder (releases both locks). Idempotent.
    func close() {
        if inUse >= 0 { Foundation.close(inUse); inUse = -1 }
        if lock >= 0 { Foundation.close(lock); lock = -1 }
    }

    /// Throws `wouldOverwrite` when `file` exists and may not be replaced: it is not listed in
    /// the manifest and `force` is false.
    func check(_ file: URL, force: Bool) throws(ExportError) {
        // Folders, links, devices and FIFOs: the rules of every output file (`OutputFile`).
        if let refusal = OutputFile.refusal(file, force: force, inputs: [], special: false) { throw refusal }
        guard !force, exists(file) else { return }
        let names = try locked { () throws(ExportError) in try Self.readNames(url) }
        if !names.contains(file.lastPathComponent) { throw .wouldOverwrite(file: file.path) }
    }

    /// Records `file` in the manifest, then renames `temporary` over it, both under the lock;
    /// on any failure `temporary` is removed and the manifest left as it was.
    func commit(_ temporary: URL, to file: URL, force: Bool) throws(ExportError) {
        defer { AtomicFile.discard(temporary) }
        try locked { () throws(ExportError) in
            var names = try Self.readNames(url)
            let name = file.lastPathComponent
            if !force && exists(file) && !names.contains(name) { throw .wouldOverwrite(file: file.path) }
            let before = names
            names = names.filter { exists(url.appendingPathComponent($0)) }
            names.insert(name)
            if names != before { try writeNames(names) }
            do throws(ExportError) {
                try AtomicFile.commit(temporary, to: file)
            } catch {
                if !before.contains(name) { try? writeNames(names.subtracting([name])) }
                throw error
            }
        }
    }

    // MARK: - The manifest

    /// `.gradstep-export` must be a regular file or absent: a folder (or a FIFO, which would
    /// block the read) in its place is reported before anything is written.
    static func checkManifest(_ folder: URL) throws(ExportError) {
        let manifest = folder.appendingPathComponent(ExportManifest.fileName)
        var info = stat()
        guard stat(manifest.path, &info) == 0 else { return }
        let kind = info.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        throw .io(file: manifest.path, message: "is \(kind == S_IFDIR ? "a folder" : "not a regular file"), "
                  + "where gradstep keeps its list of the files it wrote; move it away and export again "
                  + "(nothing was written)")
    }

    static func readNames(_ folder: URL) throws(ExportError) -> Set<String> {
        try checkManifest(folder)
        let manifest = folder.appendingPathComponent(ExportManifest.fileName)
        guard let data = FileManager.default.contents(atPath: manifest.path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
    }

    private func writeNames(_ names: Set<String>) throws(ExportError) {
        let text = "# Files written by gradstep export; it overwrites only these without --force.\n"
            + names.sorted().joined(separator: "\n") + (names.isEmpty ? "" : "\n")
        try AtomicFile.write(Data(text.utf8), to: url.appendingPathComponent(ExportManifest.fileName))
    }

    // MARK: - Locks

    private func locked<T>(_ body: () throws(ExportError) -> T) throws(ExportError) -> T {
        Self.flockWaiting(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        return try body()
    }

    private static func flockWaiting(_ fd: Int32, _ operation: Int32) {
        while flock(fd, operation) != 0 && errno == EINTR {}
    }

    /// True when something (a file, a link, a folder) has that name; a dangling link counts.
    private func exists(_ file: URL) -> Bool {
        var info = stat()
        return lstat(file.path, &info) == 0
    }
}
