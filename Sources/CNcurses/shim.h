// ncursesw for Swift. Only the Terminal target imports this.
//
// NCURSES_WIDECHAR must be defined before curses.h, or the wide-character API (cchar_t,
// setcchar, mvadd_wch, get_wch) is hidden; SwiftPM would drop the -D from pkg-config.
// ncurses' globals (stdscr, LINES, COLS, COLORS) are not concurrency-safe in Swift 6 and its
// function-like macros (getmaxyx, A_BOLD, BUTTON1_PRESSED, ...) are not imported, so the
// accessors below wrap them.
#ifndef GRADSTEP_CNCURSES_SHIM_H
#define GRADSTEP_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// MARK: Globals
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *cnc_stdin(void) { return stdin; }
static inline FILE *cnc_stdout(void) { return stdout; }
static inline void cnc_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }

// MARK: Attributes
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }

// MARK: Keys
static inline int cnc_key_f(int n) { return KEY_F(n); }
static inline int cnc_err(void) { return ERR; }
static inline int cnc_ok(void) { return OK; }

// MARK: Mouse
static inline mmask_t cnc_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t cnc_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline mmask_t cnc_button_pressed(int b) { return NCURSES_MOUSE_MASK(b, NCURSES_BUTTON_PRESSED); }
static inline mmask_t cnc_button_released(int b) { return NCURSES_MOUSE_MASK(b, NCURSES_BUTTON_RELEASED); }
static inline mmask_t cnc_button_clicked(int b) { return NCURSES_MOUSE_MASK(b, NCURSES_BUTTON_CLICKED); }

#endif
