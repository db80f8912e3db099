package wav

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
)

// The header state is pooled (newState, release): what a file's check
// finds must not depend on the file checked before it. Every WAV of the
// committed corpus is probed after its neighbour in one order and then in
// the other, and each file's Info must come out the same.
func TestPooledStateKeepsNothingOfTheFileBefore(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", "wav", "*"))
	if err != nil || len(names) < 50 {
		t.Fatalf("corpus: %d files, %v", len(names), err)
	}
	files := make([][]byte, len(names))
	for i, n := range names {
		if files[i], err = os.ReadFile(n); err != nil {
			t.Fatal(err)
		}
	}
	probeAll := func(order []int) map[int]string {
		out := map[int]string{}
		for _, i := range order {
			data := files[i]
			info, err := readWAVHeaderIn(bytes.NewReader(data), int64(len(data)), new(probe.Room))
			b, _ := json.Marshal(info)
			out[i] = string(b) + "|" + errString(err)
		}
		return out
	}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	forward := probeAll(order)
	slices.Reverse(order)
	backward := probeAll(order)
	// and each file right after the largest, whose walk fills the most
	largest := 0
	for i := range files {
		if len(files[i]) > len(files[largest]) {
			largest = i
		}
	}
	for i := range files {
		probeAll([]int{largest})
		after := probeAll([]int{i})
		if forward[i] != backward[i] || forward[i] != after[i] {
			t.Errorf("%s: the probe's result depends on the file probed before:\n  %s\n  %s\n  %s", names[i], forward[i], backward[i], after[i])
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
