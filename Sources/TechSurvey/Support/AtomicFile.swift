// Every file techsurvey writes goes through here: written beside its final name, flushed, then renamed
// over it, so a killed run leaves the previous file whole (SPEC §4). What a killed run leaves instead is its
// temporary file; the next run that writes in that folder removes it (`temporaryPath(for:)`).

import Foundation
#if canImport(Glibc)
import CMemory
#endif

enum AtomicFile {
    /// Creates `directory` and its parents; `cannotCreate` (73) when that fails.
    static func makeDirectory(_ directory: String) throws(TechSurveyError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            if let file = fileInTheWay(of: directory) {
                throw TechSurveyError(.cannotCreate, "\(file) is a file, not a folder, so the folder \(directory) cannot be created; move that file away or choose another OUTPUT")
            }
            throw TechSurveyError(.cannotCreate, "cannot create the folder \(directory) (\(String(cString: strerror(errno)))); check the path and its permissions")
        }
    }

    /// The nearest existing path at or above `directory` when it is not a folder.
    private static func fileInTheWay(of directory: String) -> String? {
        var path = directory
        while !path.isEmpty && path != "/" {
            var info = stat()
            if stat(path, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR ? nil : path }
            let parent = (path as NSString).deletingLastPathComponent
            if parent == path { break }
            path = parent
        }
        return nil
    }

    /// Syncs every file or folder in `paths` to disk, all at once: one thread each, so the file system
    /// commits them together (16 small files: about 5 ms here, against 80–110 ms one after another).
    static func syncAll(_ paths: [String]) throws(TechSurveyError) {
        let failures = SyncFailures()
        let done = DispatchGroup()
        for path in paths {
            done.enter()
            Thread {
                if let problem = syncPath(path) { failures.add(problem) }
                done.leave()
            }.start()
        }
        done.wait()
        if let first = failures.first { throw first }
    }

    private static func syncPath(_ path: String) -> TechSurveyError? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return TechSurveyError(.ioError, "cannot open \(path) to sync it (\(String(cString: strerror(errno)))); check the folder's permissions")
        }
        defer { close(fd) }
        // Some file systems cannot sync a folder (EINVAL); their renames are as durable as they get.
        guard fsync(fd) == 0 || errno == EINVAL else {
            return TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
        }
        return nil
    }

    /// The errors of `syncAll`'s threads, under a lock.
    private final class SyncFailures: @unchecked Sendable {
        // `errors` is touched only with `lock` held.
        private let lock = NSLock()
        private var errors: [TechSurveyError] = []
        func add(_ error: TechSurveyError) { lock.lock(); errors.append(error); lock.unlock() }
        var first: TechSurveyError? { lock.lock(); defer { lock.unlock() }; return errors.first }
    }

    /// Makes the renames in `directory` durable: without it a power cut can undo a rename the journal
    /// relies on having happened.
    static func syncDirectory(_ directory: String) throws(TechSurveyError) {
        if let problem = syncPath(directory) { throw problem }
    }

    /// What marks a temporary file as one of techsurvey's: `<final name>.techsurvey-tmp-<writer's pid>`.
    static let temporaryMarker = ".techsurvey-tmp-"

    /// Where the bytes of `path` are written before the rename. A run killed (SIGKILL, a power cut) between
    /// the two leaves that file behind, so the first temporary of a process in a folder also clears that
    /// folder of what dead runs left there.
    static func temporaryPath(for path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        let directory = parent.isEmpty ? "." : parent
        if swept.firstVisit(directory) { removeStaleTemporaries(in: directory) }
        return path + temporaryMarker + "\(getpid())"
    }

    private static let swept = Visited()
    /// How long a dead pid's temporary must have gone unwritten before it is removed.
    static let staleAfterSeconds = 600

    /// Removes from `directory` (not below it) the temporary files that dead runs left there, and only
    /// those: a regular file of this user named `<name>.techsurvey-tmp-<pid>` whose writer is provably
    /// gone — no process with that pid lives and the file was not written for ten minutes (a folder shared
    /// with another machine or container has live writers whose pids this one cannot see, and a live
    /// writer writes), or it was not written for a day (its pid since reused; no writer stays that long on
    /// one file). Anything else stays, whatever its name.
    static func removeStaleTemporaries(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let now = time(nil)
        let (quietAgo, dayAgo) = (now - staleAfterSeconds, now - 86_400)
        for name in names {
            guard let marker = name.range(of: temporaryMarker, options: .backwards), marker.lowerBound > name.startIndex,
                  let pid = pid_t(name[marker.upperBound...]), pid > 0, pid != getpid(), String(pid) == name[marker.upperBound...] else { continue }
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid() else { continue }
            let writerGone = kill(pid, 0) != 0 && errno == ESRCH
            if (writerGone && info.st_mtim.tv_sec < quietAgo) || info.st_mtim.tv_sec < dayAgo { unlink(path) }
        }
    }

    /// The folders already swept by this process, under a lock (stages write from several threads).
    private final class Visited: @unchecked Sendable {
        // `folders` is touched only with `lock` held.
        private let lock = NSLock()
        private var folders: Set<String> = []
        func firstVisit(_ folder: String) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            return folders.insert(folder).inserted
        }
    }

    /// Lets a test kill a run the moment a real kill leaves a temporary file behind: written whole, not
    /// yet renamed (TECHSURVEY_TEST_KILL_WRITING names the file). No signal from outside can land in that
    /// gap, hence a hook; the environment is read once per process, so a write without it costs one nil test.
    @inline(__always) static func dieIfTestAsks(writing path: String) {
        guard let name = testKillWriting else { return }
        if (path as NSString).lastPathComponent == name { kill(getpid(), SIGKILL) }
    }

    private static let testKillWriting: String? = ProcessInfo.processInfo.environment["TECHSURVEY_TEST_KILL_WRITING"]

    /// Writes `text` as UTF-8 to `path` atomically.
    static func write(_ text: String, to path: String) throws(TechSurveyError) {
        try write(Array(text.utf8), to: path)
    }

    /// Refuses to replace `path` when it exists and is not a regular file. The rename would put a file in
    /// place of a named pipe, a device (`--output /dev/full` as root) or a folder's link; a symbolic link,
    /// even to a regular file, is refused too, since replacing it would silently cut the link.
    static func refuseNonRegular(_ path: String) throws(TechSurveyError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let type = info.st_mode & S_IFMT
        guard type != S_IFREG else { return }
        let kind = type == S_IFLNK ? "it is a symbolic link" : fileKind(info.st_mode)
        throw TechSurveyError(.cannotCreate, "\(quotedCell(path)): \(kind), not a regular file, and output never replaces one; name a new file or a regular file as the output")
    }

    /// Writes `bytes` to `path` atomically, creating its folder when needed.
    /// With `sync: false` the caller syncs the file itself, before anything relies on it being on disk
    /// (the publisher syncs all its staged files at once).
    static func write(_ bytes: [UInt8], to path: String, sync: Bool = true) throws(TechSurveyError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try makeDirectory(directory) }
        try refuseNonRegular(path)
        let temporary = temporaryPath(for: path)
        guard let handle = fopen(temporary, "wb") else {
            throw TechSurveyError(.cannotCreate, "cannot create \(temporary) (\(String(cString: strerror(errno)))); check the output folder's permissions")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        let flushed = fflush(handle) == 0 && (!sync || fsync(fileno(handle)) == 0)
        let closed = fclose(handle) == 0
        guard written == bytes.count, flushed, closed else {
            unlink(temporary)
            throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
        }
        dieIfTestAsks(writing: path)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TechSurveyError(.ioError, "cannot move \(temporary) to \(path) (\(String(cString: strerror(errno))))")
        }
    }

    /// A file written in pieces beside its final name and renamed over it on `commit()`, so a large stage
    /// file never has to be held in memory whole. Dropped without `commit()`, it leaves nothing behind.
    // Used by one thread at a time: written on one, possibly committed on another after the last write.
    final class Stream: @unchecked Sendable {
        private let path: String
        private let temporary: String
        private var handle: UnsafeMutablePointer<FILE>?
        /// Bytes written, and how many of them the disk was asked to start writing.
        private var written = 0
        private var writebackStarted = 0
        /// `sync()` put everything on the disk, and nothing was written since.
        private var synced = false
        /// Every this many bytes, the disk is asked to start writing what came before (see `write`).
        private let writebackStep: Int

        init(path: String, writebackStep: Int = 32 << 20) throws(TechSurveyError) {
            self.path = path
            self.writebackStep = max(1, writebackStep)
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try AtomicFile.makeDirectory(directory) }
            try AtomicFile.refuseNonRegular(path)
            temporary = AtomicFile.temporaryPath(for: path)
            guard let h = fopen(temporary, "wb") else {
                throw TechSurveyError(.cannotCreate, "cannot create \(temporary) (\(String(cString: strerror(errno)))); check the output folder's permissions")
            }
            handle = h
        }

        func write(_ bytes: [UInt8]) throws(TechSurveyError) {
            let result = bytes.withUnsafeBytes { raw in Result { () throws(TechSurveyError) in try write(raw) } }
            try result.get()
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws(TechSurveyError) {
            guard let handle, let base = bytes.baseAddress else { return }
            let count = fwrite(base, 1, bytes.count, handle)
            guard count == bytes.count else {
                throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
            }
            written += count
            synced = false
            // A stage file of hundreds of MiB left all dirty made `commit()`'s fsync wait most of a second
            // after the last record (0.77 s for returns.bin at 1 GB of input): the disk is asked to start
            // on each finished step while the run goes on, so the fsync finds little left to write. A hint:
            // where the kernel cannot take it, the fsync still writes everything.
            if written - writebackStarted >= writebackStep {
                // A failed flush drops the bytes it held: the file is then short, never published.
                guard fflush(handle) == 0 else {
                    throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
                }
                startWriteback(fileno(handle), offset: writebackStarted, count: written - writebackStarted)
                writebackStarted = written
            }
        }

        /// Where the bytes are until `commit()`.
        var temporaryPath: String { temporary }

        /// Hands what was written to the kernel, so `temporaryPath` can be read back before `commit()`.
        func flush() throws(TechSurveyError) {
            guard let handle, fflush(handle) == 0 else {
                throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
            }
        }

        /// Puts every byte written on the disk, without publishing the file yet: files that must appear
        /// together are synced first (on threads of their own, if need be) and renamed only once all are.
        func sync() throws(TechSurveyError) {
            guard let handle else { return }
            guard Self.isOnDisk(handle) else {
                throw TechSurveyError(.ioError, "cannot write \(path) (\(String(cString: strerror(errno)))); is the disk full?")
            }
            synced = true
        }

        /// Flushes `handle` and waits for the disk. ferror: a write that failed once, whatever came after,
        /// leaves the file with a hole.
        private static func isOnDisk(_ handle: UnsafeMutablePointer<FILE>) -> Bool {
            fflush(handle) == 0 && ferror(handle) == 0 && fsync(fileno(handle)) == 0
        }

        /// Syncs (unless `sync()` did) and renames the file into place.
        func commit() throws(TechSurveyError) {
            guard let handle else { return }
            self.handle = nil
            let flushed = synced || Self.isOnDisk(handle)
            let closed = fclose(handle) == 0
            AtomicFile.dieIfTestAsks(writing: path)
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

    /// Copies the file at `source` to a new file `path`. The kernel moves the bytes (sendfile), so a
    /// superseded.csv of hundreds of MiB is never read into this process; as in `Stream`, the disk is asked
    /// to start on each `writebackStep` copied, so the sync at the end finds little left to write.
    static func copyFile(_ source: String, to path: String, sync: Bool = true, writebackStep: Int = 32 << 20) throws(TechSurveyError) {
        // Close-on-exec: the report copies while it starts rsvg-convert and pandoc, which need neither file.
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw TechSurveyError(.noInput, "cannot read \(source) (\(String(cString: strerror(errno)))); run make report again")
        }
        defer { close(input) }
        let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else {
            throw TechSurveyError(.cannotCreate, "cannot create \(path) (\(String(cString: strerror(errno)))); check the output folder's permissions")
        }
        var copied = true
        var total = 0, writebackStarted = 0
        let step = max(1, writebackStep)
        while true {
            let sent = sendfile(output, input, nil, step)
            if sent > 0 {
                total += sent
                if total - writebackStarted >= step {
                    startWriteback(output, offset: writebackStarted, count: total - writebackStarted)
                    writebackStarted = total
                }
                continue
            }
            if sent == 0 { break }
            if errno == EINTR { continue }
            // A file system without in-kernel copies: copy through a buffer.
            copied = (errno == EINVAL || errno == ENOSYS) && copyThroughBuffer(input, output)
            break
        }
        let synced = copied && (!sync || fsync(output) == 0)
        let closed = close(output) == 0
        guard copied, synced, closed else {
            unlink(path)
            throw TechSurveyError(.ioError, "cannot copy \(source) to \(path) (\(String(cString: strerror(errno)))); is the disk full?")
        }
    }

    private static func copyThroughBuffer(_ input: Int32, _ output: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        return buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return false }
            while true {
                let got = Glibc.read(input, base, raw.count)
                if got == 0 { return true }
                if got < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                var done = 0
                while done < got {
                    let put = Glibc.write(output, base + done, got - done)
                    if put < 0 && errno == EINTR { continue }
                    if put <= 0 { return false }
                    done += put
                }
            }
        }
    }
}

/// Asks the kernel to start writing `count` bytes at `offset` of `fd` to disk, without waiting.
private func startWriteback(_ fd: Int32, offset: Int, count: Int) {
    #if canImport(Glibc)
    _ = techsurvey_start_writeback(fd, Int64(offset), Int64(count))
    #endif
}
