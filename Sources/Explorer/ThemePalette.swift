import GraphExport
import Screen

extension DotPalette {
    /// The DOT colours of a theme, role by role, so pictures match the explorer. Roles the
    /// theme leaves to the terminal's own colour take the print-friendly default's colour.
    public init(theme: Theme) {
        let base = DotPalette.light
        func pick(_ role: Role, _ fallback: String) -> String { theme.color(for: role)?.hex ?? fallback }
        self.init(background: pick(.background, base.background), text: pick(.text, base.text),
                  muted: pick(.muted, base.muted), border: pick(.border, base.border),
                  title: pick(.title, base.title), value: pick(.value, base.value),
                  tangent: pick(.tangent, base.tangent), adjoint: pick(.adjoint, base.adjoint),
                  current: pick(.current, base.current), done: pick(.done, base.done),
                  input: pick(.input, base.input), param: pick(.param, base.param),
                  constant: pick(.constant, base.constant), output: pick(.output, base.output),
                  kink: pick(.kink, base.kink), edge: pick(.edge, base.edge))
    }
}
