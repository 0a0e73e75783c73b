/// Integers kept in 32 bits and read and written as `Int`: the layered layout's arrays per
/// item and per edge (a 10⁶-node graph has about three million items with its dummies), in
/// half the room. Every value is an index, a layer or a cell coordinate, far below 2³¹; one
/// that is not traps rather than wrapping around.
struct CompactInts: RandomAccessCollection, MutableCollection, ExpressibleByArrayLiteral {
    private var storage: [Int32]

    init() { storage = [] }
    init(repeating value: Int, count: Int) { storage = [Int32](repeating: Int32(value), count: count) }
    init(arrayLiteral values: Int...) { storage = values.map { Int32($0) } }

    var startIndex: Int { 0 }
    var endIndex: Int { storage.count }
    subscript(i: Int) -> Int {
        get { Int(storage[i]) }
        set { storage[i] = Int32(newValue) }
    }

    mutating func append(_ value: Int) { storage.append(Int32(value)) }
    mutating func reserveCapacity(_ count: Int) { storage.reserveCapacity(count) }
}
