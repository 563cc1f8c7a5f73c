// Every file techsurvey writes goes through here: written beside its final name, flushed, then renamed
// over it, so a killed run leaves the previous file whole (SPEC §4).

import Foundation

public enum AtomicFile {
    /// Creates `directory` and its parents; `cannotCreate` (73) when that fails.
    public static func makeDirectory(_ directory: String) throws(TechSurveyError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TechSurveyError(.cannotCreate, "cannot create the folder \(directory): \(error.localizedDescription); check the path and its permissions")
        }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws(TechSurveyError) {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically, creating its folder when needed.
    public static func write(_ bytes: [UInt8], to path: String) throws(TechSurveyError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try makeDirectory(directory) }
        let temporary = path + ".tmp-\(getpid())"
        guard let handle = fopen(temporary, "wb") else {
            throw TechSurveyError(.cannotCreate, "cannot create \(temporary) (\(String(cString: strerror(errno)))); check the output folder's permissions")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
        let closed = fclose(handle) == 0
        guard written == bytes.count, flushed, closed else {
            unlink(temporary)
            throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TechSurveyError(.ioError, "cannot move \(temporary) to \(path) (\(String(cString: strerror(errno))))")
        }
    }

    /// A file written in pieces beside its final name and renamed over it on `commit()`, so a large stage
    /// file never has to be held in memory whole. Dropped without `commit()`, it leaves nothing behind.
    public final class Stream {
        private let path: String
        private let temporary: String
        private var handle: UnsafeMutablePointer<FILE>?

        public init(path: String) throws(TechSurveyError) {
            self.path = path
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try AtomicFile.makeDirectory(directory) }
            temporary = path + ".tmp-\(getpid())"
            guard let h = fopen(temporary, "wb") else {
                throw TechSurveyError(.cannotCreate, "cannot create \(temporary) (\(String(cString: strerror(errno)))); check the output folder's permissions")
            }
            handle = h
        }

        public func write(_ bytes: [UInt8]) throws(TechSurveyError) {
            let result = bytes.withUnsafeBytes { raw in Result { () throws(TechSurveyError) in try write(raw) } }
            try result.get()
        }

        public func write(_ bytes: UnsafeRawBufferPointer) throws(TechSurveyError) {
            guard let handle, let base = bytes.baseAddress else { return }
            let written = fwrite(base, 1, bytes.count, handle)
            guard written == bytes.count else {
                throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
            }
        }

        public func commit() throws(TechSurveyError) {
            guard let handle else { return }
            self.handle = nil
            let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
            let closed = fclose(handle) == 0
            guard flushed, closed, rename(temporary, path) == 0 else {
                unlink(temporary)
                throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
            }
        }

        deinit {
            if let handle {
                fclose(handle)
                unlink(temporary)
            }
        }
    }
}
