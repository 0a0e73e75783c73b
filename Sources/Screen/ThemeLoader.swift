import Foundation

/// A theme read from a file, with the warnings its bad lines produced.
public struct LoadedTheme: Sendable {
    public var theme: Theme
    public var warnings: [ThemeWarning]
}

public enum ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(name: String, available: [String])
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let name, let available):
            "error: no theme '\(name)' (available: \(available.joined(separator: ", ")))"
        case .unreadable(let path, let reason):
            "error: cannot read theme file \(path): \(reason)"
        }
    }
}

/// Finds themes by name (`dark` is `dark.theme`) in `Themes/` folders, then among the shipped
/// themes compiled into the binary (`BuiltinThemes`), so an installed gradstep has them all
/// with no `Themes/` folder at all; a file of the same name in a folder overrides the
/// compiled-in copy. The built-in default is always there under the name `default`.
///
///     let loader = ThemeLoader(explicitFolder: options.themesFolder)
///     let loaded = try loader.load(named: "dark")
///     loaded.warnings.forEach { print($0) }    // dark.theme:7: warning: ...
public struct ThemeLoader: Sendable {
    /// Folders searched in order; the first holding `<name>.theme` wins.
    public var searchPaths: [URL]

    public init(searchPaths: [URL]) {
        self.searchPaths = searchPaths
    }

    /// Searches `explicitFolder` (if given), then `./Themes`, then `Themes` next to the
    /// executable and next to each of its parent folders (so `.build/debug/gradstep` finds the
    /// repository's `Themes/`).
    public init(explicitFolder: URL? = nil) {
        self.init(searchPaths: Self.defaultSearchPaths(
            explicitFolder: explicitFolder,
            currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            executable: Bundle.main.executableURL))
    }

    public static func defaultSearchPaths(
        explicitFolder: URL?, currentDirectory: URL, executable: URL?
    ) -> [URL] {
        var paths: [URL] = []
        if let explicitFolder { paths.append(explicitFolder) }
        paths.append(currentDirectory.appendingPathComponent("Themes"))
        if let executable {
            var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            while true {
                paths.append(folder.appendingPathComponent("Themes"))
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path || folder.path == "/" { break }
                folder = parent
            }
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    /// `default`, the compiled-in themes and every `*.theme` in the search folders, sorted,
    /// without duplicates.
    public func availableThemes() -> [String] {
        var names: Set<String> = Set(["default"] + BuiltinThemes.files.keys)
        for folder in searchPaths {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files where file.hasSuffix(".theme") {
                names.insert(String(file.dropLast(".theme".count)))
            }
        }
        return names.sorted()
    }

    /// The file for a theme name, from the first folder that has one.
    public func url(forTheme name: String) -> URL? {
        searchPaths.map { $0.appendingPathComponent("\(name).theme") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Loads a theme by name, or from a path when `name` contains `/` or ends in `.theme`.
    /// `default` is the built-in theme.
    public func load(named name: String) throws -> LoadedTheme {
        if name.contains("/") || name.hasSuffix(".theme") {
            return try Self.load(file: URL(fileURLWithPath: name))
        }
        if name == "default" { return LoadedTheme(theme: .default, warnings: []) }
        if let url = url(forTheme: name) { return try Self.load(file: url) }
        guard let text = BuiltinThemes.files[name] else {
            throw ThemeError.notFound(name: name, available: availableThemes())
        }
        let (theme, warnings) = Theme.parse(text, name: name, file: "\(name).theme (built in)")
        return LoadedTheme(theme: theme, warnings: warnings)
    }

    /// Every theme by name with where it comes from: `built in`, a file that adds a theme, or
    /// a file that overrides the compiled-in copy (`gradstep --list-themes`).
    public func listing() -> [(name: String, source: String)] {
        availableThemes().map { name in
            if name == "default" { return (name, "built in (the schema; the terminal's own text and background)") }
            guard let url = url(forTheme: name) else { return (name, "built in") }
            guard let builtIn = BuiltinThemes.files[name] else { return (name, url.path) }
            let same = (try? String(contentsOf: url, encoding: .utf8)) == builtIn
            return (name, url.path + (same ? " (the same as the built-in copy)" : " (overrides the built-in copy)"))
        }
    }

    /// Loads one theme file over the built-in default; its name is the file name without
    /// `.theme`.
    public static func load(file: URL) throws -> LoadedTheme {
        if let reason = unsuitable(file.path) { throw ThemeError.unreadable(path: file.path, reason: reason) }
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: file.path)
                ? "not UTF-8 text" : "no such file"
            throw ThemeError.unreadable(path: file.path, reason: reason)
        }
        let name = file.deletingPathExtension().lastPathComponent
        let (theme, warnings) = Theme.parse(text, name: name, file: file.lastPathComponent)
        return LoadedTheme(theme: theme, warnings: warnings)
    }

    /// The most a theme file may hold (1 MiB; the shipped ones are about 2 KB): a larger file is
    /// no theme, and reading and parsing it would take minutes.
    public static let maximumBytes = 1 << 20

    /// Why `path` is no theme file to read, before it is opened: a folder, a device or a FIFO
    /// (opening one for reading may wait for a writer forever) was called "not UTF-8 text".
    static func unsuitable(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return info.st_size > maximumBytes
                ? "it holds \(info.st_size) bytes; a theme file may hold at most \(maximumBytes) (1 MB)" : nil
        case S_IFDIR: return "it is a folder; give a .theme file"
        case S_IFCHR, S_IFBLK: return "it is a device, not a theme file"
        case S_IFIFO: return "it is a FIFO (named pipe), not a theme file"
        default: return "it is not a regular file"
        }
    }
}
