/// A unified diff of two texts, line by line, as `diff -u` prints it: hunks headed
/// `@@ -start,count +start,count @@`, removed lines prefixed `-`, added lines `+`, and up to
/// `context` unchanged lines around each change prefixed with a space. Equal texts give "".
///
/// A snapshot that differs in one cell of a 200-line screen is then one hunk to read, not two
/// screens to compare by eye (swift-argument-parser's snapshot helper does the same).
///
///     unifiedLineDiff(from: "a\nb\nc", to: "a\nB\nc")
///     // @@ -1,3 +1,3 @@
///     //  a
///     // -b
///     // +B
///     //  c
public func unifiedLineDiff(from old: String, to new: String, context: Int = 3) -> String {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // The standard library's Myers difference gives which lines went and which came; walking
    // both texts in order with it pairs up the lines that stayed.
    var removed = Set<Int>(), inserted = Set<Int>()
    for change in b.difference(from: a) {
        switch change {
        case .remove(let offset, _, _): removed.insert(offset)
        case .insert(let offset, _, _): inserted.insert(offset)
        }
    }
    enum Kind { case same, removed, added }
    // Each step with the old and new line numbers (0-based) it starts at.
    var steps: [(kind: Kind, old: Int, new: Int)] = []
    var i = 0, j = 0
    while i < a.count || j < b.count {
        if i < a.count, removed.contains(i) {
            steps.append((.removed, i, j)); i += 1
        } else if j < b.count, inserted.contains(j) {
            steps.append((.added, i, j)); j += 1
        } else {
            steps.append((.same, i, j)); i += 1; j += 1
        }
    }
    let changes = steps.indices.filter { steps[$0].kind != .same }
    guard !changes.isEmpty else { return "" }
    // Changes closer than two contexts apart share a hunk, as in `diff -u`.
    var groups: [ClosedRange<Int>] = []
    for c in changes {
        if let last = groups.last, c - last.upperBound <= 2 * context {
            groups[groups.count - 1] = last.lowerBound ... c
        } else {
            groups.append(c ... c)
        }
    }
    var out: [String] = []
    for group in groups {
        let range = max(0, group.lowerBound - context) ..< min(steps.count, group.upperBound + context + 1)
        let slice = steps[range]
        let oldCount = slice.filter { $0.kind != .added }.count
        let newCount = slice.filter { $0.kind != .removed }.count
        // An empty side is numbered by the line before it, as `diff -u` does.
        let oldStart = oldCount == 0 ? slice.first!.old : slice.first!.old + 1
        let newStart = newCount == 0 ? slice.first!.new : slice.first!.new + 1
        out.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
        for step in slice {
            switch step.kind {
            case .same: out.append(" " + a[step.old])
            case .removed: out.append("-" + a[step.old])
            case .added: out.append("+" + b[step.new])
            }
        }
    }
    return out.joined(separator: "\n") + "\n"
}
