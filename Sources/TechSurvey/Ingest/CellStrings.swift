// The distinct texts of the unit id, name and district cells one parsing thread has seen. Each thread
// numbers its own (no lock on the hot path); the merge maps those numbers onto the file-wide table, taking
// each thread's new texts in the order the thread created them.

/// One thread's distinct cell texts, numbered as first seen.
final class CellStrings {
    private var ids: [LabelBytes: Int32] = [:]
    private var fresh: [String] = []
    private var nextID: Int32 = 0

    /// The number of a cell's text. `canonical` is true when `bytes` already are the text (UTF-8, trimmed,
    /// NFC, canonical): then no String is built unless the text is new.
    func id(_ bytes: ArraySlice<UInt8>, canonical: Bool, text: () -> String) -> Int32 {
        if canonical {
            if let hit = ids[LabelBytes(bytes)] { return hit }
            return add(String(decoding: bytes, as: UTF8.self), key: ArraySlice(Array(bytes)))
        }
        let value = text()
        let key = ArraySlice(Array(value.utf8))
        if let hit = ids[LabelBytes(key)] { return hit }
        return add(value, key: key)
    }

    private func add(_ text: String, key: ArraySlice<UInt8>) -> Int32 {
        let id = nextID
        nextID += 1
        ids[LabelBytes(key)] = id
        fresh.append(text)
        return id
    }

    /// The texts numbered since the last call, in number order.
    func takeFresh() -> [String] {
        defer { fresh = [] }
        return fresh
    }
}

/// True when a cell's raw bytes are exactly the text `decodeCell` would give (valid UTF-8 assumed):
/// nothing to trim at either end and nothing NFC would change.
func isCanonicalText(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard let first = bytes.first, let last = bytes.last else { return true }
    return !isTrimmable(first) && !isTrimmable(last) && !mayNeedNFC(bytes)
}

/// True when a unit id's raw bytes are already canonical: ASCII with no lower-case letter and no white
/// space or control byte, which `canonicalUnitID` would leave unchanged.
func isCanonicalUnitID(_ bytes: ArraySlice<UInt8>) -> Bool {
    for b in bytes where b <= 0x20 || b >= 0x7F || (0x61...0x7A).contains(b) { return false }
    return true
}
