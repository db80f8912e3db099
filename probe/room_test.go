package probe_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

// A Prober and a Room serve one input after another, as the command's
// checks use them: what an input's Info says, and what its full read
// (the Prober's ReadAll) finds, must not depend on the inputs probed
// before it. Every file of the
// committed corpus, in every format, is probed in one Prober and one Room
// forward, backward and right after the largest file, and each must come
// out as it does probed on its own.
func TestRoomKeepsNothingOfTheInputBefore(t *testing.T) {
	var names []string
	for _, dir := range []string{"../testdata/corpus/*/*", "../testdata/samples/*"} {
		found, err := filepath.Glob(dir)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, found...)
	}
	var files [][]byte
	var kept []string
	for _, n := range names {
		if fi, err := os.Stat(n); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files, kept = append(files, data), append(kept, n)
	}
	names = kept
	if len(files) < 1000 {
		t.Fatalf("corpus: %d files", len(files))
	}

	alone := make([]string, len(files))
	for i, data := range files {
		alone[i] = probeOnce(t, nil, nil, data, names[i])
	}
	var p probe.Prober
	var room probe.Room
	inOrder := func(order []int) {
		for _, i := range order {
			if got := probeOnce(t, &p, &room, files[i], names[i]); got != alone[i] {
				t.Errorf("%s: probed after another input in the same room:\n got %s\nwant %s", names[i], got, alone[i])
			}
		}
	}
	order := make([]int, len(files))
	largest := 0
	for i := range order {
		order[i] = i
		if len(files[i]) > len(files[largest]) {
			largest = i
		}
	}
	inOrder(order)
	slices.Reverse(order)
	inOrder(order)
	for i := range files {
		inOrder([]int{largest, i})
	}
}

// probeOnce probes and reads one input, in p and room when given (the
// full read too, with p's ReadAll), and
// describes all it found — the Info as JSON and the fields JSON leaves
// out, the full read — before anything can use the room again.
func probeOnce(t *testing.T, p *probe.Prober, room *probe.Room, data []byte, name string) string {
	t.Helper()
	r := bytes.NewReader(data)
	size := int64(len(data))
	var info *probe.Info
	var err error
	if p == nil {
		info, err = probe.Probe(r, size, name)
	} else {
		info, err = p.Probe(r, size, name, room)
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	header, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	var settled, samples string
	if info.Settled != nil {
		settled = fmt.Sprintf("%+v", *info.Settled)
	}
	if info.Samples != nil {
		samples = fmt.Sprintf("%+v", *info.Samples)
	}
	var read *probe.ReadResult
	if p == nil {
		read, err = probe.ReadAll(r, size, info)
	} else {
		read, err = p.ReadAll(r, size, info)
	}
	probe.Release(info)
	return fmt.Sprintf("%s\nsettled %s\nsamples %s\nread %+v %v", header, settled, samples, read, err)
}
