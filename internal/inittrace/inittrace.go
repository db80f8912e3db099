// Package inittrace reads what the runtime reports of package initialisers
// under GODEBUG=inittrace=1, for the tests that hold packages to doing no
// work at every start of the program (startup_test.go, internal/mp3dec,
// internal/yaml).
package inittrace

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Init is one package initialiser the runtime reported.
type Init struct {
	Package       string
	Bytes, Allocs int
	Line          string // as reported
}

var initLine = regexp.MustCompile(`^init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)

// Parse finds the initialisers reported in output, in their order.
func Parse(output string) []Init {
	var inits []Init
	for _, line := range strings.Split(output, "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		bytes, _ := strconv.Atoi(m[2])
		allocs, _ := strconv.Atoi(m[3])
		inits = append(inits, Init{Package: m[1], Bytes: bytes, Allocs: allocs, Line: line})
	}
	return inits
}

// OfTestBinary runs the calling test binary again, with no test selected
// and GODEBUG=inittrace=1, and returns the initialisers the runtime
// reported: those of every package the test binary links. It fails the
// test when the run fails or reports fewer than least.
func OfTestBinary(t testing.TB, least int) []Init {
	t.Helper()
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
	inits := Parse(string(out))
	if len(inits) < least {
		t.Fatalf("GODEBUG=inittrace=1 reported %d package inits:\n%s", len(inits), out)
	}
	return inits
}
