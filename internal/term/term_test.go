package term

import (
	"bytes"
	"os"
	"runtime"
	"testing"
)

// Neither the null device (a character device, not a terminal), a pipe,
// a file nor a buffer is a terminal: output sent there is not painted.
func TestIsTerminalOnlyForTerminals(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, out := range map[string]any{os.DevNull: null, "a pipe": w, "a file": file, "a buffer": &bytes.Buffer{}} {
		if IsTerminal(out) {
			t.Errorf("%s is taken for a terminal", name)
		}
		if p := NewPalette(out.(interface{ Write([]byte) (int, error) }), false, func(string) string { return "" }); p.Enabled() {
			t.Errorf("output to %s is painted", name)
		}
	}
	if runtime.GOOS != "windows" {
		if st, err := null.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%s is not a character device here (%v): the test proves nothing", os.DevNull, err)
		}
	}
}
