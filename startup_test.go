package main

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// initBudget is the most the package initialisers of the binary may
// allocate at every start, all packages together. Start-up is paid by every
// run — a header check of a thousand small files took 2.5 of its 7.3 ms to
// start — and what initialisers allocate is the part that grows quietly: a
// dependency that compiles its regexps at init (minio-go's s3utils: 281 KB),
// a Markdown renderer linked for one hidden command (blackfriday: 214 KB).
// Work that only some runs need is done at first use (sync.OnceValue).
// Measured: 127 KB (199 KB while go-mp3 made its 74 KB of sample tables
// at init; internal/mp3dec makes them on first use).
const initBudget = 300 << 10

var initLine = regexp.MustCompile(`^init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)

func TestStartupInitAllocations(t *testing.T) {
	_, _, stderr := runBinary(t, nil, []string{"GODEBUG=inittrace=1"}, "--version")
	type pkg struct {
		name  string
		bytes int
	}
	var pkgs []pkg
	total := 0
	for _, line := range strings.Split(stderr, "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		pkgs = append(pkgs, pkg{m[1], n})
		total += n
	}
	if len(pkgs) < 50 {
		t.Fatalf("GODEBUG=inittrace=1 reported %d package inits; stderr:\n%s", len(pkgs), stderr)
	}
	if total > initBudget {
		sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].bytes > pkgs[j].bytes })
		var top strings.Builder
		for _, p := range pkgs[:min(10, len(pkgs))] {
			fmt.Fprintf(&top, "\n  %8d B  %s", p.bytes, p.name)
		}
		t.Errorf("package initialisers allocate %d bytes at every start, over the budget of %d; the largest:%s", total, initBudget, top.String())
	}
}

// noInitWork are packages that must run no initialiser at all: the
// processor's features are asked by the first kernel that needs them
// (CPUID traps to the hypervisor in a virtual machine, and
// golang.org/x/sys/cpu asks at every start), and checksum tables are
// built by the first call that needs them.
var noInitWork = []string{
	"golang.org/x/sys/cpu",
	"github.com/audiopreflight/audiopreflight/internal/cpufeature",
	"github.com/audiopreflight/audiopreflight/internal/oggcrc",
	"github.com/audiopreflight/audiopreflight/internal/oggmux",
	"github.com/audiopreflight/audiopreflight/internal/resample",
}

func TestStartupNoInitWork(t *testing.T) {
	_, _, stderr := runBinary(t, nil, []string{"GODEBUG=inittrace=1"}, "--version")
	ran := map[string]string{}
	for _, line := range strings.Split(stderr, "\n") {
		if m := initLine.FindStringSubmatch(line); m != nil {
			ran[m[1]] = line
		}
	}
	if len(ran) < 50 {
		t.Fatalf("GODEBUG=inittrace=1 reported %d package inits; stderr:\n%s", len(ran), stderr)
	}
	for _, p := range noInitWork {
		if line, ok := ran[p]; ok {
			t.Errorf("%s runs an initialiser at every start: %s", p, line)
		}
	}
}
