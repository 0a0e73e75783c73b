import Foundation
import GraphCore
@testable import GraphExport
import Testing
import TestSupport

/// The overwrite guard: `.gradstep-export`, its lock, stale temporary files.
@Suite struct ExportManifestTests {
    static let staleName = ".baydin.svg.gradstep-\(UUID().uuidString).tmp"

    @Test func writeGoesThroughTheGuardAndReturnsTheAbsolutePath() async throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("sub/../notes.dot")
        let written = try await ExportManifest.write("digraph {}", format: .dot, to: file)
        expectEqual(written.path, folder.appendingPathComponent("notes.dot").path)
        try expectEqual(ExportManifest.names(in: folder), ["notes.dot"])
        // Listed, so it is replaced without force; a foreign file is not.
        try await ExportManifest.write("digraph { a }", format: .dot, to: written)
        try expectEqual(String(contentsOf: written, encoding: .utf8), "digraph { a }")
        let foreign = folder.appendingPathComponent("mine.txt")
        try "precious".write(to: foreign, atomically: true, encoding: .utf8)
        await #expect(throws: ExportError.wouldOverwrite(file: foreign.path)) {
            try await ExportManifest.write("digraph {}", format: .dot, to: foreign)
        }
        #expect(throws: ExportError.wouldOverwrite(file: foreign.path)) {
            try ExportManifest.write(Data("x".utf8), to: foreign)
        }
        try expectEqual(String(contentsOf: foreign, encoding: .utf8), "precious")
        try ExportManifest.write(Data("x".utf8), to: foreign, force: true)
        try expectEqual(ExportManifest.names(in: folder), ["notes.dot", "mine.txt"])
        expectTrue(contents(folder).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test func entriesOfDeletedFilesAreDropped() throws {
        let folder = try temporaryFolder()
        let a = folder.appendingPathComponent("a.dot"), b = folder.appendingPathComponent("b.dot")
        try ExportManifest.write(Data("a".utf8), to: a)
        try FileManager.default.removeItem(at: a)
        try ExportManifest.write(Data("b".utf8), to: b)
        try expectEqual(ExportManifest.names(in: folder), ["b.dot"])
    }

    @Test func aManifestThatIsAFolderFailsTheJobBeforeAnythingIsWritten() async throws {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".gradstep-export"),
                                                withIntermediateDirectories: false)
        let summary = await BatchExport().run([ExportJob(name: "baydin", tape: try baydinTape(), format: .dot, outDir: folder)])
        expectTrue(summary.written.isEmpty)
        let failure = try #require(summary.failures.first)
        expectEqual(failure.error.description, folder.appendingPathComponent(".gradstep-export").path
                + ": is a folder, where gradstep keeps its list of the files it wrote; move it away and export again (nothing was written)")
        expectEqual(contents(folder), [".gradstep-export"])
        // A frames folder has a manifest of its own.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("f-frames/.gradstep-export"),
                                                withIntermediateDirectories: true)
        let inside = await BatchExport().run([ExportJob(name: "f", tape: try baydinTape(), format: .dot, frames: true, outDir: folder)])
        expectTrue(inside.written.isEmpty && inside.failures.count == 1)
        expectEqual(contents(folder.appendingPathComponent("f-frames")), [".gradstep-export"])
    }

    @Test func staleTemporaryFilesOfGradstepAreSweptAndNothingElse() async throws {
        let folder = try temporaryFolder()
        let keep = [".notes.tmp", ".baydin.svg.gradstep-not-a-uuid.tmp", "x.gradstep-\(UUID().uuidString).tmp"]
        for name in keep + [Self.staleName] {
            try "left".write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        let summary = await BatchExport().run([ExportJob(name: "baydin", tape: try baydinTape(), format: .dot, outDir: folder)])
        expectTrue(summary.succeeded, "\(summary)")
        expectEqual(contents(folder), ([".gradstep-export", ".gradstep-export.lock", "baydin.dot"] + keep).sorted())
    }

    @Test func temporaryFilesOfAnExportStillRunningAreKept() async throws {
        let folder = try temporaryFolder()
        let live = folder.appendingPathComponent(Self.staleName)
        // Another export is using the folder (holds it open), as a second process would.
        let other = try ExportFolder(folder)
        defer { other.close() }
        try "rendering".write(to: live, atomically: false, encoding: .utf8)
        let summary = await BatchExport().run([ExportJob(name: "g", tape: try baydinTape(), format: .dot, outDir: folder)])
        expectTrue(summary.succeeded)
        expectTrue(FileManager.default.fileExists(atPath: live.path))
    }

    @Test func batchesRunningAtOnceIntoOneFolderLoseNoEntry() async throws {
        let folder = try temporaryFolder()
        let tape = try baydinTape()
        // Several batches at once, each with its own ledger, as separate processes would be.
        await withTaskGroup(of: ExportSummary.self) { group in
            for b in 0..<7 {
                group.addTask {
                    await BatchExport().run((0..<5).map { ExportJob(name: "g\(b)-\($0)", tape: tape, format: .dot, outDir: folder) })
                }
            }
            for await summary in group { expectTrue(summary.succeeded, "\(summary)") }
        }
        let expected = Set((0..<7).flatMap { b in (0..<5).map { "g\(b)-\($0).dot" } })
        try expectEqual(ExportManifest.names(in: folder), expected)
    }

    @Test func dotThatWritesJunkIsReportedAsSuch() async throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("x.svg")
        let junk = try fakeDot("cat >/dev/null; echo 'not a picture' > \"$3\"", in: folder)
        await #expect(throws: ExportError.badOutput(file: file.path, program: junk.executable.path,
                                                    problem: "what it wrote is not a SVG picture")) {
            try await ExportManifest.write("digraph {}", format: .svg, to: file, graphviz: junk)
        }
        let silent = try fakeDot("cat >/dev/null; exit 0", in: folder)
        await #expect(throws: ExportError.badOutput(file: file.path, program: silent.executable.path, problem: "it wrote no file")) {
            try await silent.render("digraph {}", format: .png, to: file)
        }
        expectEqual(ExportError.badOutput(file: "x.svg", program: "/bin/dot", problem: "it wrote no file").description, "x.svg: /bin/dot exited successfully but it wrote no file; is it Graphviz's dot?")
        expectEqual(contents(folder), [".gradstep-export.lock", "fake-dot"])
    }
}
