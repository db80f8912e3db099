// Package term decides whether output goes to a terminal and colours it
// only when it does (and the user did not say NO_COLOR or --no-color).
package term

import (
	"io"
	"os"

	xterm "golang.org/x/term"
)

// IsTerminal reports whether w is a terminal: what isatty asks the system
// (a terminal's settings can be read from it), without cgo. A character
// device is not enough — /dev/null is one, and a run with its output or
// its errors sent there painted colours and kept a progress line going
// for nobody. A writer that wraps another (with an Unwrap method) is a
// terminal when what it wraps is.
func IsTerminal(w any) bool {
	if u, ok := w.(interface{ Unwrap() io.Writer }); ok {
		return IsTerminal(u.Unwrap())
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return xterm.IsTerminal(int(f.Fd()))
}

// Palette paints text with ANSI colours, or leaves it alone when disabled.
type Palette struct{ enabled bool }

// NewPalette returns a palette that colours only when w is a terminal,
// noColor is false, NO_COLOR is unset or empty (https://no-color.org) and
// TERM is not "dumb".
func NewPalette(w io.Writer, noColor bool, getenv func(string) string) Palette {
	return Palette{enabled: !noColor && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb" && IsTerminal(w)}
}

// Colours returns a palette that colours, or not, whatever the stream (for
// tests of what the output is on a terminal).
func Colours(enabled bool) Palette { return Palette{enabled: enabled} }

// Enabled reports whether the palette colours.
func (p Palette) Enabled() bool { return p.enabled }

func (p Palette) paint(code, s string) string {
	if !p.enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p Palette) Red(s string) string    { return p.paint("31", s) }
func (p Palette) Green(s string) string  { return p.paint("32", s) }
func (p Palette) Yellow(s string) string { return p.paint("33", s) }
func (p Palette) Cyan(s string) string   { return p.paint("36", s) }
func (p Palette) Bold(s string) string   { return p.paint("1", s) }
func (p Palette) Dim(s string) string    { return p.paint("2", s) }
