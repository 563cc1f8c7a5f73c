// Stage and manifest JSON: pretty, key-sorted (so diffs between runs are readable), written atomically.

import Foundation

enum JSONFile {
    static func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw TechSurveyError(.ioError, "cannot encode \(path): \(error)")
        }
        try AtomicFile.write(Array(data) + [0x0A], to: path)
    }

    static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TechSurveyError(.noInput, "cannot read \(path); run the previous stage first (make report does it)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw TechSurveyError(.data, "\(path) is damaged or from another version; run `make clean report`")
        }
    }
}
