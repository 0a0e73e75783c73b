#if canImport(Glibc)
import Glibc
#endif

// Loading holds the syntax tree, the tape builder's nodes and the finished tape at once; in a
// large file the tree is the largest of the three (an `Expr` box per operator or call, about
// 160 bytes a statement). Each statement's tree is dropped as soon as its nodes are built, and
// the freed pages are handed back to the system every so often, so the builder's and the
// tape's arrays reuse that memory instead of adding to the peak (issue 23).
extension Lowering {
    /// Statements lowered between two hand-backs of freed pages: often enough that the freed
    /// trees are returned while the builder grows, rarely enough to cost nothing measurable.
    static let statementsPerTrim = 1 << 16

    /// Drops statement `k`'s syntax tree: once its nodes are built nothing reads it again
    /// (only statements left on a cycle, never lowered, are read for the cycle's message).
    mutating func releaseSyntaxTree(of k: Int) {
        statements[k].expression = nil
        releasedTrees += 1
        if releasedTrees % Self.statementsPerTrim == 0 { Self.returnFreedPages() }
    }

    /// Gives the pages of freed memory back to the system. glibc's `free` keeps them for later
    /// allocations of the same heap, and most of what follows (the tape's arrays) is allocated
    /// afresh by `mmap`, so without this the freed trees would still count in the peak.
    static func returnFreedPages() {
        guard let symbol = UnsafeRawPointer(bitPattern: mallocTrimAddress) else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
    }

    /// The address of glibc's `malloc_trim`, looked up at run time (0 without it): Swift's
    /// Glibc module leaves `malloc.h` out, and another C library or system may not have it, in
    /// which case freed memory simply stays with the process as before. An address, not a
    /// function value, so that the constant is plainly `Sendable`.
    private static let mallocTrimAddress: Int = {
        #if canImport(Glibc)
        return dlsym(nil, "malloc_trim").map { Int(bitPattern: $0) } ?? 0
        #else
        return 0
        #endif
    }()
}
