import Foundation
import GraphCore
@testable import GraphExport
import Synchronization
import Testing
import TestSupport

/// Writes an executable shell script standing in for `dot`.
func fakeDot(_ body: String, in folder: URL) throws -> Graphviz {
    let url = folder.appendingPathComponent("fake-dot")
    try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    return Graphviz(executable: url, timeout: 10)
}

func contents(_ folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
}

@Suite struct GraphvizTests {
    @Test func rendersSVGAtomically() async throws {
        let graphviz = try requireGraphviz()
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("baydin.svg")
        try await graphviz.render(DotWriter.dot(tape: try baydinTape(), name: "baydin", state: .reverse),
                                  format: .svg, to: file)
        let svg = try String(contentsOf: file, encoding: .utf8)
        expectContains(svg, "<svg")
        expectContains(svg, "</svg>")
        expectContains(svg, "v̄₋₁ = 5.5")
        expectEqual(contents(folder), ["baydin.svg"], "no temporary file is left behind")
    }

    @Test func invalidDOTIsReportedWithDotsMessageAndLeavesNothing() async throws {
        let graphviz = try requireGraphviz()
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("broken.svg")
        try "old picture".write(to: file, atomically: true, encoding: .utf8)
        await #expect {
            try await graphviz.render("digraph { a -> }", format: .svg, to: file)
        } throws: { error in
            guard case let .renderFailed(path, status, stderr) = error as? ExportError else { return false }
            return path == file.path && status != 0 && stderr.contains("syntax error")
        }
        try expectEqual(String(contentsOf: file, encoding: .utf8), "old picture", "a failed render keeps the old file")
        expectEqual(contents(folder), ["broken.svg"])
    }

    @Test func aRenderPastTheTimeLimitIsStopped() async throws {
        let folder = try temporaryFolder()
        var graphviz = try fakeDot("exec sleep 300", in: folder)
        graphviz.timeout = 0.5
        let start = Date()
        let file = folder.appendingPathComponent("slow.png")
        await #expect(throws: ExportError.timedOut(file: file.path, seconds: 0.5)) {
            try await graphviz.render("digraph {}", format: .png, to: file)
        }
        // A hang guard, not a speed check: a 300 s sleep must be cut short (the bound leaves
        // room for a test pool kept busy by other tests before this task resumes).
        expectTrue(Date().timeIntervalSince(start) < 200)
        expectTrue(!FileManager.default.fileExists(atPath: file.path))
        expectEqual(ExportError.timedOut(file: "a.png", seconds: 0.5).description, "a.png: dot did not finish within 0.5 s and was stopped")
    }

    @Test func missingGraphvizSaysHowToInstallIt() throws {
        #expect(throws: ExportError.graphvizMissing) { try Graphviz.locate(path: "/nonexistent:/also/not") }
        let message = ExportError.graphvizMissing.description
        expectContains(message, "Graphviz is not installed")
        expectContains(message, "apt-get install graphviz")
        expectContains(message, "--format dot")
    }

    @Test func aBogusDotPathIsReported() async throws {
        let folder = try temporaryFolder()
        let graphviz = Graphviz(executable: URL(fileURLWithPath: "/nonexistent/dot"))
        let file = folder.appendingPathComponent("x.svg")
        await #expect {
            try await graphviz.render("digraph {}", format: .svg, to: file)
        } throws: { error in
            guard case let .io(path, message) = error as? ExportError else { return false }
            return path == file.path && message.hasPrefix("cannot run /nonexistent/dot")
        }
    }
}

@Suite struct BatchExportTests {
    @Test func exportsEveryFormatOfOneGraph() async throws {
        _ = try requireGraphviz()
        let folder = try temporaryFolder()
        let tape = try baydinTape()
        let jobs = ImageFormat.allCases.map { format in
            ExportJob(name: "baydin-\(format.rawValue)", tape: tape, format: format, outDir: folder)
        }
        let summary = await BatchExport().run(jobs)
        expectTrue(summary.succeeded, "\(summary)")
        expectEqual(contents(folder), [".gradstep-export", ".gradstep-export.lock", "baydin-dot.dot", "baydin-gif.gif", "baydin-pdf.pdf", "baydin-png.png",
                                     "baydin-svg.svg"])
        let png = try Data(contentsOf: folder.appendingPathComponent("baydin-png.png"))
        expectTrue(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let pdf = try Data(contentsOf: folder.appendingPathComponent("baydin-pdf.pdf"))
        expectTrue(pdf.starts(with: Array("%PDF".utf8)))
        let gif = try Data(contentsOf: folder.appendingPathComponent("baydin-gif.gif"))
        expectTrue(gif.starts(with: Array("GIF89a".utf8)))
        expectEqual(summary.description, "Wrote 5 files.\n")
    }

    @Test func framesWriteOnePicturePerStepAndAnIndex() async throws {
        _ = try requireGraphviz()
        let folder = try temporaryFolder()
        let progress = Mutex<[Int]>([])
        let job = ExportJob(name: "baydin", tape: try baydinTape(), state: .reverse, format: .svg,
                            frames: true, outDir: folder)
        let summary = await BatchExport(maxConcurrent: 2).run([job]) { p in
            progress.withLock { $0.append(p.done) }
            expectEqual(p.total, 15)
        }
        expectTrue(summary.succeeded, "\(summary)")
        let frames = folder.appendingPathComponent("baydin-frames")
        // The reverse sweep has a frame for each input's own step too (x2, then x1).
        let expected = (0...5).map { "baydin-primal-0\($0).svg" } + (0...7).map { "baydin-reverse-0\($0).svg" }
        expectEqual(contents(frames), [".gradstep-export", ".gradstep-export.lock"] + expected + ["index.html"])
        expectEqual(summary.written.count, 15)
        expectEqual(progress.withLock { $0 }, Array(1...15))
        let page = try String(contentsOf: frames.appendingPathComponent("index.html"), encoding: .utf8)
        expectContains(page, "\"file\": \"baydin-reverse-03.svg\"")
        expectContains(page, "v̄₃ = v̄₅·∂v₅/∂v₃ = −v̄₅ = 1·(−1) = −1")
        expectContains(page, "v̄₋₁ (x1) = v̄₂·∂v₂/∂v₋₁ + v̄₁·∂v₁/∂v₋₁ = v̄₂·v₀ + v̄₁·(1/v₋₁) = 1·5 + 1·0.5 = 5.5")
        expectContains(page, "ArrowRight")
        expectNotContains(page, "http", "the page needs no network")
        let svg = try String(contentsOf: frames.appendingPathComponent("baydin-reverse-02.svg"), encoding: .utf8)
        expectContains(svg, "step 2 of 7")
    }

    @Test func framesAreNumberedToTheWidthOfTheCount() async throws {
        // 12 computed nodes: steps 00 … 12.
        var b = TapeBuilder()
        var x = b.leaf(.input, .scalar, [0.5], name: "x")
        for _ in 0..<12 { x = try b.apply(.sin, [x]) }
        let tape = b.finish(output: x).tape
        let folder = try temporaryFolder()
        let summary = await BatchExport().run([ExportJob(name: "chain", tape: tape, state: .forward, format: .dot,
                                                         frames: true, outDir: folder)])
        expectTrue(summary.succeeded, "\(summary)")
        let names = contents(folder.appendingPathComponent("chain-frames"))
        expectEqual(names.first { $0.hasSuffix(".dot") }, "chain-forward-00.dot")
        expectContains(names, "chain-forward-12.dot")
        expectEqual(names.count, 13 + 3, "13 frames, index.html, the manifest and its lock file")
    }

    @Test func aFailingRenderIsReportedPerFileAndTheBatchGoesOn() async throws {
        let real = try requireGraphviz()
        let folder = try temporaryFolder()
        let fake = try fakeDot("""
            input=$(cat)
            case "$input" in *BROKEN*) echo "Error: syntax error in line 1 near 'BROKEN'" >&2; exit 1;; esac
            printf '%s\n' "$input" | exec \(real.executable.path) "$@"
            """, in: folder)
        let out = folder.appendingPathComponent("out")
        let tape = try baydinTape()
        let jobs = [
            ExportJob(name: "first", tape: tape, outDir: out),
            ExportJob(name: "BROKEN", tape: tape, outDir: out),
            ExportJob(name: "last", tape: tape, format: .png, outDir: out),
        ]
        let summary = await BatchExport(graphviz: fake).run(jobs)
        expectTrue(!summary.succeeded)
        expectEqual(summary.written.map(\.lastPathComponent), ["first.svg", "last.png"])
        expectEqual(summary.failures.count, 1)
        let failure = try #require(summary.failures.first)
        expectEqual(failure.job, "BROKEN")
        expectEqual(failure.file?.lastPathComponent, "BROKEN.svg")
        expectHasSuffix(failure.error.description, "BROKEN.svg: dot failed (exit status 1): Error: syntax error in line 1 near 'BROKEN'")
        expectHasPrefix(summary.description, "Wrote 2 files; 1 failed:\n  BROKEN: ")
        expectEqual(contents(out), [".gradstep-export", ".gradstep-export.lock", "first.svg", "last.png"])
    }

    @Test func withoutGraphvizPicturesFailWithTheHintAndDOTStillWorks() async throws {
        let folder = try temporaryFolder()
        let tape = try baydinTape()
        let jobs = [
            ExportJob(name: "picture", tape: tape, format: .svg, outDir: folder),
            ExportJob(name: "text", tape: tape, format: .dot, outDir: folder),
        ]
        let summary = await BatchExport(searchPath: "/nonexistent").run(jobs)
        expectEqual(summary.written.map(\.lastPathComponent), ["text.dot"])
        expectEqual(summary.failures.map(\.job), ["picture"])
        expectEqual(summary.failures.first?.error, .graphvizMissing)
        expectContains(summary.description, "apt-get install graphviz")
    }

    @Test func refusesToOverwriteAFileItDidNotWriteUnlessForced() async throws {
        let folder = try temporaryFolder()
        let tape = try baydinTape()
        let file = folder.appendingPathComponent("baydin.dot")
        try "someone's notes".write(to: file, atomically: true, encoding: .utf8)
        let job = ExportJob(name: "baydin", tape: tape, format: .dot, outDir: folder)

        let refused = await BatchExport().run([job])
        expectEqual(refused.failures.map(\.error), [.wouldOverwrite(file: file.path)])
        expectEqual(refused.failures.first?.error.description, "\(file.path) exists and was not written by gradstep; use --force to overwrite it")
        try expectEqual(String(contentsOf: file, encoding: .utf8), "someone's notes")

        var forced = job
        forced.force = true
        await expectTrue(BatchExport().run([forced]).succeeded)
        try expectHasPrefix(String(contentsOf: file, encoding: .utf8), "// gradstep: baydin")

        // Now gradstep wrote it (the folder's manifest says so): no force needed.
        var again = job
        again.state = .primal
        await expectTrue(BatchExport().run([again]).succeeded)
        try expectHasPrefix(String(contentsOf: file, encoding: .utf8), "// gradstep: baydin, primal")
        let manifest = try String(contentsOf: folder.appendingPathComponent(".gradstep-export"), encoding: .utf8)
        expectHasSuffix(manifest, "\nbaydin.dot\n")
    }

    @Test func twoJobsWritingOneFileAreReported() async throws {
        let folder = try temporaryFolder()
        let tape = try baydinTape()
        let jobs = [ExportJob(name: "same", tape: tape, format: .dot, outDir: folder),
                    ExportJob(name: "same", tape: tape, state: .primal, format: .dot, outDir: folder)]
        let summary = await BatchExport().run(jobs)
        expectEqual(summary.written.count, 1)
        expectEqual(summary.failures.map(\.error), [.duplicateOutput(file: folder.appendingPathComponent("same.dot").path)])
    }

    @Test func atMostMaxConcurrentRendersRunAtOnce() async throws {
        let folder = try temporaryFolder()
        // Each render takes 0.3 s; one at a time, four take at least 1.2 s.
        let fake = try fakeDot("sleep 0.3; cat >/dev/null; echo '<svg/>' > \"$3\"", in: folder)
        let jobs = (1...4).map { ExportJob(name: "g\($0)", tape: try! baydinTape(), outDir: folder) }
        let start = Date()
        let summary = await BatchExport(graphviz: fake, maxConcurrent: 1).run(jobs)
        expectTrue(summary.succeeded, "\(summary)")
        expectTrue(Date().timeIntervalSince(start) >= 1.2)
    }

    /// Planning a graph runs `dot` for its layout: with one slot, that run must not overlap
    /// another graph's render either. The fake `dot` notes whenever it starts while another
    /// copy is still running.
    @Test func layoutRunsTakeASlotLikeRenders() async throws {
        let folder = try temporaryFolder()
        let busy = folder.appendingPathComponent("busy").path, overlaps = folder.appendingPathComponent("overlaps").path
        let fake = try fakeDot("""
            mkdir '\(busy)' 2>/dev/null || echo overlap >> '\(overlaps)'
            sleep 0.2; cat >/dev/null; echo '<svg/>' > "$3"; rmdir '\(busy)' 2>/dev/null; exit 0
            """, in: folder)
        let jobs = (1...3).map { ExportJob(name: "g\($0)", tape: try! baydinTape(), format: .svg, outDir: folder) }
        let summary = await BatchExport(graphviz: fake, maxConcurrent: 1).run(jobs)
        expectEqual(summary.written.count, 3, "\(summary)")
        expectTrue(!FileManager.default.fileExists(atPath: overlaps))
        // With two slots the same fake does overlap, so the check above can see an overlap.
        let twoSlots = await BatchExport(graphviz: fake, maxConcurrent: 2).run(jobs.map { var j = $0; j.force = true; return j })
        expectEqual(twoSlots.written.count, 3, "\(twoSlots)")
        expectTrue(FileManager.default.fileExists(atPath: overlaps))
    }

    @Test func graphNamesBecomeSafeFileNames() {
        expectEqual(BatchExport.fileName("../etc/passwd"), "_._etc_passwd")
        expectEqual(BatchExport.fileName(".hidden"), "_hidden")
        expectEqual(BatchExport.fileName("a\nb:c\\d"), "a_b_c_d")
        expectEqual(BatchExport.fileName(""), "graph")
        expectEqual(BatchExport.fileName("ünï ∂"), "ünï ∂")
    }
}
