/// For each node, the nodes that use it as an operand (in tape order): the graph's edges
/// reversed, in compressed rows. Built on demand; the tape itself stores only operands.
public struct Consumers: Sendable {
    /// `users[starts[i] ..< starts[i + 1]]` are node i's consumers. A consumer that uses the
    /// node twice (`x * x`) appears twice.
    let starts: [Int32]
    let users: [Int32]

    public init(_ tape: Tape) {
        var counts = [Int32](repeating: 0, count: tape.count + 1)
        for i in tape.firstComputed ..< tape.count {
            for a in tape.entries[i].operands { counts[a + 1] += 1 }
        }
        for i in 0 ..< tape.count { counts[i + 1] += counts[i] }
        var fill = counts
        var users = [Int32](repeating: 0, count: Int(counts[tape.count]))
        for i in tape.firstComputed ..< tape.count {
            for a in tape.entries[i].operands {
                users[Int(fill[a])] = Int32(i)
                fill[a] += 1
            }
        }
        starts = counts
        self.users = users
    }

    /// The consumers of node `i`, in tape order.
    public subscript(i: Int) -> ArraySlice<Int32> { users[Int(starts[i]) ..< Int(starts[i + 1])] }
}
