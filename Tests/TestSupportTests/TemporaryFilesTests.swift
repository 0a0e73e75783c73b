import Foundation
import Testing
@testable import TestSupport

/// The tests' temporary folders are removed when done (also when the test fails), and the
/// Python they start is the interpreter itself, not pyenv's shim.
@Suite("Temporary folders and the Python interpreter")
struct TemporaryFilesTests {
    struct Failure: Error {}

    @Test func aFolderHandedToABodyIsRemovedAfterIt() async throws {
        let seen = try await withTemporaryFolder("support-test") { folder in
            try Data("x".utf8).write(to: folder.appendingPathComponent("file"))
            #expect(FileManager.default.fileExists(atPath: folder.path))
            return folder
        }
        #expect(!FileManager.default.fileExists(atPath: seen.path))
    }

    @Test func aFolderIsRemovedWhenTheBodyThrows() async throws {
        final class Box: @unchecked Sendable { var folder: URL? }
        let box = Box()
        await #expect(throws: Failure.self) {
            try await withTemporaryFolder("support-test") { folder in
                box.folder = folder
                throw Failure()
            }
        }
        let folder = try #require(box.folder)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    /// What `atexit` runs: every path still registered is removed, one removed before is
    /// forgotten. A list of its own, so the folders other tests are using are left alone.
    @Test func theLeftOversAreRemovedAndOnlyThey() throws {
        let leftOvers = LeftOvers()
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-support-test-\(UUID().uuidString)")
        let left = kept.appendingPathComponent("left"), gone = kept.appendingPathComponent("gone")
        try FileManager.default.createDirectory(at: left.appendingPathComponent("inside"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: gone, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: kept) }
        leftOvers.add(left.path)
        leftOvers.add(gone.path)
        leftOvers.remove(gone.path)
        leftOvers.removeAll()
        #expect(!FileManager.default.fileExists(atPath: left.path))
        #expect(FileManager.default.fileExists(atPath: gone.path), "a path forgotten is not removed")
        #expect(FileManager.default.fileExists(atPath: kept.path))
    }

    /// The interpreter is a path, and the same one `python3` on PATH runs (through pyenv's
    /// shim where there is one), so it finds the same packages.
    @Test func pythonIsTheInterpreterPython3OnPathRuns() async throws {
        let question = ["-c", "import sys; print(sys.executable)"]
        let direct = try await runProcess(pythonExecutable, question)
        let onPath = try await runProcess("python3", question)
        try #require(onPath.status == 0, "python3 is on PATH: \(onPath.stderr)")
        #expect(pythonExecutable.hasPrefix("/"))
        #expect(direct.stdout == onPath.stdout)
        #expect(direct.stdout == pythonExecutable + "\n")
    }
}
