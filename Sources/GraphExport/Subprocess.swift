import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to its end or its time limit: feeds it standard input, collects its
/// standard output and standard error.
///
/// ```swift
/// switch await Subprocess.run(dot, ["-Tplain"], input: Data(source.utf8), captureOutput: true, timeout: 5) {
/// case let .exited(0, output, _): read(output)
/// case let .exited(status, _, stderr): report(status, stderr)
/// case .timedOut: ...                        // SIGTERM, then SIGKILL a second later
/// case let .failedToStart(message): ...
/// }
/// ```
///
/// Each run has a thread of its own that starts the program (`posix_spawn`) and moves the
/// bytes with `poll`: no task of the caller's pool blocks while it waits, and Dispatch's small
/// global pool (two threads on two cores) cannot starve it. A program that exits without
/// reading all of its input is no error: the rest is dropped (no SIGPIPE reaches the caller).
///
/// Each program runs in a process group of its own, and signals go to the whole group: a
/// program that started programs of its own (a `dot` wrapper script, say) leaves none of
/// them running after it ends, times out or is killed.
public enum Subprocess {
    public enum Outcome: Sendable, Equatable {
        /// The program ended by itself with `status` (the signal's number if a signal ended
        /// it); `output` is its standard output when captured, else empty.
        case exited(status: Int32, output: Data, stderr: String)
        /// It ran past the time limit and was stopped.
        case timedOut
        /// It could not be started (no such file, not executable, ...).
        case failedToStart(String)
    }

    /// Runs `executable` with `arguments`. Standard input is `input` (or empty), standard
    /// output is captured when `captureOutput` (or discarded).
    public static func run(_ executable: URL, _ arguments: [String], input: Data? = nil,
                           captureOutput: Bool = false, timeout: Double) async -> Outcome {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: runBlocking(executable, arguments, input: input,
                                                           captureOutput: captureOutput, timeout: timeout))
            }.start()
        }
    }

    /// Kills every program this process started that is still running, with everything in
    /// their process groups (SIGKILL: `dot` does not always stop on SIGTERM in the middle of a
    /// layout).
    public static func killAll() {
        running.withLock { pids in
            for pid in pids {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
        }
    }

    /// Children not yet reaped, so an interrupted export can stop them: a `dot` left behind
    /// would keep a core busy and write its temporary file after the clean-up. A pid leaves the
    /// set in the same critical section that reaps it, so `killAll` never hits a reused pid.
    private static let running = Mutex<Set<pid_t>>([])

    // MARK: - The run's own thread

    static func runBlocking(_ executable: URL, _ arguments: [String], input: Data?,
                            captureOutput: Bool, timeout: Double) -> Outcome {
        // A write to a pipe whose reader has gone raises SIGPIPE in the writing thread; blocked
        // here, the write fails with EPIPE instead and the signal dies with this thread.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)

        let child: Child
        do {
            child = try Child.spawn(executable, arguments, feedsInput: input != nil, capturesOutput: captureOutput)
        } catch {
            return .failedToStart(error.message)
        }
        running.withLock { _ = $0.insert(child.pid) }

        let input = input ?? Data()
        var written = 0
        var stdin = child.stdin, stdout = child.stdout, stderr: Int32? = child.stderr
        var output = Data(), errors = Data()
        if let fd = stdin {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if input.isEmpty { close(fd); stdin = nil }
        }

        let deadline = now() + max(0, timeout)
        var terminatedAt: Double?, killed = false
        var status: Int32?, exitedAt = 0.0
        var nap: useconds_t = 50
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if status == nil, let s = reap(child.pid) {
                status = s
                exitedAt = now()
            }
            if status != nil {
                // Done when the pipes are closed; a child of the program may still hold one
                // open, so do not wait for it long.
                if stdout == nil && stderr == nil || now() > exitedAt + 5 { break }
            } else if let t = terminatedAt {
                if !killed && now() > t + 1 {
                    kill(-child.pid, SIGKILL)
                    killed = true
                }
            } else if now() >= deadline {
                kill(-child.pid, SIGTERM)
                terminatedAt = now()
            }

            var fds: [pollfd] = []
            if let fd = stdin { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            for fd in [stdout, stderr].compactMap({ $0 }) { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if fds.isEmpty {
                // The program closed its pipes; it is exiting. Look again soon.
                usleep(nap)
                nap = min(nap * 2, 10_000)
                continue
            }
            // Wake at least every 50 ms to notice an exit while a pipe stays open, and the deadline.
            let limit = status == nil && terminatedAt == nil ? deadline - now() : 0.05
            let waitMs = Int32(max(0, min(0.05, limit)) * 1000 + 0.999)
            if poll(&fds, nfds_t(fds.count), waitMs) < 0 && errno != EINTR { break }
            for p in fds where p.revents != 0 {
                if p.fd == stdin {
                    let n = input.withUnsafeBytes { bytes in
                        write(p.fd, bytes.baseAddress! + written, min(bytes.count - written, 65536))
                    }
                    if n > 0 { written += n }
                    if written == input.count || n < 0 && errno != EAGAIN && errno != EINTR {
                        close(p.fd)  // all written, or the reader has gone (EPIPE)
                        stdin = nil
                    }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress!, $0.count) }
                if n > 0 {
                    if p.fd == stdout { output.append(contentsOf: buffer[..<n]) } else { errors.append(contentsOf: buffer[..<n]) }
                } else if n == 0 || errno != EAGAIN && errno != EINTR {
                    close(p.fd)
                    if p.fd == stdout { stdout = nil } else { stderr = nil }
                }
            }
        }
        for fd in [stdin, stdout, stderr].compactMap({ $0 }) { close(fd) }
        if terminatedAt != nil { return .timedOut }
        return .exited(status: status ?? -1, output: output, stderr: String(decoding: errors, as: UTF8.self))
    }

    /// The exit status (or the ending signal's number) once `pid` has ended, reaping it; nil
    /// while it runs. Before reaping, whatever is left in its process group is killed: until
    /// it is reaped the ended program keeps its pid, the group's id, from being reused.
    private static func reap(_ pid: pid_t) -> Int32? {
        running.withLock { pids in
            var info = siginfo_t()
            let r = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if r < 0 && errno == EINTR || r == 0 && exitedPid(info) == 0 { return nil }
            if r == 0 { kill(-pid, SIGKILL) }
            var status: Int32 = 0
            var w: pid_t
            repeat { w = waitpid(pid, &status, 0) } while w < 0 && errno == EINTR
            pids.remove(pid)
            if w < 0 { return -1 }  // reaped elsewhere (SIGCHLD ignored): the status is lost
            return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
        }
    }

    /// The pid `waitid` reported, 0 when no child had changed state.
    private static func exitedPid(_ info: siginfo_t) -> pid_t {
        #if canImport(Darwin)
        info.si_pid
        #else
        info._sifields._sigchld.si_pid
        #endif
    }

    private static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}

// MARK: - Spawning

/// A started program and the parent's ends of its pipes.
private struct Child {
    var pid: pid_t
    var stdin: Int32?, stdout: Int32?, stderr: Int32

    struct Failure: Error { var message: String }

    /// Pipes are made and the program started under one lock, so a pipe end never leaks into
    /// a program another thread starts (which would keep a pipe open after its writer ended).
    private static let spawning = Mutex<Void>(())

    static func spawn(_ executable: URL, _ arguments: [String], feedsInput: Bool,
                      capturesOutput: Bool) throws(Failure) -> Child {
        try spawning.withLock { _ throws(Failure) in
            var opened: [Int32] = []
            func pipeEnds() throws(Failure) -> (read: Int32, write: Int32) {
                var fds: [Int32] = [-1, -1]
                guard pipe(&fds) == 0 else { throw Failure(message: String(cString: strerror(errno))) }
                for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
                opened += fds
                return (fds[0], fds[1])
            }
            do throws(Failure) {
                let input = feedsInput ? try pipeEnds() : nil
                let output = capturesOutput ? try pipeEnds() : nil
                let errors = try pipeEnds()
                let pid = try start(executable, arguments, stdin: input?.read, stdout: output?.write, stderr: errors.write)
                for fd in [input?.read, output?.write, errors.write].compactMap({ $0 }) { close(fd) }
                return Child(pid: pid, stdin: input?.write, stdout: output?.read, stderr: errors.read)
            } catch {
                for fd in opened { close(fd) }
                throw error
            }
        }
    }

    /// `posix_spawn` with the given descriptors as 0, 1 and 2 (/dev/null for nil), every other
    /// descriptor closed, default signal handling, no signal blocked, in a new process group.
    private static func start(_ executable: URL, _ arguments: [String],
                              stdin: Int32?, stdout: Int32?, stderr: Int32) throws(Failure) -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, 0) }
        else { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        if let stdout { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        else { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // A process group of its own (pgid = its pid), so a timeout or an interrupt can signal
        // everything it starts.
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        posix_spawnattr_setpgroup(&attributes, 0)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #else
        if let closeFrom = addCloseFrom { _ = closeFrom(&actions, 3) }
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure(message: String(cString: strerror(result))) }
        return pid
    }

    #if !canImport(Darwin)
    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, hidden from Swift behind
    /// _GNU_SOURCE; nil on an older C library (the pipes are close-on-exec anyway).
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: CloseFrom? =
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFrom.self) }
    #endif
}
