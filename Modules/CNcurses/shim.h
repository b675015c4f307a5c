#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <stdio.h>
#include <ncursesw/curses.h>

// Function forms of the curses macros Swift cannot import (they expand to stdscr, a C global
// that Swift 6 rejects as shared mutable state, or to bit arithmetic macros).

/// A new screen on stdout/stdin; NULL instead of exiting when the terminal is unusable.
static inline SCREEN *tb_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int tb_rows(void) { return getmaxy(stdscr); }
static inline int tb_columns(void) { return getmaxx(stdscr); }
static inline int tb_keypad_on(void) { return keypad(stdscr, TRUE); }
static inline void tb_timeout(int milliseconds) { timeout(milliseconds); }
static inline int tb_getch(void) { return getch(); }
static inline int tb_erase(void) { return erase(); }
static inline int tb_refresh(void) { return refresh(); }

/// Attribute bits for bold, dim, reverse and underline flags (each 0 or 1).
static inline attr_t tb_attributes(int bold, int dim, int reverse, int underline) {
    return (bold ? A_BOLD : 0) | (dim ? A_DIM : 0) | (reverse ? A_REVERSE : 0) | (underline ? A_UNDERLINE : 0);
}

/// Writes UTF-8 `text` at row `y`, column `x` with `attributes` and color `pair`.
static inline int tb_put(int y, int x, const char *text, attr_t attributes, short pair) {
    attr_set(attributes, pair, NULL);
    return mvaddstr(y, x, text);
}

static inline int tb_key_resize(void) { return KEY_RESIZE; }
static inline int tb_key_btab(void) { return KEY_BTAB; }
