#if !FUZZING
import Foundation

/// Without libFuzzer (a plain `swift build`), `GraphLanguageFuzz FILE...` runs each file through
/// the fuzzer's checks, so a saved crash can be replayed in a debugger or after a fix. Built for
/// fuzzing (`make fuzz` defines FUZZING), libFuzzer supplies `main` instead.
@main
struct Replay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            print("usage: GraphLanguageFuzz FILE...   (runs each file through the graph-language fuzz checks)")
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("cannot read \(path)")
                exit(1)
            }
            data.withUnsafeBytes { raw in
                GraphLanguageChecks.check(raw.bindMemory(to: UInt8.self))
            }
            print("ok \(path)")
        }
    }
}
#endif
