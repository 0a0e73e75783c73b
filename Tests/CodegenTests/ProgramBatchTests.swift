import Testing
import TestSupport

/// `executeAll` runs a language's programs in one process, yet each program sees a fresh
/// start and its output, errors and exit status stay its own.
@Suite("Generated programs, one interpreter per language")
struct ProgramBatchTests {
    @Test func pythonProgramsRunApartInOneProcess() async throws {
        let runs = try await executeAll([
            "x = 1\nprint('a', x)",
            "print('partial')\nraise ValueError('boom')",
            // A fresh namespace: the first program's x is not there.
            "print('b', 'x' in globals(), __name__)",
            "import sys\nprint('c')\nsys.exit(3)",
        ], .python)
        expectEqual(runs.count, 4)
        expectTrue(runs[0]?.status == 0 && runs[0]?.stdout == "a 1\n")
        expectTrue(runs[1]?.status == 1 && runs[1]?.stdout == "partial\n")
        expectEqual(runs[1]?.stderr.contains("ValueError: boom"), true)
        expectTrue(runs[2]?.status == 0 && runs[2]?.stdout == "b False __main__\n")
        expectTrue(runs[3]?.status == 3 && runs[3]?.stdout == "c\n")
    }

    @Test func numpysErrorStateIsEachProgramsOwn() async throws {
        // Every generated NumPy program sets np.seterr(all="ignore"); the next starts afresh.
        let runs = try await executeAll([
            "import numpy as np\nnp.seterr(all='ignore')\nprint(np.geterr()['divide'])",
            "import numpy as np\nprint(np.geterr()['divide'])",
        ], .numpy)
        expectEqual(runs.map { $0?.stdout }, ["ignore\n", "warn\n"])
    }

    @Test func cProgramsRunApartInOneBinary() async throws {
        // The same static helper in each: every program is a translation unit of its own.
        let runs = try await executeAll([
            "#include <stdio.h>\nstatic int helper(void) { return 1; }\nint main(void) { printf(\"a %d\\n\", helper()); return 0; }",
            "#include <stdio.h>\n#include <stdlib.h>\nstatic int helper(void) { return 2; }\n"
                + "int main(void) { printf(\"b %d\\n\", helper()); fflush(stdout); abort(); }",
            "#include <stdio.h>\nint main(void) { fprintf(stderr, \"e\\n\"); return 4; }",
        ], .c)
        expectEqual(runs.count, 3)
        expectTrue(runs[0]?.status == 0 && runs[0]?.stdout == "a 1\n")
        expectTrue(runs[1]?.status == 128 + 6 && runs[1]?.stdout == "b 2\n")  // SIGABRT
        expectTrue(runs[2]?.status == 4 && runs[2]?.stdout == "" && runs[2]?.stderr == "e\n")
    }
}
