import GraphCore

/// Every distinct name of a file, numbered in order of first appearance, so the parser and the
/// lowering compare and look up small integers instead of hashing strings at every use.
///
/// ```swift
/// var names = NameTable()
/// let v = names.intern(Array("v1".utf8)[...])   // a new id
/// names.intern(Array("v1".utf8)[...]) == v       // true: the same spelling, the same id
/// names.spelling(v)                              // "v1"
/// ```
/// The statement keywords and the function names come first, so whether a name is one of them
/// is a comparison of its id.
struct NameTable {
    /// The spellings and the hash slots, in buffers the storage owns: a lookup reads them
    /// through pointers, with no uniqueness check or reference count on the way (those were
    /// about a quarter of a lookup's cost, issue 21). Copied on write, when a copy (the loop
    /// unroller's) numbers a new name.
    private var storage: Storage

    /// `input`, `param`, `const`, `output`, by id.
    static let keywords: [Statement.Kind] = Statement.Kind.allCases.filter { $0.keyword != nil }
    /// The names of `Op.functions`, alphabetically, by id after the keywords.
    static let functionNames: [String] = Op.functions.keys.sorted()
    static let functions: [Op] = functionNames.map { Op.functions[$0]! }
    /// The ids of `def` and `group`, numbered right after the functions: they start a
    /// definition or a block only before a name and `(` or `{`, so they stay usable as names.
    static let defID = Int32(keywords.count + functionNames.count)
    static let groupID = defID + 1
    /// The id of `for`, which starts a loop before a name (`for t in 0..<4 {`).
    static let forID = groupID + 1
    /// The first id of a name that is no keyword, function, `def`, `group` or `for`: the
    /// ids below it are the names numbered first, whatever the file.
    static let firstPlainName = forID + 1

    /// A table expecting about `expectedNames` names, so it need not grow (and rehash) on the
    /// way there; it still grows past them, as ever when more than half full. The slots
    /// start at the power of two past 1.5 times the (rough) estimate: past twice it, they
    /// took up to four times the names (17 bytes a name of a million-statement file whose
    /// estimate was a little over a power of two, issue 23).
    init(expectedNames: Int = 0) {
        var slots = 1024
        while slots < expectedNames + expectedNames / 2 { slots *= 2 }
        storage = Storage(slots: slots, names: max(expectedNames, 64), bytes: max(expectedNames * 4, 256))
        for keyword in Self.keywords { intern(Array(keyword.rawValue.utf8)[...]) }
        for name in Self.functionNames { intern(Array(name.utf8)[...]) }
        intern(Array("def".utf8)[...])
        intern(Array("group".utf8)[...])
        intern(Array("for".utf8)[...])
    }

    var count: Int { storage.count }

    func spelling(_ id: Int32) -> String {
        String(decoding: storage.spelling(Int(id)), as: UTF8.self)
    }

    /// The statement kind a name introduces when it starts a statement (`input`, ...).
    func keyword(_ id: Int32) -> Statement.Kind? {
        Int(id) < Self.keywords.count ? Self.keywords[Int(id)] : nil
    }

    /// The op a function name stands for (`sin`), or nil for other names.
    func function(_ id: Int32) -> Op? {
        let k = Int(id) - Self.keywords.count
        return k >= 0 && k < Self.functions.count ? Self.functions[k] : nil
    }

    /// The id of `name`, if the file uses it.
    func id(of name: String) -> Int32? {
        var name = name
        return name.withUTF8 { name in
            let id = storage.find(name, hash: Self.hash(name)).id
            return id < 0 ? nil : id
        }
    }

    /// The id of the spelling `name`, numbering it if it is new.
    @discardableResult
    mutating func intern(_ name: ArraySlice<UInt8>) -> Int32 {
        name.withUnsafeBufferPointer { intern($0) }
    }

    /// `intern` of bytes the caller holds, e.g. a slice of the lexer's text.
    @discardableResult
    mutating func intern(_ name: UnsafeBufferPointer<UInt8>) -> Int32 {
        intern(name, hash: Self.hash(name))
    }

    /// `intern` of a spelling whose `hash` the caller worked out (the lexer, while it read
    /// the name's bytes).
    @inline(__always)
    mutating func intern(_ name: UnsafeBufferPointer<UInt8>, hash: Int) -> Int32 {
        let (found, slot) = storage.find(name, hash: hash)
        if found >= 0 { return found }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.add(name, at: slot)
    }

    /// FNV-1a's start and step, for a caller that hashes a name as it reads it: names are
    /// short, and a file's names are not chosen to collide.
    static let hashStart: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always)
    static func hashStep(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
    @inline(__always)
    static func hashEnd(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h ^ (h >> 29)) }

    static func hash(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var h = hashStart
        for byte in name { h = hashStep(h, byte) }
        return hashEnd(h)
    }

    /// The spellings one after another (`ends[id]` is where id's ends), and the open-addressing
    /// slots (an id, or -1; a power of two of them, at least twice the names).
    private final class Storage {
        private var bytes: UnsafeMutablePointer<UInt8>
        private var byteCount = 0, byteCapacity: Int
        private var ends: UnsafeMutablePointer<Int32>
        private(set) var count = 0
        private var capacity: Int
        private var slots: UnsafeMutablePointer<Int32>
        private var mask: Int

        init(slots slotCount: Int, names: Int, bytes: Int) {
            self.bytes = .allocate(capacity: bytes)
            byteCapacity = bytes
            ends = .allocate(capacity: names)
            capacity = names
            slots = .allocate(capacity: slotCount)
            slots.initialize(repeating: -1, count: slotCount)
            mask = slotCount - 1
        }

        deinit {
            bytes.deallocate()
            ends.deallocate()
            slots.deallocate()
        }

        func copy() -> Storage {
            let other = Storage(slots: mask + 1, names: capacity, bytes: byteCapacity)
            other.bytes.update(from: bytes, count: byteCount)
            other.ends.update(from: ends, count: count)
            other.slots.update(from: slots, count: mask + 1)
            (other.byteCount, other.count) = (byteCount, count)
            return other
        }

        @inline(__always)
        func spelling(_ id: Int) -> UnsafeBufferPointer<UInt8> {
            let start = id == 0 ? 0 : Int(ends[id - 1])
            return UnsafeBufferPointer(start: bytes + start, count: Int(ends[id]) - start)
        }

        /// The id of `name` (or -1), and the slot it is in or belongs in.
        @inline(__always)
        func find(_ name: UnsafeBufferPointer<UInt8>, hash: Int) -> (id: Int32, slot: Int) {
            var slot = hash & mask
            while true {
                let id = slots[slot]
                if id < 0 { return (-1, slot) }
                if Self.equal(spelling(Int(id)), name) { return (id, slot) }
                slot = (slot + 1) & mask
            }
        }

        /// Byte by byte: names are a few bytes, shorter than a call to `memcmp`.
        @inline(__always)
        private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            guard a.count == b.count else { return false }
            var k = 0
            while k < a.count {
                if a[k] != b[k] { return false }
                k += 1
            }
            return true
        }

        /// Numbers `name`, which belongs in the empty `slot`.
        func add(_ name: UnsafeBufferPointer<UInt8>, at slot: Int) -> Int32 {
            if byteCount + name.count > byteCapacity {
                byteCapacity = max(byteCapacity * 2, byteCount + name.count)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: byteCapacity)
                grown.update(from: bytes, count: byteCount)
                bytes.deallocate()
                bytes = grown
            }
            if count == capacity {
                capacity *= 2
                let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
                grown.update(from: ends, count: count)
                ends.deallocate()
                ends = grown
            }
            if let base = name.baseAddress { (bytes + byteCount).update(from: base, count: name.count) }
            byteCount += name.count
            let id = Int32(count)
            ends[count] = Int32(byteCount)
            count += 1
            slots[slot] = id
            if count * 2 > mask + 1 { grow() }
            return id
        }

        private func grow() {
            let slotCount = (mask + 1) * 2
            slots.deallocate()
            slots = .allocate(capacity: slotCount)
            slots.initialize(repeating: -1, count: slotCount)
            mask = slotCount - 1
            for id in 0 ..< count {
                var slot = NameTable.hash(spelling(id)) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(id)
            }
        }
    }
}

/// A parsed program's names, numbered by a `NameTable`, for the lowering.
struct ProgramNames {
    var table: NameTable
    /// The name id of each statement's name (`x` of `input x = 2`, `y` of `output y`), by
    /// statement index; -1 for a bare expression.
    var defined: [Int32]
    /// The name ids of every `.name` node, statement by statement, each statement's in source
    /// order (the order `Lowering.forEachName` visits them); statement `k`'s are
    /// `uses[useStart[k] ..< useStart[k + 1]]`.
    var uses: [Int32]
    var useStart: [Int]
}
