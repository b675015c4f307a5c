/// Did-you-mean suggestions by edit distance, shared by the loss registry
/// (unknown loss names and options) and the config reader (unknown keys).
public enum Suggestion {
    /// The candidates near enough to `word` to be a plausible typo — at most
    /// max(2, |word| / 3) edits, compared case-insensitively — closest first
    /// (ties by name).
    public static func ranked(for word: String, among candidates: [String]) -> [String] {
        let limit = max(2, word.count / 3)
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }.filter { $0.1 <= limit }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// The single closest plausible candidate, if any.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        ranked(for: word, among: candidates).first
    }

    /// The Levenshtein distance between two strings (insertions, deletions, substitutions).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let up = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = up
            }
        }
        return row[b.count]
    }
}
