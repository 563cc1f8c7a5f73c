// What every fuzz target shares: a failed invariant ends the process the way libFuzzer records as a crash
// (abort, with the reason on stderr), and the input is split into its parts by marker lines.

import CFuzzerDriver
import Foundation

/// Stops the run with `message` when `condition` is false; libFuzzer saves the input as a crash.
public func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard !condition() else { return }
    FileHandle.standardError.write(Data(("invariant failed: " + message() + "\n").utf8))
    removeScratchFolders()
    abort()
}

/// Cuts `data` at each line that is exactly one of `markers` (e.g. "==activities=="): the part before the
/// first marker under "", each following part under its marker. A marker seen twice keeps the first part.
public func sections(_ data: [UInt8], markers: [String]) -> [String: [UInt8]] {
    var parts: [String: [UInt8]] = [:]
    var name = ""
    var start = 0
    var lineStart = 0
    var i = 0
    let markerBytes = markers.map { Array($0.utf8) }
    func close(_ end: Int) {
        if parts[name] == nil { parts[name] = Array(data[start..<max(start, end)]) }
    }
    while i <= data.count {
        if i == data.count || data[i] == 0x0A {
            let line = data[lineStart..<i]
            if let k = markerBytes.firstIndex(where: { line.elementsEqual($0) }) {
                // The line end before the marker belongs to the marker, so a part can end without one.
                close(lineStart > start ? lineStart - 1 : lineStart)
                name = markers[k]
                start = min(data.count, i + 1)
            }
            lineStart = i + 1
        }
        i += 1
    }
    close(data.count)
    return parts
}

/// The scratch folders this process made; one thread runs the target, so no lock.
nonisolated(unsafe) private var scratchFolders: [String] = []

private func removeScratchFolders() {
    for path in scratchFolders { try? FileManager.default.removeItem(atPath: path) }
}

/// A folder of its own for this process under /dev/shm (memory, so the many small writes cost nothing),
/// or the system's temporary folder; removed when the process exits or an invariant fails.
public func scratchFolder(_ tag: String) -> String {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = "\(base)/techsurvey-fuzz-\(tag)-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    if scratchFolders.isEmpty { atexit { removeScratchFolders() } }
    scratchFolders.append(path)
    return path
}

/// True when `bytes` hold a NUL, an ESC (the start of a terminal control sequence) or a C1 CSI (U+009B in UTF-8).
public func holdsControlSequence(_ bytes: [UInt8]) -> Bool {
    if bytes.contains(0) || bytes.contains(0x1B) { return true }
    var i = 0
    while i + 1 < bytes.count {
        if bytes[i] == 0xC2 && bytes[i + 1] == 0x9B { return true }
        i += 1
    }
    return false
}

/// Hands `testOneInput` to libFuzzer with this process's arguments (libFuzzer's own flags, corpus
/// folders, or files to run once) and returns its exit status.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Int32 {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
}
