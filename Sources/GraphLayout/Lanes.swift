// Lanes for the lines between two layers of the layered layout: which vertical lane each
// net's horizontal run takes so that runs never overlap, and a small heap for track reuse.

/// Lines in one gap between layers leaving one row on the left (a box, a dummy, a track) for
/// one or more rows on the right.
struct Net {
    var owner: Int
    var left: Int
    var rights: [Int]
    var straight: Bool { rights.allSatisfy { $0 == left } }
    var low: Int { min(left, rights.min() ?? left) }
    var high: Int { max(left, rights.max() ?? left) }
}

/// A lane (0, 1, ...) for every net, and how many lanes the gap needs. A net whose left row is
/// a right row of another net takes a lane left of it, so their horizontal runs never overlap
/// (when the constraints form a cycle, one is dropped); nets whose rows do not overlap share a
/// lane.
func assignLanes(_ nets: [Net]) -> (lanes: [Int], used: Int) {
    let k = nets.count
    guard k > 0 else { return ([], 0) }
    var lanes = [Int](repeating: 0, count: k)
    // Constraint edges: leftOf[a] must take a smaller lane than each b in after[a].
    var rowEvents: [(row: Int, isLeft: Bool, net: Int)] = []
    for (i, net) in nets.enumerated() where !net.straight {
        rowEvents.append((net.left, true, i))
        for row in Set(net.rights) where row != net.left { rowEvents.append((row, false, i)) }
    }
    rowEvents.sort { ($0.row, $0.isLeft ? 0 : 1, $0.net) < ($1.row, $1.isLeft ? 0 : 1, $1.net) }
    var after = [[Int]](repeating: [], count: k)
    var indegree = [Int](repeating: 0, count: k)
    var start = 0
    while start < rowEvents.count {
        var end = start
        while end < rowEvents.count, rowEvents[end].row == rowEvents[start].row { end += 1 }
        if rowEvents[start].isLeft {
            let a = rowEvents[start].net
            for j in (start + 1)..<end where !rowEvents[j].isLeft && rowEvents[j].net != a {
                after[a].append(rowEvents[j].net)
                indegree[rowEvents[j].net] += 1
            }
        }
        start = end
    }
    // Kahn's order, smallest index first; a cycle is broken at its smallest remaining net.
    var done = [Bool](repeating: false, count: k)
    var minimum = [Int](repeating: 0, count: k)
    var laneLow: [Int] = [], laneHigh: [Int] = []
    var ready = (0..<k).filter { indegree[$0] == 0 }.reversed() as [Int]
    var next = 0
    for _ in 0..<k {
        let i: Int
        if let r = ready.popLast() {
            i = r
        } else {
            while done[next] { next += 1 }
            i = next
        }
        done[i] = true
        let net = nets[i]
        var lane = 0
        if !net.straight {
            lane = minimum[i]
            while lane < laneLow.count, !(net.high < laneLow[lane] || net.low > laneHigh[lane]) { lane += 1 }
            if lane == laneLow.count {
                laneLow.append(net.low)
                laneHigh.append(net.high)
            } else {
                laneLow[lane] = min(laneLow[lane], net.low)
                laneHigh[lane] = max(laneHigh[lane], net.high)
            }
        }
        lanes[i] = lane
        for b in after[i] where !done[b] {
            minimum[b] = max(minimum[b], lane + 1)
            indegree[b] -= 1
            if indegree[b] == 0 { ready.append(b) }
        }
    }
    return (lanes, laneLow.count)
}

/// A binary min-heap of (end gap, track).
struct MinHeap {
    var items: [(end: Int, track: Int)] = []
    var min: (end: Int, track: Int)? { items.first }

    mutating func insert(_ x: (Int, Int)) {
        items.append(x)
        var i = items.count - 1
        while i > 0, items[(i - 1) / 2].end > items[i].end {
            items.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func removeMin() {
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var i = 0
        while true {
            var smallest = i
            for c in [2 * i + 1, 2 * i + 2] where c < items.count && items[c].end < items[smallest].end { smallest = c }
            if smallest == i { return }
            items.swapAt(i, smallest)
            i = smallest
        }
    }
}
