package yaml_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestInitAllocatesNothing: the package's initialiser makes nothing.
// Every run of the program links this package, and only the runs that find
// a config file parse YAML: upstream's initialiser compiled two regexps and
// filled the resolve and tag tables (25.7 KB in 276 allocations, 0.09 ms, at
// every start). What is left of it sets decode.go's reflect.Type variables,
// which allocates nothing. This test binary, run again with
// GODEBUG=inittrace=1, has the runtime report the initialiser's
// allocations.
func TestInitAllocatesNothing(t *testing.T) {
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
	line := regexp.MustCompile(`(?m)^init github\.com/audiopreflight/audiopreflight/internal/yaml @.*$`).Find(out)
	if line == nil {
		if !strings.Contains(string(out), "init runtime @") {
			t.Fatalf("GODEBUG=inittrace=1 reported no package init:\n%s", out)
		}
		return // no initialiser at all
	}
	if !strings.HasSuffix(string(line), ", 0 bytes, 0 allocs") {
		t.Errorf("the package's initialiser allocates: %s", line)
	}
}
