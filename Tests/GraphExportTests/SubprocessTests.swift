import Foundation
import GraphExport
import Testing
import TestSupport

/// The runner behind every `dot` gradstep starts (export and the explorer's layouts).
@Suite struct SubprocessTests {
    static let sh = URL(fileURLWithPath: "/bin/sh")

    /// Bytes 0...250 repeated: binary, and larger than a pipe's buffer, so writing standard
    /// input and reading standard output must go on together.
    /// `count` bytes counting 0, 1, … 250 over and over: the 251-byte run appended whole, not
    /// made byte by byte (8 MB of closure calls in an unoptimised test build).
    static func bytes(_ count: Int) -> Data {
        let run = Data((0..<251).map { UInt8($0) })
        var data = Data(capacity: count)
        while data.count + run.count <= count { data.append(run) }
        data.append(run.prefix(count - data.count))
        return data
    }

    @Test func theInputCountsZeroTo250OverAndOver() {
        let data = Self.bytes(1_000)
        expectEqual(data.count, 1_000)
        expectTrue(data.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
        expectEqual(Self.bytes(0), Data())
    }

    @Test func standardInputIsFedAndStandardOutputCaptured() async {
        let input = Self.bytes(1 << 20)
        let run = await Subprocess.run(URL(fileURLWithPath: "/bin/cat"), [], input: input, captureOutput: true, timeout: 30)
        expectEqual(run, .exited(status: 0, output: input, stderr: ""))
    }

    @Test func statusAndStandardErrorAreReported() async {
        let run = await Subprocess.run(Self.sh, ["-c", "echo out; echo oops >&2; exit 3"], timeout: 30)
        expectEqual(run, .exited(status: 3, output: Data(), stderr: "oops\n"), "stdout is discarded unless captured")
        let silent = await Subprocess.run(Self.sh, ["-c", "cat; echo done"], captureOutput: true, timeout: 30)
        expectEqual(silent, .exited(status: 0, output: Data("done\n".utf8), stderr: ""), "no input is an empty stdin")
    }

    @Test func aProgramThatExitsWithoutReadingItsInputIsNoError() async {
        let input = Self.bytes(8 << 20)
        let ignoring = await Subprocess.run(URL(fileURLWithPath: "/bin/true"), [], input: input, timeout: 30)
        expectEqual(ignoring, .exited(status: 0, output: Data(), stderr: ""))
        let partly = await Subprocess.run(Self.sh, ["-c", "head -c 10; exit 4"], input: input, captureOutput: true, timeout: 30)
        expectEqual(partly, .exited(status: 4, output: input.prefix(10), stderr: ""))
    }

    @Test func aProgramPastTheTimeLimitIsStopped() async {
        let start = Date()
        let sleeping = await Subprocess.run(URL(fileURLWithPath: "/bin/sleep"), ["300"], timeout: 0.2)
        expectEqual(sleeping, .timedOut)
        // SIGTERM ignored: SIGKILL follows a second later. A hang guard, not a speed check:
        // uncut, the sleeps take 600 s; the bound leaves room for a test pool that other
        // tests keep busy for tens of seconds before this task resumes.
        let stubborn = await Subprocess.run(Self.sh, ["-c", "trap '' TERM; exec sleep 300"],
                                            input: Self.bytes(1 << 20), timeout: 0.2)
        expectEqual(stubborn, .timedOut)
        expectTrue(Date().timeIntervalSince(start) < 200)
    }

    @Test func aMissingProgramFailsToStart() async {
        let run = await Subprocess.run(URL(fileURLWithPath: "/nonexistent/dot"), [], timeout: 5)
        expectEqual(run, .failedToStart("No such file or directory"))
    }

    @Test func runsOverlapBeyondTheWidthOfTheTaskPool() async throws {
        // Eight programs that each wait (up to 20 s) until all eight have started: they can
        // only succeed together, which needs more waiting threads than the task pool has.
        let folder = try temporaryFolder()
        let script = """
            touch "$0/$$"; i=0
            while [ "$(ls "$0" | wc -l)" -lt 8 ]; do sleep 0.05; i=$((i+1)); [ $i -lt 400 ] || exit 1; done
            """
        let outcomes = await withTaskGroup(of: Subprocess.Outcome.self) { group in
            for _ in 0..<8 { group.addTask { await Subprocess.run(Self.sh, ["-c", script, folder.path], timeout: 60) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        expectEqual(outcomes, Array(repeating: .exited(status: 0, output: Data(), stderr: ""), count: 8))
    }
}

/// True once `pid` has ended (gone, or a zombie nobody reaped): polls for up to five seconds,
/// since a signal is delivered after `kill` returns.
func hasEnded(_ pid: pid_t) -> Bool {
    for _ in 0..<100 {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        if let close = stat.lastIndex(of: ")"), stat[close...].dropFirst(2).first == "Z" { return true }
        usleep(50_000)
    }
    return false
}

@Suite struct ProcessGroupTests {
    @Test func aTimeOutEndsWhatTheProgramStartedToo() async throws {
        let folder = try temporaryFolder()
        let pidFile = folder.appendingPathComponent("grandchild").path
        // A program that starts a grandchild holding its standard error open, then waits.
        let script = "sleep 30 & echo $! > \"$0\"; sleep 30"
        let run = await Subprocess.run(SubprocessTests.sh, ["-c", script, pidFile], timeout: 0.5)
        expectEqual(run, .timedOut)
        let grandchild = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        expectTrue(hasEnded(grandchild), "the grandchild \(grandchild) is still running")
    }

    @Test func aProgramThatEndsLeavesNothingRunning() async throws {
        let folder = try temporaryFolder()
        let pidFile = folder.appendingPathComponent("grandchild").path
        let run = await Subprocess.run(SubprocessTests.sh, ["-c", "sleep 30 & echo $! > \"$0\"; exit 3", pidFile], timeout: 30)
        expectEqual(run, .exited(status: 3, output: Data(), stderr: ""))
        let grandchild = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        expectTrue(hasEnded(grandchild))
    }
}
