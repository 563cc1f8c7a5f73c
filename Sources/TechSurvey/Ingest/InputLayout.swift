// Which files of an input folder are read (SPEC §3): INPUT/returns/*, INPUT/activities/*, and the optional
// INPUT/aliases.csv, in name order so "the later file" of a resubmission is well defined.

import Foundation

/// The input files of a folder laid out like `input/`.
struct InputLayout: Sendable {
    let directory: String
    let returnFiles: [String]
    let activityFiles: [String]
    let aliasesFile: String?

    /// Extensions taken as input: Excel saves "CSV" as .csv and "Unicode text" as .txt; workbooks are .xlsx.
    static let extensions: Set<String> = ["csv", "tsv", "txt", "xlsx"]

    init(directory: String) throws(TechSurveyError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TechSurveyError(.noInput, "input folder '\(directory)' does not exist; set INPUT= to a folder holding returns/ and activities/")
        }
        self.directory = directory
        returnFiles = try Self.files(in: "returns", of: directory)
        activityFiles = try Self.files(in: "activities", of: directory)
        let aliases = directory + "/aliases.csv"
        // lstat, not fileExists: a dangling link named aliases.csv is refused, not silently ignored.
        var info = stat()
        aliasesFile = lstat(aliases, &info) == 0 ? aliases : nil
        guard !returnFiles.isEmpty else {
            throw TechSurveyError(.noInput, "no returns in '\(directory)/returns/'; put the survey CSV files there (see README, Input)")
        }
        // Only regular files (or links to them) are read: anything else is refused before a byte is read,
        // so a named pipe can never hang the run and a folder named x.csv never gets a misleading message.
        for name in returnFiles + activityFiles + (aliasesFile == nil ? [] : ["aliases.csv"]) {
            try Self.checkRegularFile(directory + "/" + name, name: name)
        }
    }

    static func checkRegularFile(_ path: String, name: String) throws(TechSurveyError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            let what = code == ELOOP ? "is a symbolic link that loops"
                : code == ENOENT ? "is a symbolic link to a file that does not exist"
                : "cannot be read (\(String(cString: strerror(code))))"
            throw TechSurveyError(.noInput, "\(name) \(what); replace it with the file itself or remove it from the input folder")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw TechSurveyError(.noInput, "\(name): \(fileKind(info.st_mode)), not a regular file; only files are read, so move it out of the input folder or replace it with the CSV file")
        }
    }

    /// Files of `sub` with an input extension, relative to `directory`, in name order. A missing `sub` holds
    /// nothing; one that exists but cannot be listed is refused, since reading it as empty would lose its
    /// rows from every figure without a word.
    static func files(in sub: String, of directory: String) throws(TechSurveyError) -> [String] {
        let folder = directory + "/" + sub
        guard let handle = opendir(folder) else {
            let code = errno
            if code == ENOENT { return [] }
            if code == ENOTDIR {
                throw TechSurveyError(.noInput, "\(quotedCell(folder)) is not a folder; rename or remove it, and put the \(sub) files in a folder of that name")
            }
            throw TechSurveyError(.noInput, "input folder \(quotedCell(folder)) cannot be read (\(String(cString: strerror(code)))); give the user running the report read and search access to it (chmod a+rx), or move its files into a readable \(sub)/ folder")
        }
        closedir(handle)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw TechSurveyError(.noInput, "input folder \(quotedCell(folder)) cannot be listed (\(error.localizedDescription)); check the disk and its permissions, then run again")
        }
        // A name that is not UTF-8 (a zip made on an old Windows) arrives with U+FFFD in place of its bytes
        // and could not be opened by that name: refused, rather than lost or reported as missing.
        if let unreadable = names.first(where: { $0.unicodeScalars.contains("\u{FFFD}") }) {
            throw TechSurveyError(.noInput, "\(sub)/ holds a file whose name is not UTF-8 text ('\(String(String.UnicodeScalarView(unreadable.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })))'); rename it, e.g. in a file manager, and run again")
        }
        return names
            .filter { !$0.hasPrefix(".") && !$0.hasPrefix("~$") && extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
            .map { sub + "/" + $0 }
    }
}
