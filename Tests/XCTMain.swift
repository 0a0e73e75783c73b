// The test executable's entry point. Every test is a Swift Testing test; with this file in
// Tests/, SwiftPM uses it instead of generating one, and so skips its XCTest discovery, which
// reads the index store: `make test` then builds without the index store (Makefile, TEST_FLAGS),
// one compile's bookkeeping less for every module.
//
// A plain `swift test` runs only XCTest's pass, which SwiftPM starts without
// `--testing-library swift-testing`; it would find no test and pass. This entry point fails it
// instead, saying how to run the tests, so that no run can pass without running them.
import Foundation
import Testing

@main struct TestMain {
    static func main() async {
        let arguments = CommandLine.arguments
        if let i = arguments.firstIndex(of: "--testing-library"), i + 1 < arguments.count, arguments[i + 1] == "swift-testing" {
            await Testing.__swiftPMEntryPoint() as Never
        }
        // SwiftPM asks for the list of XCTest tests first when it filters: there are none.
        if arguments.contains("--dump-tests-json") {
            print(#"{"name":"All tests","tests":[]}"#)
            return
        }
        FileHandle.standardError.write(Data("""
            gradstep's tests are Swift Testing tests, and this run was XCTest's: run them with
              make test
            or, for a few: swift test --disable-xctest --enable-swift-testing --filter NAME
            (docs/contributing.md)

            """.utf8))
        exit(1)
    }
}
