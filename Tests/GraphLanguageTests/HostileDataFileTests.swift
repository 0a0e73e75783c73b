import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// `data NAME = "file"` given what is not a CSV file (issue 20): no content of a file that is
/// not a valid CSV header is quoted (an autograder passes stderr on), devices, folders and
/// FIFOs are named as such, and a huge table is refused while it is read.
@Suite("data files under hostile input")
struct HostileDataFileTests {
    /// Loads `data D = "path"` from a graph file in `folder`; the rendered failure, or nil.
    func failure(_ path: String, in folder: URL) throws -> String? {
        let graph = folder.appendingPathComponent("main.grad").path
        try "data D = \"\(path)\"\ny = sum(D)\n".write(toFile: graph, atomically: true, encoding: .utf8)
        guard case .failure(let f) = GraphLoader.load(path: graph) else { return nil }
        return f.rendered()
    }

    func folder(_ files: [String: String] = [:]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-hostile-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    @Test func aPrivateKeyIsNotQuoted() throws {
        let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n"
        let folder = try folder(["id_ed25519": key])
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try #require(try failure("id_ed25519", in: folder))
        expectContains(text, "error: id_ed25519:1: the first line must name the columns, but it is not a column name")
        expectTrue(!text.contains("BEGIN") && !text.contains("b3Bl") && !text.contains("PRIVATE"), "\(text)")
    }

    @Test func procSelfMapsIsNotQuoted() throws {
        let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try #require(try failure("/proc/self/maps", in: folder))
        expectContains(text, "/proc/self/maps:1: the first line must name the columns, but it is not a column name")
        let firstField = try #require(maps.split(separator: " ").first)
        expectNotContains(text, firstField, "\(text)")
    }

    /// A valid header, then a row that is not numbers: the row is described, not quoted.
    @Test func aRowThatIsNotNumbersIsDescribed() throws {
        let folder = try folder(["d.csv": "password\nhunter2secret\n", "e.csv": "a,b\n1,\n", "n.csv": "a\nnan\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try #require(try failure("d.csv", in: folder))
        expectContains(text, "d.csv:2: the value in column 'password' (column 1) is not a number")
        expectNotContains(text, "hunter2")
        try expectContains(#require(try failure("e.csv", in: folder)), "e.csv:2: the value in column 'b' (column 2) is empty")
        try expectContains(#require(try failure("n.csv", in: folder)), "n.csv:2: the value in column 'a' (column 1) is not finite (NaN or infinity)")
    }

    @Test func devicesFoldersAndFIFOsAreNamed() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: false)
        expectEqual(mkfifo(folder.appendingPathComponent("pipe").path, 0o600), 0)
        try expectContains(#require(try failure("/dev/zero", in: folder)), "error: data file '/dev/zero' is a device, not a CSV file")
        try expectContains(#require(try failure("/dev/null", in: folder)), "error: data file '/dev/null' is a device, not a CSV file")
        try expectContains(#require(try failure("sub", in: folder)), "error: data file 'sub' is a folder, not a CSV file")
        // Never opened: opening a FIFO would wait for a writer.
        try expectContains(#require(try failure("pipe", in: folder)), "error: data file 'pipe' is a FIFO (named pipe), not a CSV file")
    }

    /// 66 MB of rows (10 million numbers): refused at the element limit after about a
    /// million numbers, in seconds and a few MB, instead of 102 s and 2 GB.
    @Test func aHugeTableIsRefusedWhileItIsRead() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.csv")
        FileManager.default.createFile(atPath: file.path, contents: Data("a,b,c\n".utf8))
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        let block = Data(String(repeating: "0.123456,0.654321,1\n", count: 50_000).utf8)
        for _ in 0..<66 { try handle.write(contentsOf: block) }
        try handle.close()
        try expectTrue(FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0 > 66_000_000)
        let start = Date()
        let text = try #require(try failure("big.csv", in: folder))
        expectTrue(Date().timeIntervalSince(start) < 90, "a hang guard: the whole file took 102 s and 2 GB")
        expectContains(text, "error: data file 'big.csv' has more than 1,000,000 numbers, the most one tensor may hold (stopped at line 333,335)")
    }

    /// A spreadsheet's quoted header (issue 24): `"x"` names the column x.
    @Test func aQuotedHeaderGivesThePlainNames() throws {
        let folder = try folder(["q.csv": "\"x\", \"y 2\"\n\"1\",2\n3,4\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let graph = folder.appendingPathComponent("main.grad").path
        try "data D = \"q.csv\"\ny = sum(D)\n".write(toFile: graph, atomically: true, encoding: .utf8)
        let g = try GraphLoader.load(path: graph).get()
        expectEqual(g.dataSets.first?.columns, ["x", "y 2"])
        expectEqual(g.dataSets.first?.values, [1, 2, 3, 4])
    }

    /// A spreadsheet's "CSV UTF-8" starts with a byte order mark, which made the first column
    /// "not a column name"; it is skipped on the first line only.
    @Test func aByteOrderMarkIsSkipped() throws {
        let folder = try folder(["bom.csv": "\u{FEFF}x,y\n1,2\n", "late.csv": "x,y\n\u{FEFF}1,2\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let graph = folder.appendingPathComponent("main.grad").path
        try "data D = \"bom.csv\"\ny = sum(D)\n".write(toFile: graph, atomically: true, encoding: .utf8)
        let g = try GraphLoader.load(path: graph).get()
        expectEqual(g.dataSets.first?.columns, ["x", "y"])
        expectEqual(g.dataSets.first?.values, [1, 2])
        // Past the first line it is what it is: not a number.
        let late = try #require(try failure("late.csv", in: folder))
        expectContains(late, "late.csv:2: the value in column 'x' (column 1) is not a number", "\(late)")
    }
}
