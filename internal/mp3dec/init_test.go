package mp3dec_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoInitWork: no package of the decoder does anything at package init.
// Every run of the program links them, and only fix decodes MP3: go-mp3's
// tables, made at init, cost every run 0.3–0.4 ms and 73 KB before they
// were made on first use. This test binary links every one of them (the
// decoder imports them all); run again with GODEBUG=inittrace=1, the
// runtime names each package whose init does work.
func TestNoInitWork(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	godebug := "inittrace=1"
	if v := os.Getenv("GODEBUG"); v != "" {
		godebug = v + "," + godebug
	}
	cmd.Env = append(os.Environ(), "GODEBUG="+godebug)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	const pkg = "github.com/audiopreflight/audiopreflight/internal/mp3dec"
	inits := 0
	for _, line := range strings.Split(string(out), "\n") {
		name, ok := strings.CutPrefix(line, "init ")
		if !ok {
			continue
		}
		inits++
		name, _, _ = strings.Cut(name, " ")
		if name == pkg || strings.HasPrefix(name, pkg+"/") {
			t.Errorf("package init does work: %s", line)
		}
	}
	if inits < 3 {
		t.Fatalf("GODEBUG=inittrace=1 reported %d package inits:\n%s", inits, out)
	}
}
