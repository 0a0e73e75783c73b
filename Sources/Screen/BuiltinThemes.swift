// Generated from Themes/*.theme; BuiltinThemeTests checks that it matches them. After
// editing a theme file, regenerate with
//     GRADSTEP_RECORD_BUILTIN_THEMES=1 swift test --disable-xctest --enable-swift-testing --filter BuiltinThemeTests

/// The shipped themes' files, compiled in, so an installed `gradstep` has all of them
/// wherever it runs. A `<name>.theme` file in a `Themes/` folder on the search path still
/// overrides the built-in copy of that name (`ThemeLoader`).
public enum BuiltinThemes {
    /// Theme file text by name (`dark` for `Themes/dark.theme`).
    public static let files: [String: String] = [
        "colorblind": ##"""
# gradstep colour-blind-safe theme: the Okabe-Ito palette on a dark background.
# Tangent (bluish green), adjoint (orange) and kink/error (vermillion) stay distinct with
# deuteranopia, protanopia and tritanopia.
# One role per line: role = "#RRGGBB". Roles left out fall back to the built-in default.

background   = "#1c1c1c"    # the screen's background
text         = "#e4e4e4"    # ordinary text
muted        = "#9f9f9f"    # hints, units, secondary text
border       = "#585858"    # pane borders
focus_border = "#56b4e9"    # border of the pane with keyboard focus (sky blue)
title        = "#56b4e9"    # pane titles (sky blue)
header       = "#d0d0d0"    # table headers (trace table columns)
value        = "#56b4e9"    # primal values (sky blue)
tangent      = "#2fb08d"    # tangents (forward mode, dual parts) (bluish green)
adjoint      = "#e69f00"    # adjoints (reverse mode, cotangents) (orange)
partial      = "#c8b48a"    # partial adjoints: sums still receiving terms (k/n)
current      = "#f0e442"    # the node the stepper is at (drawn reversed) (yellow)
done         = "#bcbcbc"    # nodes the current sweep has visited
selected     = "#cc79a7"    # the node or row the user selected (drawn reversed) (reddish purple)
input        = "#56b4e9"    # input variables v₋ₙ..v₀ (sky blue)
param        = "#cc79a7"    # parameters (weights) (reddish purple)
constant     = "#a8a8a8"    # constants
output       = "#f0e442"    # the output y (yellow)
kink         = "#ff7d29"    # non-differentiable points (relu/abs at 0) (vermillion, lightened to read on dark fills)
edge         = "#6c6c6c"    # graph edges
error        = "#ff7d29"    # error messages (vermillion, lightened)
warning      = "#e69f00"    # warnings (orange)
info         = "#56b4e9"    # informational messages (sky blue)
status_bar   = "#303030"    # status bar fill
status_text  = "#e4e4e4"    # text on the status bar
key          = "#f0e442"    # key names in the footer and help (yellow)

"""##,
        "colorblind-light": ##"""
# gradstep colour-blind-safe light theme: the Okabe-Ito palette on white, for handouts and
# slides. Each hue is darkened until its text reads at a contrast of at least 4.5:1 on
# every fill it is drawn on; tangent (bluish green), adjoint (orange) and kink/error
# (vermillion) stay distinct with deuteranopia, protanopia and tritanopia.
# One role per line: role = "#RRGGBB". Roles left out fall back to the built-in default.

background   = "#ffffff"    # the screen's background
text         = "#1a1a1a"    # ordinary text
muted        = "#5e5e5e"    # hints, units, secondary text
border       = "#8a8a8a"    # pane borders
focus_border = "#0072b2"    # border of the pane with keyboard focus (blue)
title        = "#0072b2"    # pane titles (blue)
header       = "#3a3a3a"    # table headers (trace table columns)
value        = "#0069a4"    # primal values (blue)
tangent      = "#007253"    # tangents (forward mode, dual parts) (bluish green)
adjoint      = "#875e00"    # adjoints (reverse mode, cotangents) (orange)
partial      = "#6e5f45"    # partial adjoints: sums still receiving terms (k/n)
current      = "#7d7722"    # the node the stepper is at (drawn reversed) (yellow)
done         = "#5e5e5e"    # nodes the current sweep has visited
selected     = "#9f5f83"    # the node or row the user selected (drawn reversed) (reddish purple)
input        = "#0072b2"    # input variables v₋ₙ..v₀ (blue)
param        = "#9f5f83"    # parameters (weights) (reddish purple)
constant     = "#6e6e6e"    # constants
output       = "#1a1a1a"    # the output y
kink         = "#a64a00"    # non-differentiable points (relu/abs at 0) (vermillion)
edge         = "#7a7a7a"    # graph edges
error        = "#bc5300"    # error messages (vermillion)
warning      = "#996a00"    # warnings (orange)
info         = "#0072b2"    # informational messages (blue)
status_bar   = "#e4e4e4"    # status bar fill
status_text  = "#1a1a1a"    # text on the status bar
key          = "#1a1a1a"    # key names in the footer and help

"""##,
        "dark": ##"""
# gradstep dark theme: for dark terminals (Catppuccin Mocha colours).
# One role per line: role = "#RRGGBB" ("default" = the terminal's own colour).
# Roles left out fall back to the built-in default theme.

background   = "#1e1e2e"    # the screen's background
text         = "#cdd6f4"    # ordinary text
muted        = "#aeb1c0"    # hints, units, secondary text
border       = "#585b70"    # pane borders
focus_border = "#89b4fa"    # border of the pane with keyboard focus
title        = "#b4befe"    # pane titles
header       = "#bac2de"    # table headers (trace table columns)
value        = "#89b4fa"    # primal values
tangent      = "#a6e3a1"    # tangents (forward mode, dual parts)
adjoint      = "#fab387"    # adjoints (reverse mode, cotangents)
partial      = "#c6a0a0"    # partial adjoints: sums still receiving terms (k/n)
current      = "#f9e2af"    # the node the stepper is at (drawn reversed)
done         = "#94e2d5"    # nodes the current sweep has visited
selected     = "#74c7ec"    # the node or row the user selected (drawn reversed)
input        = "#89dceb"    # input variables v₋ₙ..v₀
param        = "#cba6f7"    # parameters (weights)
constant     = "#a6adc8"    # constants
output       = "#f5c2e7"    # the output y
kink         = "#eba0ac"    # non-differentiable points (relu/abs at 0)
edge         = "#6c7086"    # graph edges
error        = "#f38ba8"    # error messages
warning      = "#f9e2af"    # warnings
info         = "#89dceb"    # informational messages
status_bar   = "#313244"    # status bar fill
status_text  = "#cdd6f4"    # text on the status bar
key          = "#f9e2af"    # key names in the footer and help

"""##,
        "light": ##"""
# gradstep light theme: for light terminals (Catppuccin Latte colours).
# One role per line: role = "#RRGGBB" ("default" = the terminal's own colour).
# Roles left out fall back to the built-in default theme.

background   = "#eff1f5"    # the screen's background
text         = "#4c4f69"    # ordinary text
muted        = "#595c68"    # hints, units, secondary text
border       = "#acb0be"    # pane borders
focus_border = "#1e66f5"    # border of the pane with keyboard focus
title        = "#5566be"    # pane titles
header       = "#5c5f77"    # table headers (trace table columns)
value        = "#1953c8"    # primal values
tangent      = "#29671d"    # tangents (forward mode, dual parts)
adjoint      = "#9c3c0b"    # adjoints (reverse mode, cotangents)
partial      = "#7d5a50"    # partial adjoints: sums still receiving terms (k/n)
current      = "#945f13"    # the node the stepper is at (drawn reversed)
done         = "#12777d"    # nodes the current sweep has visited
selected     = "#187383"    # the node or row the user selected (drawn reversed)
input        = "#04729f"    # input variables v₋ₙ..v₀
param        = "#8839ef"    # parameters (weights)
constant     = "#686b80"    # constants
output       = "#9c4e87"    # the output y
kink         = "#a6323c"    # non-differentiable points (relu/abs at 0)
edge         = "#9ca0b0"    # graph edges
error        = "#d20f39"    # error messages
warning      = "#945f13"    # warnings
info         = "#04729f"    # informational messages
status_bar   = "#ccd0da"    # status bar fill
status_text  = "#4c4f69"    # text on the status bar
key          = "#b7480b"    # key names in the footer and help

"""##,
        "print": ##"""
# gradstep print theme: black on white for screenshots, slides and printouts.
# Roles differ by lightness, not hue, so they stay apart when printed in greyscale;
# the current node, titles and errors also get attributes (reverse, bold) from the default.
# One role per line: role = "#RRGGBB". Roles left out fall back to the built-in default.

background   = "#ffffff"    # the screen's background
text         = "#000000"    # ordinary text
muted        = "#585858"    # hints, units, secondary text
border       = "#9e9e9e"    # pane borders
focus_border = "#000000"    # border of the pane with keyboard focus
title        = "#000000"    # pane titles
header       = "#3a3a3a"    # table headers (trace table columns)
value        = "#000000"    # primal values
tangent      = "#585858"    # tangents (forward mode, dual parts)
adjoint      = "#444444"    # adjoints (reverse mode, cotangents)
partial      = "#6b6b6b"    # partial adjoints: sums still receiving terms (k/n)
current      = "#000000"    # the node the stepper is at (drawn reversed)
done         = "#757575"    # nodes the current sweep has visited
selected     = "#585858"    # the node or row the user selected (drawn reversed)
input        = "#262626"    # input variables v₋ₙ..v₀
param        = "#4e4e4e"    # parameters (weights)
constant     = "#717171"    # constants
output       = "#000000"    # the output y
kink         = "#000000"    # non-differentiable points (relu/abs at 0)
edge         = "#6c6c6c"    # graph edges
error        = "#000000"    # error messages
warning      = "#444444"    # warnings
info         = "#585858"    # informational messages
status_bar   = "#d0d0d0"    # status bar fill
status_text  = "#000000"    # text on the status bar
key          = "#000000"    # key names in the footer and help

"""##,
    ]
}
