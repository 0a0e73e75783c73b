import Testing
import TestSupport

/// TestSupport's plain stand-ins for `#expect`: each failing check records exactly one issue at
/// the caller's line, naming both values; each passing check records none (a test of its own
/// here, which would fail if it did).
@Suite("expectEqual and friends")
struct ExpectTests {
    /// Runs `check`, which must record exactly one issue, and returns that issue's message and line.
    static func failure(_ check: () -> Void) -> (message: String, line: Int?) {
        // The matcher is `@Sendable`: what it sees goes into a box it may write.
        final class Seen: @unchecked Sendable { var issues: [(String, Int?)] = [] }
        let seen = Seen()
        withKnownIssue {
            check()
        } matching: { issue in
            seen.issues.append((issue.comments.map(\.rawValue).joined(separator: "\n"), issue.sourceLocation?.line))
            return true
        }
        #expect(seen.issues.count == 1)
        return seen.issues.first ?? ("", nil)
    }

    @Test func passingChecksRecordNothing() {
        expectEqual(2 + 2, 4)
        expectEqual([1.5, -0.0], [1.5, 0.0])
        expectEqual(Optional<Int>.none, nil)
        expectTrue(1 < 2)
        expectContains("gradient", "adi")
        expectNotContains("gradient", "xyz")
        expectContains(["a", "b"], "b")
        expectNotContains(Set([1, 2]), 3)
        expectHasPrefix("gradstep", "grad")
        expectHasSuffix("gradstep", "step")
    }

    @Test func aFailedEqualityNamesBothValuesTheCommentAndTheCallersLine() {
        let line = #line + 1
        let (message, at) = Self.failure { expectEqual(3, 4, "why \(1 + 1)") }
        #expect(message == "Expectation failed: 3 == 4: why 2")
        #expect(at == line)
    }

    @Test func textsAreQuotedAndSeveralLinesGetALineDiff() {
        let (message, _) = Self.failure { expectEqual("a\nB\nc", "a\nb\nc") }
        #expect(message == """
            Expectation failed: "a\\nB\\nc" == "a\\nb\\nc"
            @@ -1,3 +1,3 @@
             a
            -b
            +B
             c

            """)
    }

    @Test func aNaNIsNeverEqualToItself() {
        let (message, _) = Self.failure { expectEqual(Double.nan, .nan) }
        #expect(message == "Expectation failed: nan == nan")
    }

    @Test func eachFailedCheckNamesWhatItLookedFor() {
        #expect(Self.failure { expectTrue(1 > 2) }.message == "Expectation failed")
        #expect(Self.failure { expectContains("gradient", "xyz") }.message
            == #"Expectation failed: "gradient" contains "xyz""#)
        #expect(Self.failure { expectNotContains("gradient", "adi") }.message
            == #"Expectation failed: "gradient" does not contain "adi""#)
        #expect(Self.failure { expectContains([1, 2], 3) }.message == "Expectation failed: [1, 2] contains 3")
        #expect(Self.failure { expectNotContains(Set(["x"]), "x") }.message
            == #"Expectation failed: Set(["x"]) does not contain "x""#)
        #expect(Self.failure { expectHasPrefix("gradstep", "step") }.message
            == #"Expectation failed: "gradstep" has prefix "step""#)
        #expect(Self.failure { expectHasSuffix("gradstep", "grad") }.message
            == #"Expectation failed: "gradstep" has suffix "grad""#)
    }

    /// A comment is only built when the check fails.
    @Test func aPassingCheckNeverBuildsItsComment() {
        var built = 0
        func comment() -> String { built += 1; return "c" }
        expectEqual(1, 1, comment())
        expectTrue(true, comment())
        #expect(built == 0)
        _ = Self.failure { expectTrue(false, comment()) }
        #expect(built == 1)
    }
}
