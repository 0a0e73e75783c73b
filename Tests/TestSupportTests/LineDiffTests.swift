import Testing
import TestSupport

/// The line diff a failed snapshot prints, against hunks worked out by hand in `diff -u`'s
/// format (headers count the lines shown on each side; an empty side is numbered by the line
/// before it).
@Suite("A snapshot failure's line diff")
struct LineDiffTests {
    static func lines(_ range: ClosedRange<Int>) -> [String] { range.map(String.init) }

    @Test func equalTextsHaveNoDiff() {
        expectEqual(unifiedLineDiff(from: "a\nb\n", to: "a\nb\n"), "")
        expectTrue(snapshotMismatch(named: "s", file: "s.txt", snapshot: "a\n", actual: "a\n") == nil)
    }

    @Test func oneChangedLineShowsThreeLinesOfContextEachSide() {
        let old = Self.lines(1 ... 10).joined(separator: "\n")
        let new = old.replacingOccurrences(of: "5", with: "five")
        expectEqual(unifiedLineDiff(from: old, to: new), """
            @@ -2,7 +2,7 @@
             2
             3
             4
            -5
            +five
             6
             7
             8

            """)
    }

    @Test func distantChangesAreSeparateHunksAndTheFirstIsCutAtTheTop() {
        let old = Self.lines(1 ... 20)
        var new = old
        new[1] = "two"
        new[17] = "eighteen"
        expectEqual(unifiedLineDiff(from: old.joined(separator: "\n"), to: new.joined(separator: "\n")), """
            @@ -1,5 +1,5 @@
             1
            -2
            +two
             3
             4
             5
            @@ -15,6 +15,6 @@
             15
             16
             17
            -18
            +eighteen
             19
             20

            """)
    }

    @Test func changesWithinTwoContextsShareOneHunk() {
        let old = Self.lines(1 ... 12)
        var new = old
        new[2] = "x"
        new[8] = "y"
        // Changes at lines 3 and 9: six unchanged lines between them, so one hunk.
        expectEqual(unifiedLineDiff(from: old.joined(separator: "\n"), to: new.joined(separator: "\n")), """
            @@ -1,12 +1,12 @@
             1
             2
            -3
            +x
             4
             5
             6
             7
             8
            -9
            +y
             10
             11
             12

            """)
    }

    @Test func insertionsAndDeletionsCountOnlyTheirSide() {
        expectEqual(unifiedLineDiff(from: "a\nc", to: "a\nb\nc"), "@@ -1,2 +1,3 @@\n a\n+b\n c\n")
        expectEqual(unifiedLineDiff(from: "a\nb\nc", to: "a\nc"), "@@ -1,3 +1,2 @@\n a\n-b\n c\n")
        expectEqual(unifiedLineDiff(from: "x\ny", to: "w\nx\ny", context: 0), "@@ -0,0 +1,1 @@\n+w\n")
    }

    @Test func aMissingFinalNewlineShowsAsARemovedEmptyLine() {
        expectEqual(unifiedLineDiff(from: "a\n", to: "a"), "@@ -1,2 +1,1 @@\n a\n-\n")
    }

    @Test func theFailureMessageNamesTheFileAndCarriesTheDiff() throws {
        let message = try #require(snapshotMismatch(named: "trace", file: "/x/__Snapshots__/trace.txt",
                                                    snapshot: "v1 = 2\nv2 = 3\n", actual: "v1 = 2\nv2 = 4\n"))
        expectHasPrefix(message, "Snapshot trace differs (- /x/__Snapshots__/trace.txt, + actual):\n")
        expectContains(message, "@@ -1,3 +1,3 @@\n v1 = 2\n-v2 = 3\n+v2 = 4\n \n")
        expectContains(message, "SNAPSHOT_TESTING_RECORD=all")
    }
}
