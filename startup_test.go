package main

import (
	"fmt"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/inittrace"
)

// initBudget is the most the package initialisers of the binary may
// allocate at every start, all packages together. Start-up is paid by every
// run — a header check of a thousand small files took 2.5 of its 7.3 ms to
// start — and what initialisers allocate is the part that grows quietly: a
// dependency that compiles its regexps at init (minio-go's s3utils: 281 KB),
// a Markdown renderer linked for one hidden command (blackfriday: 214 KB).
// Work that only some runs need is done at first use (internal/lazy).
// Measured: 74 KB (99 KB while go.yaml.in/yaml/v3 filled its tables and
// compiled its regexps at init, 199 KB while go-mp3 made its 74 KB of sample
// tables; their copies, internal/yaml and internal/mp3dec, make them on
// first use), of which the project's own packages made 20 KB in 154
// allocations, now 72 bytes in 2.
const initBudget = 300 << 10

func TestStartupInitAllocations(t *testing.T) {
	inits := binaryInits(t)
	total := 0
	for _, i := range inits {
		total += i.Bytes
	}
	if total > initBudget {
		sort.Slice(inits, func(i, j int) bool { return inits[i].Bytes > inits[j].Bytes })
		var top strings.Builder
		for _, i := range inits[:min(10, len(inits))] {
			fmt.Fprintf(&top, "\n  %8d B  %s", i.Bytes, i.Package)
		}
		t.Errorf("package initialisers allocate %d bytes at every start, over the budget of %d; the largest:%s", total, initBudget, top.String())
	}
}

// binaryInits are the package initialisers a run of the binary reports
// under GODEBUG=inittrace=1.
func binaryInits(t *testing.T) []inittrace.Init {
	t.Helper()
	_, _, stderr := runBinary(t, nil, []string{"GODEBUG=inittrace=1"}, "--version")
	inits := inittrace.Parse(stderr)
	if len(inits) < 50 {
		t.Fatalf("GODEBUG=inittrace=1 reported %d package inits; stderr:\n%s", len(inits), stderr)
	}
	return inits
}

// noInitWork are packages that must run no initialiser at all: the
// processor's features are asked by the first kernel that needs them
// (CPUID traps to the hypervisor in a virtual machine, and
// golang.org/x/sys/cpu asks at every start), and checksum tables are
// built by the first call that needs them. The project's own packages hold
// their tables and sets as literals the linker lays out (slices, arrays,
// switches; a map literal is filled by the initialiser) and make what only
// some runs need on first use with internal/lazy (sync.OnceValue's
// closures are allocated by the initialiser). Even an initialiser that
// allocates nothing costs its first touch of a page of code: a page fault,
// a few microseconds in a virtual machine.
var noInitWork = []string{
	"golang.org/x/sys/cpu",
	"github.com/audiopreflight/audiopreflight/cmd",
	"github.com/audiopreflight/audiopreflight/internal/config",
	"github.com/audiopreflight/audiopreflight/internal/cpufeature",
	"github.com/audiopreflight/audiopreflight/internal/fix",
	"github.com/audiopreflight/audiopreflight/internal/objectstore",
	"github.com/audiopreflight/audiopreflight/internal/oggcrc",
	"github.com/audiopreflight/audiopreflight/internal/oggmux",
	"github.com/audiopreflight/audiopreflight/internal/pcm",
	"github.com/audiopreflight/audiopreflight/internal/pybase64",
	"github.com/audiopreflight/audiopreflight/internal/redact",
	"github.com/audiopreflight/audiopreflight/internal/remote",
	"github.com/audiopreflight/audiopreflight/internal/report",
	"github.com/audiopreflight/audiopreflight/internal/resample",
	"github.com/audiopreflight/audiopreflight/internal/version",
	"github.com/audiopreflight/audiopreflight/internal/wavheader",
	"github.com/audiopreflight/audiopreflight/validate",
	"github.com/audiopreflight/audiopreflight/probe",
}

func TestStartupNoInitWork(t *testing.T) {
	ran := map[string]inittrace.Init{}
	for _, i := range binaryInits(t) {
		ran[i.Package] = i
	}
	for _, p := range noInitWork {
		if i, ok := ran[p]; ok {
			t.Errorf("%s runs an initialiser at every start: %s", p, i.Line)
		}
	}
	for p, i := range ran {
		if strings.HasPrefix(p, "github.com/audiopreflight/audiopreflight/") && i.Bytes != 0 && !slices.Contains(initAllocates, p) {
			t.Errorf("%s allocates at every start: %s", p, i.Line)
		}
	}
}

// initAllocates are the project's packages whose initialisers may still
// allocate; every other one that runs an initialiser (the formats, which
// register themselves with the prober) allocates nothing.
var initAllocates = []string{}

// notLinked are packages the binary must not link, each for what its
// package initialisation would cost every run: prefixes of import paths,
// with why.
var notLinked = []struct{ prefix, why string }{
	{"github.com/audiopreflight/audiopreflight/internal/manpages", "the man pages are written by scripts/release/manpages"},
	{"github.com/spf13/cobra/doc", "the man pages' renderer"},
	{"github.com/cpuguy83/go-md2man/", "the man pages' renderer"},
	{"github.com/russross/blackfriday/", "the man pages' Markdown parser"},
	{"github.com/invopop/jsonschema", "the config schema is generated by internal/config's tests and embedded"},
	{"go.yaml.in/yaml/v4", "the schema generator's YAML library"},
	{"go/", "the schema generator's source parser (doc comments)"},
	{"github.com/hajimehoshi/go-mp3", "its copy, internal/mp3dec, makes its tables on first use"},
	{"go.yaml.in/yaml/v3", "its copy, internal/yaml, makes its tables and regexps on first use"},
	{"golang.org/x/sys/cpu", "internal/cpufeature asks the processor on first use"},
}

func TestBinaryLinksNoneOfTheStartUpCosts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/audiopreflight/audiopreflight/cmd") {
		t.Fatalf("go list -deps does not list the command line package:\n%s", out)
	}
	for _, pkg := range deps {
		for _, n := range notLinked {
			if strings.HasPrefix(pkg, n.prefix) {
				t.Errorf("audiopreflight links %s (%s)", pkg, n.why)
			}
		}
	}
}
