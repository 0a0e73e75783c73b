import Foundation
import Testing
import TestSupport

/// Every command that writes a file (`codegen --out`, `plot --out`, `optimize --plot`,
/// `export`) goes through one guarded writer: a folder is named as such; a symbolic link, a
/// device, a FIFO and the graph file being read are refused unless `--force` (which writes
/// through a link and into a device); the file is written to a temporary file and renamed,
/// leaving nothing else behind.
@Suite("Output files")
struct OutputFileTests {
    /// A folder with a one-parameter graph `g.grad`, a regular file `target.txt`, a link
    /// `link.out` to it, a FIFO `fifo` and a folder `folder`.
    func scene() throws -> URL {
        let folder = try temporaryFolder()
        try "param w = 1\ny = (w - 3)^2\n".write(to: folder.appendingPathComponent("g.grad"), atomically: true, encoding: .utf8)
        try "keep\n".write(to: folder.appendingPathComponent("target.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.out").path, withDestinationPath: "target.txt")
        expectEqual(mkfifo(folder.appendingPathComponent("fifo").path, 0o600), 0)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder"), withIntermediateDirectories: false)
        return folder
    }

    /// The arguments of each writing command with its output at `out`.
    static let commands = ["codegen", "plot", "plot --data", "optimize"]

    static func arguments(_ command: String, _ out: String) -> [String] {
        switch command {
        case "codegen": ["codegen", "g.grad", "--out", out]
        case "plot": ["plot", "g.grad", "--format", "svg", "--out", out]
        case "plot --data": ["plot", "--data", "target.csv", "--x", "a", "--y", "b", "--format", "svg", "--out", out]
        default: ["optimize", "g.grad", "--steps", "3", "--plot", out]
        }
    }

    func run(_ arguments: [String], in folder: URL) async throws -> CLIResult {
        try "a,b\n1,2\n3,4\n".write(to: folder.appendingPathComponent("target.csv"), atomically: true, encoding: .utf8)
        return try await gradstep(arguments, in: folder)
    }

    @Test(arguments: commands)
    func refusalsWithoutForce(command: String) async throws {
        let arguments = { Self.arguments(command, $0) }
        let folder = try scene()
        defer { try? FileManager.default.removeItem(at: folder) }
        let refusals: [(String, String)] = [
            ("folder", "error: folder: is a folder; give the name of a file to write (such as folder/out)\n"),
            ("link.out", "error: link.out: is a symbolic link; gradstep does not write through links; use --force to write it anyway (through the link)\n"),
            ("fifo", "error: fifo: is a FIFO (named pipe), not a file; use --force to write it anyway (written into directly)\n"),
            ("/dev/null", "error: /dev/null: is a device, not a file; use --force to write it anyway (written into directly)\n"),
        ]
        for (out, message) in refusals {
            let r = try await run(arguments(out), in: folder)
            expectEqual(r.status, 1, "\(command) --out \(out)")
            expectEqual(r.stderr, message, "\(command) --out \(out)")
        }
        // The input itself: the graph file (or the CSV of plot --data).
        let input = command == "plot --data" ? "target.csv" : "g.grad"
        let before = try String(contentsOf: folder.appendingPathComponent(input), encoding: .utf8)
        let r = try await run(arguments(input), in: folder)
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: \(input): is the file this command reads (\(input)); give another file to write; use --force to write it anyway\n")
        try expectEqual(String(contentsOf: folder.appendingPathComponent(input), encoding: .utf8), before)
        try expectEqual(String(contentsOf: folder.appendingPathComponent("target.txt"), encoding: .utf8), "keep\n")
        try expectEqual(FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["fifo", "folder", "g.grad", "link.out", "target.csv", "target.txt"])
    }

    @Test(arguments: commands)
    func forceWritesThroughTheLinkAndIntoADevice(command: String) async throws {
        let arguments = { Self.arguments(command, $0) }
        let folder = try scene()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = try await run(arguments("link.out") + ["--force"], in: folder)
        expectEqual(link.status, 0, "\(link.stderr)")
        // The link is still a link (renaming over it would have replaced /dev/stdout, a link);
        // what it points to holds the output.
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("link.out").path)
        expectEqual(attributes[.type] as? FileAttributeType, .typeSymbolicLink)
        try expectTrue(String(contentsOf: folder.appendingPathComponent("target.txt"), encoding: .utf8) != "keep\n")
        let device = try await run(arguments("/dev/null") + ["--force"], in: folder)
        expectEqual(device.status, 0, "\(device.stderr)")
        // A FIFO nobody reads is an error at once, not a wait.
        let fifo = try await run(arguments("fifo") + ["--force"], in: folder)
        expectEqual(fifo.status, 1)
        expectHasSuffix(fifo.stderr, "fifo: cannot write: no program is reading this FIFO\n")
        let written = try await run(arguments("new.out"), in: folder)
        expectEqual(written.status, 0, "\(written.stderr)")
        // No temporary file is left next to it.
        try expectEqual(FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["fifo", "folder", "g.grad", "link.out", "new.out", "target.csv", "target.txt"])
    }

    @Test func exportFollowsTheSameRules() async throws {
        let folder = try scene()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("pictures")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("g.dot").path, withDestinationPath: "../target.txt")
        let r = try await gradstep(["export", "g.grad", "--format", "dot", "--out", "pictures"], in: folder)
        expectEqual(r.status, 1)
        expectContains((r.stdout + r.stderr), "g.dot: is a symbolic link; gradstep does not write through links")
        let forced = try await gradstep(["export", "g.grad", "--format", "dot", "--out", "pictures", "--force"], in: folder)
        expectEqual(forced.status, 0, "\(forced.stderr)")
        try expectEqual(String(contentsOf: folder.appendingPathComponent("target.txt"), encoding: .utf8), "keep\n")
        // A folder in the file's place is named, even with --force.
        try FileManager.default.removeItem(at: out.appendingPathComponent("g.dot"))
        try FileManager.default.createDirectory(at: out.appendingPathComponent("g.dot"), withIntermediateDirectories: false)
        let blocked = try await gradstep(["export", "g.grad", "--format", "dot", "--out", "pictures", "--force"], in: folder)
        expectEqual(blocked.status, 1)
        expectContains((blocked.stdout + blocked.stderr), "g.dot: is a folder where this file would go; move it away or give another --out")
    }

    /// The CSV table a `data` statement reads is an input too: `codegen g.grad --out
    /// points.csv` replaced the table with the program. The table's name is relative to the
    /// graph file's folder (here a subfolder of the working folder), or to the working folder
    /// for `-e`; `optimize --validation`'s file is guarded the same way.
    @Test func theTablesTheGraphReadsAreNotReplaced() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sub = folder.appendingPathComponent("course")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
        let table = "x,t\n1,2\n3,4\n"
        for name in ["course/points.csv", "held.csv", "here.csv"] {
            try table.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try "data D = \"points.csv\"\nparam w = [0.5, 0.5]\ny = sum((D @ w)^2)\n"
            .write(to: sub.appendingPathComponent("g.grad"), atomically: true, encoding: .utf8)
        let program = "data D = \"here.csv\"; param w = [0.5, 0.5]; y = sum((D @ w)^2)"
        let runs: [(arguments: [String], table: String)] = [
            (["codegen", "course/g.grad", "--out", "course/points.csv"], "course/points.csv"),
            (["plot", "course/g.grad", "--wrt", "w[0]", "--format", "svg", "--out", "course/points.csv"], "course/points.csv"),
            (["optimize", "course/g.grad", "--steps", "2", "--plot", "course/points.csv"], "course/points.csv"),
            (["optimize", "course/g.grad", "--steps", "2", "--validation", "D=held.csv", "--plot", "held.csv"], "held.csv"),
            (["codegen", "-e", program, "--lang", "c", "--out", "here.csv"], "here.csv"),
        ]
        for (arguments, name) in runs {
            let r = try await gradstep(arguments, in: folder)
            expectEqual(r.status, 1, "\(arguments): \(r.stderr)")
            expectEqual(r.stderr, "error: \(name): is the file this command reads (\(name)); give another file to write; use --force to write it anyway\n", "\(arguments)")
            try expectEqual(String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), table, "\(arguments)")
        }
        // Another file in the same folder is written.
        let written = try await gradstep(["codegen", "course/g.grad", "--out", "course/g.py"], in: folder)
        expectEqual(written.status, 0, "\(written.stderr)")
    }

    /// `export --out` names a folder: a file or a device there (or above it) is named as such,
    /// not as the system's "A file with the same name already exists".
    @Test func exportOutThatIsAFileIsNamed() async throws {
        let folder = try scene()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try await gradstep(["export", "g.grad", "--format", "dot", "--out", "target.txt/pictures"], in: folder)
        expectEqual(file.status, 1)
        expectContains((file.stdout + file.stderr), "cannot create the folder: \(folder.path)/target.txt is a file, not a folder", "\(file.stdout)\(file.stderr)")
        let device = try await gradstep(["export", "g.grad", "--format", "dot", "--out", "/dev/null"], in: folder)
        expectEqual(device.status, 1)
        expectContains((device.stdout + device.stderr), "cannot create the folder: /dev/null is a device, not a folder")
        try expectEqual(String(contentsOf: folder.appendingPathComponent("target.txt"), encoding: .utf8), "keep\n")
    }

    /// `--out /dev/stdout --force`: /dev/stdout is a link to /proc/self/fd/1; the output goes
    /// through it to standard output, and the link stays.
    @Test func devStdoutWithForceIsStandardOutput() async throws {
        let folder = try scene()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try await gradstep(["codegen", "g.grad", "--lang", "c", "--out", "/dev/stdout", "--force"], in: folder)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectHasPrefix(r.stdout, "/* The forward pass and the reverse sweep of g.grad")
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/stdout")
        expectEqual(attributes[.type] as? FileAttributeType, .typeSymbolicLink)
    }
}
