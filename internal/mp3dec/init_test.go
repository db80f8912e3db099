package mp3dec_test

import (
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/inittrace"
)

// TestNoInitWork: no package of the decoder does anything at package init.
// Every run of the program links them, and only fix decodes MP3: go-mp3's
// tables, made at init, cost every run 0.3–0.4 ms and 73 KB before they
// were made on first use. This test binary links every one of them (the
// decoder imports them all); run again with GODEBUG=inittrace=1, the
// runtime names each package whose init does work.
func TestNoInitWork(t *testing.T) {
	const pkg = "github.com/audiopreflight/audiopreflight/internal/mp3dec"
	for _, i := range inittrace.OfTestBinary(t, 3) {
		if i.Package == pkg || strings.HasPrefix(i.Package, pkg+"/") {
			t.Errorf("package init does work: %s", i.Line)
		}
	}
}
