package remote_test

import (
	"context"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
	"github.com/audiopreflight/audiopreflight/probe"
)

// BenchmarkHeaderCheck opens a 2 GiB remote file and probes its headers
// (prefix, a structure past it, the end) over loopback HTTP/1.1, reporting
// the bytes and requests each check costs.
func BenchmarkHeaderCheck(b *testing.B) {
	srv := remotetest.New(b)
	content := remotetest.Pattern{Head: testHead(700 << 20), Size: 2 << 30}
	srv.Add("/big.apf", content, content.Size, remotetest.Behaviour{})
	c := newClient(srv)
	var transferred int64
	srv.ResetCounts()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o, f := c.Open(context.Background(), srv.URL("/big.apf"))
		if f != nil {
			b.Fatal(f.Detail)
		}
		if _, err := probe.Probe(o, o.Size(), o.Name()); err != nil {
			b.Fatal(err)
		}
		transferred += o.BytesTransferred()
		o.Close()
	}
	b.ReportMetric(float64(transferred)/float64(b.N), "bytes/op")
	b.ReportMetric(float64(len(srv.Requests()))/float64(b.N), "requests/op")
}

// BenchmarkFullRead reads a 32 MiB remote file forward through ReadAt, as
// a full check does.
func BenchmarkFullRead(b *testing.B) {
	srv := remotetest.New(b)
	body := make([]byte, 32<<20)
	copy(body, testHead(1<<20))
	srv.AddBytes("/long.apf", body, remotetest.Behaviour{})
	c := newClient(srv)
	buf := make([]byte, 16<<10)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o, f := c.Open(context.Background(), srv.URL("/long.apf"))
		if f != nil {
			b.Fatal(f.Detail)
		}
		for off := int64(0); off < o.Size(); off += int64(len(buf)) {
			if _, err := o.ReadAt(buf, off); err != nil && off+int64(len(buf)) < o.Size() {
				b.Fatal(err)
			}
		}
		if f := o.FinishDownload(); f != nil {
			b.Fatal(f.Detail)
		}
		o.Close()
	}
}
