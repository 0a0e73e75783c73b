/// The candidate most like `name`, for "unknown function 'sni'; did you mean 'sin'?".
///
/// ```swift
/// suggestion(for: "sigmod", among: ["sin", "sigmoid", "softmax"])  // "sigmoid"
/// suggestion(for: "relu", among: ["ReLU"])                          // "ReLU"
/// suggestion(for: "foo", among: ["sin", "cos"])                     // nil
/// ```
/// Distance is optimal string alignment (Levenshtein plus swapping two neighbours, as in
/// `sni` → `sin`), over Characters and ignoring case, with a limit that grows with the length:
/// one edit for names up to five characters, then one more per three characters. A
/// one-character name only matches a different case (`X` → `x`), because any other single
/// letter is one edit away and would be a guess, not a suggestion. Ties go to the candidate
/// closest in length, then to the earlier one, so the result is deterministic. Names longer
/// than `maximumLength` get no suggestion: comparing two of them would cost the product of
/// their lengths, and nobody mistypes a 10,000-character name.
public func suggestion(for name: String, among candidates: [String]) -> String? {
    let maximumLength = 64
    guard name.utf8.count <= 4 * maximumLength, name.count <= maximumLength else { return nil }
    let target = Array(name.lowercased())
    let limit = target.count <= 1 ? 0 : max(1, target.count / 3)
    var best: (candidate: String, score: (Int, Int))?
    for candidate in candidates where candidate != name {
        // The distance is at least the difference in length: most candidates stop here.
        guard candidate.utf8.count <= 4 * (target.count + limit), candidate.count <= target.count + limit,
              candidate.count >= target.count - limit else { continue }
        let other = Array(candidate.lowercased())
        let distance = editDistance(target, other)
        // Between equally distant candidates prefer the one of the same length: `tahn` is a
        // swap in `tanh` more likely than an extra letter in `tan`.
        let score = (distance, abs(other.count - target.count))
        if distance <= limit, best.map({ score < $0.score }) ?? true {
            best = (candidate, score)
        }
    }
    return best?.candidate
}

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
/// of adjacent characters, each costing one.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // Three rows of the dynamic-programming table: i-2, i-1 and i.
    var beforePrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
}
