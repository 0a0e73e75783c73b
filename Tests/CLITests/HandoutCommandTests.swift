import Foundation
import Testing
import TestSupport

@Suite struct HandoutExportCommandTests {
    /// `export --jobs 1` and `--jobs 2` write the same files, byte for byte.
    @Test func jobsOneAndTwoWriteIdenticalFiles() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-jobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in ["baydin.grad", "rosenbrock.grad", "saddle.grad", "mlp-relu-softmax.grad"] {
            try FileManager.default.copyItem(atPath: graph(name), toPath: input.appendingPathComponent(name).path)
        }
        var listings: [[String: Data]] = []
        for jobs in ["1", "2"] {
            let out = root.appendingPathComponent("out\(jobs)")
            let r = try await gradstep("export", input.path, "--out", out.path, "--jobs", jobs)
            expectEqual(r.status, 0, "\(r.stderr)")
            let framed = try await gradstep("export", input.appendingPathComponent("baydin.grad").path, "--frames", "--out", out.path, "--jobs", jobs)
            expectEqual(framed.status, 0, "\(framed.stderr)")
            var files: [String: Data] = [:]
            let walker = FileManager.default.enumerator(atPath: out.path)!
            while let path = walker.nextObject() as? String {
                let url = out.appendingPathComponent(path)
                var folder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &folder), !folder.boolValue,
                      !path.hasSuffix(".gradstep-export.lock") else { continue }
                var data = try Data(contentsOf: url)
                // The manifest lists the same files in the order they finished.
                if path.hasSuffix(".gradstep-export") {
                    data = Data(String(decoding: data, as: UTF8.self).split(separator: "\n").sorted().joined(separator: "\n").utf8)
                }
                files[path] = data
            }
            listings.append(files)
        }
        // Four pictures and their manifest; baydin's 14 frames, index.html and their manifest.
        let expectedCount = 4 + 1 + 14 + 1 + 1
        expectEqual(listings[0].count, expectedCount, "\(listings[0].keys.sorted())")
        expectEqual(listings[0].keys.sorted(), listings[1].keys.sorted())
        for (path, data) in listings[0] { expectEqual(listings[1][path], data, "\(path)") }
        let zero = try await gradstep("export", input.path, "--jobs", "0")
        expectTrue(zero.status != 0 && zero.stderr.contains("--jobs 0: give at least 1"))
    }

    /// mp4 needs ffmpeg: without it, a clear error naming what to install and nothing written;
    /// with it, a video.
    @Test func mp4NamesFFmpegWhereItIsMissing() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-mp4-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let hasFFmpeg = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/ffmpeg") }
        let r = try await gradstep("export", graph("baydin.grad"), "--frames", "--format", "mp4", "--delay", "1", "--out", out.path)
        if hasFFmpeg {
            expectEqual(r.status, 0, "\(r.stderr)")
            let video = try Data(contentsOf: out.appendingPathComponent("baydin.mp4"))
            expectTrue(video.count > 12 && String(decoding: video[4 ..< 8], as: UTF8.self) == "ftyp")
        } else {
            print("note: ffmpeg is not installed: only the error for a missing ffmpeg was checked")
            expectEqual(r.status, 1)
            expectContains(r.stderr, "error: --format mp4 needs ffmpeg, which is not on PATH")
            expectTrue(r.stderr.contains("apt-get install ffmpeg") && r.stderr.contains("--format gif"))
            expectTrue(!FileManager.default.fileExists(atPath: out.path))
        }
        let noFrames = try await gradstep("export", graph("baydin.grad"), "--format", "beamer")
        expectTrue(noFrames.status != 0 && noFrames.stderr.contains("--format beamer writes the steps of a sweep: add --frames"))
        let badDelay = try await gradstep("export", graph("baydin.grad"), "--frames", "--format", "gif", "--delay", "0")
        expectTrue(badDelay.status != 0 && badDelay.stderr.contains("--delay 0.0: give 0.01 to 655.35 seconds per step"), "\(badDelay.stderr)")
    }
}
