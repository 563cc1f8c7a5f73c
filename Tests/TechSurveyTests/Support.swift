// Test helpers: where the package, its fixtures and its built executables are, a scratch folder per test,
// and running a stage the way make does.

import Foundation
@testable import TechSurvey

enum TestPaths {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var fixtures: String { packageRoot + "/Tests/Fixtures" }
    static var bundledInput: String { packageRoot + "/input" }

    static var binaries: String {
        ProcessInfo.processInfo.environment["TECHSURVEY_BIN_DIR"] ?? packageRoot + "/.build/debug"
    }
}

/// A fresh folder under the system temp folder, removed by the caller's `defer`.
func scratchFolder(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "techsurvey-\(safe)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeFolder(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a built executable of the package.
func runTool(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
    try runProcess(TestPaths.binaries + "/" + name, arguments, environment: environment)
}

/// Runs ingest → aggregate → report on `input` into `output`; returns the first failing stage's result, or
/// the report's.
@discardableResult
func runPipeline(input: String, output: String, stage: String, period: String = "", language: String = "vi", extraIngest: [String] = []) throws -> RunResult {
    let ingest = try runTool("techsurvey-ingest", ["--input", input, "--stage", stage] + extraIngest)
    guard ingest.status == 0 else { return ingest }
    let aggregate = try runTool("techsurvey-aggregate", ["--stage", stage, "--period", period])
    guard aggregate.status == 0 else { return aggregate }
    let aggregates = StageFolder(stage).aggregates((try? Period(parsing: period)) ?? .all)
    return try runTool("techsurvey-report", ["--stage", stage, "--aggregates", aggregates, "--output", output, "--lang", language])
}

func readText(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// A CSV file's records as arrays of strings (BOM stripped), parsed with the project's reader.
func readCSV(_ path: String) throws -> [[String]] {
    var rows: [[String]] = []
    _ = try readDelimitedFile(path: path, displayName: path, options: ReadOptions()) { record, _ in
        if record.isBlank { return }
        rows.append((0..<record.count).map { record.text($0) ?? "<invalid>" })
    }
    return rows
}

/// Writes `text` to `path`, creating folders.
func writeFile(_ path: String, _ text: String) {
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}

func writeFile(_ path: String, bytes: [UInt8]) {
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// Every published file under `dir` (not the locks, journal or staging folders, whose names start with a
/// dot) with its bytes: two snapshots are equal when the folder holds the same report, byte for byte.
func publishedSnapshot(_ dir: String) -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: dir)
    while let name = enumerator?.nextObject() as? String {
        if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[name] = FileManager.default.contents(atPath: dir + "/" + name)
        }
    }
    return files
}

/// The names in `a` and `b` whose content differs or that only one has, for a failure message.
func snapshotDifference(_ a: [String: Data], _ b: [String: Data]) -> [String] {
    Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
}

/// Takes an exclusive flock on `path` (created when missing) the way another run would; close the
/// returned descriptor to release it.
func holdLock(_ path: String) -> Int32 {
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    if fd >= 0 { flock(fd, LOCK_EX | LOCK_NB) }
    return fd
}

/// The processes of process group `group` that have not exited (zombies, which hold no locks and wait
/// only to be reaped, are left out), with their command names as /proc/PID/stat gives them.
func liveProcesses(inGroup group: Int32) -> [(pid: Int32, name: String)] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> (pid: Int32, name: String)? in
        guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        // After the name: state, ppid, pgrp.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, fields[0] != "Z", Int32(fields[2]) == group else { return nil }
        return (pid, String(stat[stat.index(after: open)..<close]))
    }
}

/// Waits (up to 5 s) until every process of a killed job has exited, so its locks are free.
func waitUntilGone(group: Int32) {
    var waited = 0
    while waited < 500 && !liveProcesses(inGroup: group).isEmpty {
        usleep(10_000)
        waited += 1
    }
}

/// The Python that make test prepares for reading outputs back: openpyxl (Debian) and frictionless (PyPI).
/// Missing tools fail the test that needs them, with what to do; nothing is skipped.
func testPython() throws -> String {
    let path = ProcessInfo.processInfo.environment["TECHSURVEY_TEST_PYTHON"] ?? TestPaths.packageRoot + "/build/test-tools/bin/python"
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw TechSurveyError(.noInput, "no test Python at \(path): run `make test`, which installs openpyxl and frictionless")
    }
    return path
}

/// Runs a program found on PATH (or at an absolute path) with `arguments`.
func runProgram(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
    try runProcess("/usr/bin/env", [program] + arguments, environment: environment)
}

/// Runs the executable at `path` with `arguments` and `environment` added to this process's.
private func runProcess(_ path: String, _ arguments: [String], environment: [String: String]) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // The programs run here write little on stderr, so reading stdout first cannot stall them.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// Puts `labels` into the district cell of the first records of the bundled 2014 returns copied to `input`
/// (quoted as CSV), so an end-to-end test can see how hostile labels come out.
func writeDistrictLabels(_ labels: [String], in input: String) {
    let path = input + "/returns/returns-2014.csv"
    var lines = readText(path).components(separatedBy: "\n")
    for (index, label) in labels.enumerated() {
        var cells = lines[index + 1].components(separatedBy: ",")
        cells[4] = "\"" + label.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        lines[index + 1] = cells.joined(separator: ",")
    }
    writeFile(path, lines.joined(separator: "\n"))
}

/// Accepted returns in memory, in input order, with the distinct strings their cells point at: what the
/// stage file's reader streams, for tests that hand aggregate and trace records they built.
struct PackedReturns: Sendable {
    var strings: [String]
    var records: [PackedReturn]
}

extension PackedReturns {
    /// Packs records.
    init(_ returns: [ReturnRecord]) {
        var table = StringTable()
        records = returns.map { r in
            PackedReturn(
                file: table.index(r.source.file), row: Int32(clamping: r.source.row), line: Int32(clamping: r.source.line),
                returnID: table.index(r.returnID), unitID: table.index(r.unitID), unitName: table.index(r.unitName),
                district: table.index(r.district), unitType: UInt8(r.unitType.order), field: UInt8(r.field.order),
                surveyDate: r.surveyDate.packed, found: Int64(r.found), proposed: Int64(r.proposed),
                submitted: r.submittedAt?.packed ?? -1
            )
        }
        strings = table.strings
    }

    var count: Int { records.count }

    /// Record `i` unpacked, with its own Strings.
    func record(_ i: Int) -> ReturnRecord {
        let p = records[i]
        return ReturnRecord(
            source: SourceRef(file: strings[Int(p.file)], row: Int(p.row), line: Int(p.line)),
            returnID: strings[Int(p.returnID)], unitID: strings[Int(p.unitID)], unitName: strings[Int(p.unitName)],
            unitType: p.unitTypeCode, district: strings[Int(p.district)], field: p.fieldCode, surveyDate: p.date,
            found: Int(p.found), proposed: Int(p.proposed), submittedAt: SubmissionTime(packed: p.submitted)
        )
    }

    var returnRecords: [ReturnRecord] { records.indices.map(record) }
}

/// Distinct strings, each given the next index the first time it is seen.
struct StringTable {
    private(set) var strings: [String] = []
    private var indexOf: [String: Int32] = [:]

    mutating func index(_ s: String) -> Int32 {
        if let i = indexOf[s] { return i }
        let i = Int32(strings.count)
        strings.append(s)
        indexOf[s] = i
        return i
    }
}

extension PackedReturns: ReturnStream {
    func forEachChunk(_ body: (UnsafeBufferPointer<PackedReturn>) throws -> Void) throws {
        try records.withUnsafeBufferPointer(body)
    }
}

/// Activities handed over from memory, as the stage's activities.csv hands them out.
extension Array: ActivityStream where Element == ActivityRecord {
    // Public: under @testable import the compiler holds the protocol's witnesses on a public type to public.
    public func forEachActivity(_ body: (ActivityRecord) throws -> Void) throws {
        for a in self { try body(a) }
    }
}

extension StageRecords {
    /// A stage's activities.csv, read whole.
    static func readActivities(_ path: String) throws -> [ActivityRecord] {
        var out: [ActivityRecord] = []
        try forEachActivity(path) { out.append($0) }
        return out
    }
}
