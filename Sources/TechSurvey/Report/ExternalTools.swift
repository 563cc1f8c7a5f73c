// The kept tools the report stage hands work to (SPEC §4.3): rsvg-convert (Debian librsvg2-bin) renders the
// PNG charts, pandoc (Debian pandoc) writes report.docx, python3's zipfile adjusts pandoc's reference
// document. Each runs with its arguments as an array (never through a shell); a missing tool or a failure
// is one line that names the tool and the package `make deps` installs. They run at once (`ToolJob`), so the
// report waits for the slowest chain of them, not their sum.

import Foundation

enum ExternalTool {
    /// Runs `tool` (looked up in /usr/bin, /usr/local/bin and PATH) and returns its stdout; throws when it
    /// is missing or fails, with the first line of its stderr. `environment` is added to this process's.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], input: Data? = nil, package: String, making output: String,
                    environment extra: [String: String] = [:]) throws -> Data {
        guard let path = locate(tool) else {
            throw TechSurveyError(.cannotCreate, "cannot make \(output): \(tool) is not installed; run make deps (Debian package \(package))")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C.UTF-8"
        environment.merge(extra) { _, given in given }
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do { try process.run() } catch {
            throw TechSurveyError(.cannotCreate, "cannot make \(output): \(tool) did not start (\(error.localizedDescription)); run make deps (Debian package \(package))")
        }
        if let input {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        // Both pipes are drained together so a tool that fills one cannot block on the other.
        let errors = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errors.data = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errorData = errors.data
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw TechSurveyError(.cannotCreate, "cannot make \(output): \(tool) failed: \(ControlCharacters.removed(message, keepingLayout: false)); check that \(package) is installed (make deps)")
        }
        return outData
    }

    /// What names the installed `tool` in a content cache's key: the file `run` would start, by its path,
    /// size, dates and inode. An upgrade puts a new file in place (a new inode and change time, which no
    /// copy can set back), so entries the old one made are not used again; asking the tool its version
    /// instead costs a process (pandoc's and rsvg-convert's start with their libraries, 10–20 ms of a core).
    static func identity(_ tool: String, package: String, making output: String) throws -> [UInt8] {
        guard let path = locate(tool), let identity = fileIdentity(path) else {
            throw TechSurveyError(.cannotCreate, "cannot make \(output): \(tool) is not installed; run make deps (Debian package \(package))")
        }
        return identity
    }

    /// The path, size, modification and change time, device and inode of the file at `path` (a link is
    /// followed); nil when there is none.
    static func fileIdentity(_ path: String) -> [UInt8]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Array("\(path)\t\(info.st_size)\t\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\t\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)\t\(info.st_dev):\(info.st_ino)".utf8)
    }

    private static func locate(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = ["/usr/bin", "/usr/local/bin", "/bin"] + path.split(separator: ":").map(String.init)
        return folders.map { $0 + "/" + tool }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A tool run (or a chain of them) on a thread of its own, which only waits on the tool's process; `wait`
/// returns its outcome. The report starts every tool as soon as its input exists and goes on with its own
/// work meanwhile.
final class ToolJob<Value: Sendable>: @unchecked Sendable {
    // `outcome` is written by the job's thread before `done` is signalled, and read only after a wait on it.
    private var outcome: Result<Value, Error> = .failure(CancellationError())
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread { [self] in
            outcome = Result { try work() }
            done.signal()
        }.start()
    }

    /// The job's value, or its error, once it is done; any thread may wait, any number of times.
    @discardableResult
    func wait() throws -> Value {
        done.wait()
        // Passed on, so the next wait returns at once too.
        done.signal()
        return try outcome.get()
    }
}

/// Holds what the stderr reader read; written once before `group.leave()`, read after `group.wait()`.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
