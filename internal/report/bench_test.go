package report

import (
	"io"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/term"
	"github.com/audiopreflight/audiopreflight/validate"
)

// BenchmarkOutput measures the output path per result (the copy, the
// redaction and escaping of every string, the rendering).
func BenchmarkOutput(b *testing.B) {
	results := fixtureResults(validate.Request{Type: validate.Unscripted, SyncLimit: 1000})
	for _, format := range []string{"text", "jsonl"} {
		b.Run(format, func(b *testing.B) {
			out, _ := New(format, io.Discard, Options{Run: Run{Request: "unscripted", Mode: "sync"}, Palette: term.Palette{}})
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out.Write(results[i%len(results)])
			}
		})
	}
}
