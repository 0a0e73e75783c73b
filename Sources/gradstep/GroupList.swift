import Foundation

/// The group names of `--open a,b`: split at the commas outside parentheses, since a
/// `grad(expr, x)` call's group is named after the call, commas included.
func groupNames(_ list: String) -> [String] {
    var names: [String] = [], current = "", depth = 0
    for c in list {
        switch c {
        case "(", "[": depth += 1
        case ")", "]": depth = max(0, depth - 1)
        case "," where depth == 0:
            names.append(current)
            current = ""
            continue
        default: break
        }
        current.append(c)
    }
    names.append(current)
    return names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
