// A growable array in pages of its own, for the tables that follow distinct texts (the interners of every
// parsing thread and of the merge). From the heap, each outgrown copy stayed resident as a hole malloc
// could not give back (ingest keeps freed blocks for reuse, MemoryTuning.swift), so an array that had
// doubled k times held about twice its size, in each of three interners; here an outgrown copy goes back
// to the system at once (MappedPages.swift), and capacity not yet written costs nothing, but for the rest
// of a huge page once the array passes 2 MiB. New elements are zero bits, as fresh pages are. A value, as an Array is: storage is shared between copies until one of them changes.

import Foundation

struct PagedArray<Element: BitwiseCopyable>: @unchecked Sendable {
    private var pages: Pages
    private(set) var count: Int

    /// `count` elements of zero bits.
    init(count: Int = 0) {
        pages = Pages(capacity: count)
        self.count = count
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "PagedArray index out of range")
            return pages.base[i]
        }
        set {
            precondition(i >= 0 && i < count, "PagedArray index out of range")
            unique(room: 0)
            pages.base[i] = newValue
        }
    }

    mutating func append(_ element: Element) {
        unique(room: 1)
        pages.base[count] = element
        count += 1
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: pages.base, count: count))
    }

    /// Makes the storage this array's alone, with room for `room` more elements.
    @inline(__always)
    private mutating func unique(room: Int) {
        if count + room > pages.capacity || !isKnownUniquelyReferenced(&pages) {
            let bigger = Pages(capacity: count + room > pages.capacity ? max(pages.capacity * 2, count + room) : pages.capacity)
            bigger.base.update(from: pages.base, count: count)
            pages = bigger
        }
    }

    private final class Pages {
        let base: UnsafeMutablePointer<Element>
        let capacity: Int
        private let memory: MappedPages

        init(capacity wanted: Int) {
            // Whole pages: the last one is there anyway.
            let bytes = (max(wanted, 1) * MemoryLayout<Element>.stride + 4095) & ~4095
            memory = MappedPages(bytes: bytes)
            capacity = bytes / MemoryLayout<Element>.stride
            base = memory.base.bindMemory(to: Element.self, capacity: capacity)
        }

        deinit { memory.release() }
    }
}

extension PagedArray where Element == UInt8 {
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        unique(room: bytes.count)
        UnsafeMutableRawPointer(pages.base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pages.base, count: count))
    }
}
