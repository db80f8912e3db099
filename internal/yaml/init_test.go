package yaml_test

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/inittrace"
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
	for _, i := range inittrace.OfTestBinary(t, 3) {
		if i.Package == "github.com/audiopreflight/audiopreflight/internal/yaml" && (i.Bytes != 0 || i.Allocs != 0) {
			t.Errorf("the package's initialiser allocates: %s", i.Line)
		}
	}
}
