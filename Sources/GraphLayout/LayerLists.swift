/// The items of each layer of the layered layout in their order, every layer end to end in
/// one array. A big graph has about as many layers as nodes (each node of a chain is a layer of
/// its own), and an array per layer would cost a heap block for each.
struct LayerLists: RandomAccessCollection {
    /// Layer l's items are `items[start[l] ..< start[l + 1]]`.
    private var start: CompactInts
    private var items: CompactInts

    /// Items grouped by `layerOf[item]`, in item order within each layer.
    init(layerOf: CompactInts, layerCount: Int) {
        start = CompactInts(repeating: 0, count: layerCount + 1)
        for l in layerOf { start[l + 1] += 1 }
        for l in 0..<layerCount { start[l + 1] += start[l] }
        var fill = start
        items = CompactInts(repeating: 0, count: layerOf.count)
        for (item, l) in layerOf.enumerated() {
            items[fill[l]] = item
            fill[l] += 1
        }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { start.count - 1 }
    /// Layer l's items, in order (a slice: its indices start at `startIndex`, not 0).
    subscript(l: Int) -> Slice<CompactInts> { items[start[l] ..< start[l + 1]] }

    /// Item `k` (from 0) of layer l.
    func item(_ l: Int, _ k: Int) -> Int { items[start[l] + k] }
    mutating func setItem(_ l: Int, _ k: Int, _ item: Int) { items[start[l] + k] = item }
    mutating func sortLayer(_ l: Int, by areInIncreasingOrder: (Int, Int) -> Bool) {
        items[start[l] ..< start[l + 1]].sort(by: areInIncreasingOrder)
    }
}
