import ArgumentParser
import Foundation

/// `error: …` for an error from another module, whose description may already start with
/// `error:` (theme errors do), so the prefix is never doubled.
func errorText(_ error: any Error) -> String {
    let text = "\(error)"
    return (text.hasPrefix("error:") ? text : "error: " + text) + "\n"
}

/// The message for a word that is neither a subcommand nor an existing file, as in
/// `gradstep nosuchcmd`: what was tried, the nearest command if one is close, and the list.
func noSuchCommandOrFile(_ word: String) -> String {
    let commands = Gradstep.configuration.subcommands.map { $0._commandName }
    var text = "error: no such command or file: \(word)\n"
    if let near = commands.min(by: { editDistance($0, word) < editDistance($1, word) }),
       editDistance(near, word) <= 2 {
        text += "did you mean 'gradstep \(near)'?\n"
    }
    return text + "commands: \(commands.joined(separator: ", ")) (see gradstep --help)\n"
}

/// Levenshtein distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var diagonal = row[0]
        row[0] = i
        for j in 1...b.count {
            let above = row[j]
            row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
            diagonal = above
        }
    }
    return row[b.count]
}

/// What `gradstep --version` prints.
let gradstepVersion = "gradstep 0.1.0"
