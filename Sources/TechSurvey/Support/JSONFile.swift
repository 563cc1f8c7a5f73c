// Stage and manifest JSON: pretty, key-sorted (so diffs between runs are readable), written atomically.

import Foundation

enum JSONFile {
    static func write<T: Encodable>(_ value: T, to path: String) throws {
        try AtomicFile.write(try encode(value), to: path)
    }

    /// The JSON text of `value`, ending in a newline.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            throw TechSurveyError(.ioError, "cannot encode \(T.self) as JSON: \(error)")
        }
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
