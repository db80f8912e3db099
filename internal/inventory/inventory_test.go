package inventory

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// encodeKey writes a key as S3 Inventory does: URL-encoded, '+' for a
// blank.
func encodeKey(k string) string { return url.QueryEscape(k) }

func collect(t *testing.T, seq func(func(Entry, error) bool)) ([]string, error) {
	t.Helper()
	var names []string
	for e, err := range seq {
		if err != nil {
			return names, err
		}
		names = append(names, e.Name())
	}
	return names, nil
}

// Keys come back as stored: '+' is a blank, %2B a plus, %XX any byte.
func TestRowsDecodeKeys(t *testing.T) {
	keys := []string{"a.wav", "take 1/ü.wav", "c++/x+y.flac", "100%.mp3", "ctl\x01char.wav", `q"uote,comma.wav`}
	var csv strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&csv, "%q,%q,\"123\",\"2024-01-01T00:00:00.000Z\"\n", "rec", encodeKey(k))
	}
	got, err := collect(t, Rows(strings.NewReader(csv.String()), DefaultColumns))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, k := range keys {
		want = append(want, "s3://rec/"+k)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestRowsGzippedHeaderAndErrors(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	io.WriteString(w, "Bucket,Key\nrec,a.wav\nrec,b%20c.wav\n")
	w.Close()
	got, err := collect(t, Rows(&gz, DefaultColumns))
	if err != nil || !slices.Equal(got, []string{"s3://rec/a.wav", "s3://rec/b c.wav"}) {
		t.Errorf("gzipped with a header: %q, %v", got, err)
	}
	for in, want := range map[string]string{
		"rec\n":                "row 1 has 1 fields",
		"rec,a.wav\nrec,%zz\n": "row 2: the key \"%zz\" is not URL-encoded",
		"rec,\"a.wav\n":        "row 1: not CSV",
		"rec,\n":               "row 1 has no bucket or no key",
		"\x1f\x8bnot gzip":     "reading the gzipped list",
	} {
		_, err := collect(t, Rows(strings.NewReader(in), DefaultColumns))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error saying %q", in, err, want)
		}
	}
}

// In an inventory of all versions, delete markers and older versions are
// not objects to read.
func TestRowsSkipDeleteMarkersAndOldVersions(t *testing.T) {
	cols, err := ColumnsOf("Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size")
	if err != nil {
		t.Fatal(err)
	}
	in := `"rec","a.wav","v2","true","false","10"
"rec","a.wav","v1","false","false","10"
"rec","b.wav","v3","true","true",""
"rec","c.wav","","true","false","5"
`
	got, err := collect(t, Rows(strings.NewReader(in), cols))
	if err != nil || !slices.Equal(got, []string{"s3://rec/a.wav", "s3://rec/c.wav"}) {
		t.Errorf("%q, %v", got, err)
	}
	if _, err := ColumnsOf("Size, ETag"); err == nil {
		t.Error("a schema without Bucket and Key was taken")
	}
}

// inventoryFixture writes an inventory as S3 lays it out in the
// destination bucket, under root: the manifest in a dated directory and
// the gzipped data files in data/. It returns the manifest's path and the
// names of the objects, in order.
func inventoryFixture(t *testing.T, root string, files, rowsPerFile int) (string, []string) {
	t.Helper()
	base := filepath.Join(root, "inv", "rec", "daily")
	m := Manifest{SourceBucket: "rec", DestinationBucket: "arn:aws:s3:::inventories", Version: "2016-11-30",
		FileFormat: "CSV", FileSchema: "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass"}
	var names []string
	for f := range files {
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		for r := range rowsPerFile {
			key := fmt.Sprintf("day %d/take %05d ü.wav", f, r)
			fmt.Fprintf(w, "%q,%q,\"10\",\"2024-01-01T00:00:00.000Z\",\"abc\",\"STANDARD\"\n", "rec", encodeKey(key))
			names = append(names, "s3://rec/"+key)
		}
		w.Close()
		key := fmt.Sprintf("inv/rec/daily/data/%08d-uuid.csv.gz", f)
		sum := md5.Sum(gz.Bytes())
		m.Files = append(m.Files, File{Key: key, Size: int64(gz.Len()), MD5: hex.EncodeToString(sum[:])})
		if err := os.MkdirAll(filepath.Join(base, "data"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(key)), gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dated := filepath.Join(base, "2024-01-02T01-00Z")
	os.MkdirAll(dated, 0o755)
	data, _ := json.Marshal(m)
	manifest := filepath.Join(dated, "manifest.json")
	if err := os.WriteFile(manifest, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return manifest, names
}

func readManifest(t *testing.T, path string) *Manifest {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ParseManifest(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A manifest read from a copy of the destination bucket finds its data
// files, whichever part of the layout was copied, and yields every object
// of every file in order.
func TestManifestEntriesFromLocalCopies(t *testing.T) {
	root := t.TempDir()
	manifest, want := inventoryFixture(t, root, 3, 400)
	m := readManifest(t, manifest)
	if m.DestinationBucketName() != "inventories" {
		t.Errorf("destination %q", m.DestinationBucketName())
	}
	got, err := collect(t, m.Entries(LocalOpener(manifest)))
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("%d entries, %v; want %d", len(got), err, len(want))
	}

	// The data files side by side with the manifest.
	flat := t.TempDir()
	for _, f := range m.Files {
		data, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Key)))
		os.WriteFile(filepath.Join(flat, filepath.Base(f.Key)), data, 0o644)
	}
	data, _ := os.ReadFile(manifest)
	os.WriteFile(filepath.Join(flat, "manifest.json"), data, 0o644)
	got, err = collect(t, m.Entries(LocalOpener(filepath.Join(flat, "manifest.json"))))
	if err != nil || len(got) != len(want) {
		t.Fatalf("flat copy: %d entries, %v", len(got), err)
	}

	// A missing data file, and a damaged one, are errors.
	alone := t.TempDir()
	os.WriteFile(filepath.Join(alone, "manifest.json"), data, 0o644)
	if _, err := collect(t, m.Entries(LocalOpener(filepath.Join(alone, "manifest.json")))); err == nil ||
		!strings.Contains(err.Error(), "copy the inventory's data/ directory") {
		t.Errorf("no data files: %v", err)
	}
	last := filepath.Join(flat, filepath.Base(m.Files[2].Key))
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	io.WriteString(w, "\"rec\",\"other.wav\",\"1\",\"x\",\"y\",\"z\"\n")
	w.Close()
	os.WriteFile(last, gz.Bytes(), 0o644)
	if _, err := collect(t, m.Entries(LocalOpener(filepath.Join(flat, "manifest.json")))); err == nil ||
		!strings.Contains(err.Error(), "the manifest says") {
		t.Errorf("damaged data file: %v", err)
	}
}

func TestParseManifestRefuses(t *testing.T) {
	for in, want := range map[string]string{
		`{"fileFormat":"ORC","fileSchema":"Bucket, Key","files":[]}`:   "only CSV inventories",
		`{"fileFormat":"CSV","fileSchema":"Size","files":[]}`:          "no Bucket or no Key",
		`{"fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{}]}`: "without a key",
		`{"results":[]}`: "not an S3 Inventory manifest.json",
		`not json`:       "not an S3 Inventory manifest.json",
		`{"fileFormat":"Parquet","fileSchema":"Bucket, Key","files":[{}]}`:  "Parquet",
		`{"fileFormat":"CSV","fileSchema":"Bucket, Key, Size","files":[]}x`: "not an S3 Inventory",
	} {
		if _, err := ParseManifest(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", in, err, want)
		}
	}
}

// rowGen produces n rows of a list without allocating.
type rowGen struct {
	i, n int
	line []byte
	rest []byte
}

func (g *rowGen) Read(p []byte) (int, error) {
	if len(g.rest) == 0 {
		if g.i == g.n {
			return 0, io.EOF
		}
		g.line = fmt.Appendf(g.line[:0], "\"rec\",\"k%07d.wav\"\n", g.i)
		g.rest = g.line
		g.i++
	}
	n := copy(p, g.rest)
	g.rest = g.rest[n:]
	return n, nil
}

// Reading a list holds one row at a time: the allocations per row are
// the row's own strings, however long the list.
func TestRowsStream(t *testing.T) {
	const rows = 200_000
	gen := &rowGen{n: rows, line: make([]byte, 0, 64)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for _, err := range Rows(gen, DefaultColumns) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	runtime.ReadMemStats(&after)
	if n != rows {
		t.Fatalf("%d rows", n)
	}
	if per := float64(after.Mallocs-before.Mallocs) / rows; per > 4 {
		t.Errorf("%.1f allocations a row", per)
	}
}
