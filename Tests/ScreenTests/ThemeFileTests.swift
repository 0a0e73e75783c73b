import Foundation
import Screen
import Testing
import TestSupport

/// `--theme PATH` (explorer and export) given what is no theme file: a folder, a device and a
/// FIFO were all "not UTF-8 text" (a FIFO's open may wait for a writer), and an 80 MB file
/// was parsed for minutes. Each is named, before anything is read.
@Suite("Theme files under hostile input")
struct ThemeFileTests {
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func reason(_ path: String) -> String? {
        do {
            _ = try ThemeLoader.load(file: URL(fileURLWithPath: path))
            return nil
        } catch let error as ThemeError {
            guard case .unreadable(_, let reason) = error else { return "\(error)" }
            return reason
        } catch {
            return "\(error)"
        }
    }

    @Test func foldersDevicesAndFIFOsAreNamed() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.theme").path
        expectEqual(mkfifo(fifo, 0o600), 0)
        expectEqual(reason(folder.path), "it is a folder; give a .theme file")
        expectEqual(reason("/dev/zero"), "it is a device, not a theme file")
        expectEqual(reason("/dev/null"), "it is a device, not a theme file")
        expectEqual(reason(fifo), "it is a FIFO (named pipe), not a theme file")
        expectEqual(reason(folder.appendingPathComponent("none.theme").path), "no such file")
    }

    @Test func aFileLargerThanAMegabyteIsRefusedUnread() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.theme")
        try Data(repeating: UInt8(ascii: "#"), count: ThemeLoader.maximumBytes + 1).write(to: big)
        expectEqual(reason(big.path), "it holds 1048577 bytes; a theme file may hold at most 1048576 (1 MB)")
        // One byte less is read (a file of comments: the default theme, no warnings).
        try Data(repeating: UInt8(ascii: "#"), count: ThemeLoader.maximumBytes).write(to: big)
        expectTrue(reason(big.path) == nil)
    }
}
