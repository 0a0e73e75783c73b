import Foundation
import GraphExport
import GraphLanguage
import Screen
import Synchronization

/// Runs the effects the reducer returns: reads files, loads themes, writes exports. Quick
/// effects answer at once with the actions to feed back; a Graphviz render answers later
/// through `deliver` (the shell drains those from a `Mailbox` between keys).
public struct EffectRunner: Sendable {
    public var deliver: @Sendable (Action) -> Void
    public var themes: ThemeLoader

    public init(themes: ThemeLoader = ThemeLoader(), deliver: @escaping @Sendable (Action) -> Void) {
        self.themes = themes
        self.deliver = deliver
    }

    /// Runs one effect (`.quit` is the shell's business and does nothing here).
    public func perform(_ effect: Effect) -> [Action] {
        switch effect {
        case .quit:
            return []
        case .open(let path):
            return [.loaded(GraphLoader.load(path: path))]
        case .loadTheme(let name):
            do {
                return [.themeLoaded(name: name, .success(try themes.load(named: name).theme))]
            } catch let error as ThemeError {
                return [.themeLoaded(name: name, .failure(error))]
            } catch {
                return [.notify(.error("\(error)"))]
            }
        case .export(let dot, let format, let path):
            let url = URL(fileURLWithPath: path)
            guard format.needsGraphviz else {
                do {
                    try Data(dot.utf8).write(to: url, options: .atomic)
                    return [.notify(.info("wrote \(path)"))]
                } catch {
                    return [.notify(.error("cannot write \(path): \(error.localizedDescription)"))]
                }
            }
            let graphviz: Graphviz
            do { graphviz = try Graphviz.locate() } catch { return [.notify(.error(error.description))] }
            let deliver = self.deliver
            Task {
                do {
                    try await graphviz.render(dot, format: format, to: url)
                    deliver(.notify(.info("wrote \(path)")))
                } catch {
                    deliver(.notify(.error("\(error)")))
                }
            }
            return []
        }
    }
}

/// Actions that arrive from background work, collected until the input loop takes them.
public final class Mailbox: Sendable {
    private let box = Mutex<[Action]>([])

    public init() {}

    public func post(_ action: Action) { box.withLock { $0.append(action) } }

    /// Everything posted since the last call, oldest first.
    public func drain() -> [Action] { box.withLock { list in defer { list = [] }; return list } }
}
