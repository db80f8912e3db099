package probe_test

import (
	"testing"

	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats"
)

// Registering every format happens at every start: it must fit the room
// the registry holds for it, or it allocates.
func TestAllFormatsRegisterInPlace(t *testing.T) {
	if n := len(probe.Formats()); n > probe.AddedRoom {
		t.Errorf("%d formats registered, room for %d: make addedRoom larger", n, probe.AddedRoom)
	}
}
