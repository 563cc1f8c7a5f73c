// The version written into every manifest, so a published figure can be tied to the code that made it.

enum TechSurveyVersion {
    static let current = "0.1.0"
}
