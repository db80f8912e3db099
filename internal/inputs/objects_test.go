package inputs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakeObjects is an object store in memory: names (s3://bucket/key) in
// order, and failures for some prefixes.
type fakeObjects struct {
	names  []string
	files  map[string]string
	broken map[string]error
}

func (f *fakeObjects) IsPrefix(name string) (bool, error) {
	rest := name[5:]
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return false, errors.New("no bucket name")
	}
	return key == "" || strings.HasSuffix(key, "/"), nil
}

func (f *fakeObjects) List(name string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if err := f.broken[name]; err != nil {
			yield("", err)
			return
		}
		prefix := name
		if strings.Count(prefix, "/") == 2 {
			prefix += "/"
		}
		for _, n := range f.names {
			if strings.HasPrefix(n, prefix) && !yield(n, nil) {
				return
			}
		}
	}
}

func (f *fakeObjects) OpenFile(name string) (io.ReadCloser, error) {
	s, ok := f.files[name]
	if !ok {
		return nil, errors.New("no such object")
	}
	return io.NopCloser(strings.NewReader(s)), nil
}

func describe(in []Input) []string {
	var out []string
	for _, x := range in {
		s := x.Kind.String() + " " + x.Name
		if x.Err != nil {
			s += ": " + x.Err.Error()
		}
		out = append(out, s)
	}
	return out
}

func TestObjectsAsInputs(t *testing.T) {
	objs := &fakeObjects{
		names: []string{
			"s3://rec/day1/a.wav", "s3://rec/day1/b.txt", "s3://rec/day1/sub/c.flac", "s3://rec/day1/take 2 ü.mp3",
			"s3://rec/day2/d.wav", "s3://rec/notes/readme.md",
		},
		broken: map[string]error{"s3://gone/": errors.New("listing failed: no such bucket (NoSuchBucket, HTTP 404)")},
	}
	got, err := Expand([]string{"s3://rec/day1/", "s3://rec/x/one.wav", "https://h/a.wav", "s3://rec/notes/", "s3://gone/", "s3:///k"},
		Options{Objects: objs})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"object s3://rec/day1/a.wav",
		"object s3://rec/day1/sub/c.flac",
		"object s3://rec/day1/take 2 ü.mp3",
		"object s3://rec/x/one.wav",
		"url https://h/a.wav",
		"file s3://rec/notes/: nothing to check under this prefix: no key has an audio extension (.wav, .flac, .opus, .ogg, .mp3, ...)",
		"file s3://gone/: listing failed: no such bucket (NoSuchBucket, HTTP 404)",
		"file s3:///k: no bucket name",
	}
	if g := describe(got); !slices.Equal(g, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
	for _, x := range got {
		if x.Err != nil && !errors.As(x.Err, new(*Error)) {
			t.Errorf("%s: error %T, want *Error", x.Name, x.Err)
		}
	}

	// Include and Exclude choose keys below the prefix as they choose
	// files below a directory.
	got, _ = Expand([]string{"s3://rec"}, Options{Objects: objs, Include: []string{"**/*.txt", "*.md", "*.wav"}, Exclude: []string{"day2/**"}})
	if g := describe(got); !slices.Equal(g, []string{"object s3://rec/day1/a.wav", "object s3://rec/day1/b.txt", "object s3://rec/notes/readme.md"}) {
		t.Errorf("include/exclude: %q", g)
	}

	// Without an object source, s3:// stays a URL: the API's answer.
	got, _ = Expand([]string{"s3://rec/day1/"}, Options{})
	if g := describe(got); !slices.Equal(g, []string{"url s3://rec/day1/"}) {
		t.Errorf("without objects: %q", g)
	}
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	w.Close()
	return b.String()
}

// --files-from takes an inventory's CSV (plain or gzipped), its manifest,
// or a Batch Operations manifest: their rows are objects.
func TestFilesFromInventory(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "batch.csv")
	os.WriteFile(csv, []byte("rec,day1/a.wav\nrec,take+2+%C3%BC.mp3\n"), 0o644)
	got, err := Expand(nil, Options{FilesFrom: csv, Objects: &fakeObjects{}})
	if err != nil {
		t.Fatal(err)
	}
	if g := describe(got); !slices.Equal(g, []string{"object s3://rec/day1/a.wav", "object s3://rec/take 2 ü.mp3"}) {
		t.Errorf("csv: %q", g)
	}
	gz := filepath.Join(dir, "part.csv.gz")
	os.WriteFile(gz, []byte(gzipped("\"rec\",\"x.wav\",\"3\"\n")), 0o644)
	got, _ = Expand(nil, Options{FilesFrom: gz})
	if g := describe(got); !slices.Equal(g, []string{"url s3://rec/x.wav"}) {
		t.Errorf("csv.gz without objects: %q", g)
	}

	// A manifest in a bucket, its data file beside it in the
	// destination bucket.
	manifest := `{"sourceBucket":"rec","destinationBucket":"arn:aws:s3:::inv","fileFormat":"CSV","fileSchema":"Bucket, Key, Size",
		"files":[{"key":"rec/cfg/data/1.csv.gz","size":10}]}`
	objs := &fakeObjects{files: map[string]string{
		"s3://inv/rec/cfg/2024-01-01T00-00Z/manifest.json": manifest,
		"s3://inv/rec/cfg/data/1.csv.gz":                   gzipped("\"rec\",\"a%2Bb.wav\",\"3\"\n\"rec\",\"c.flac\",\"4\"\n"),
	}}
	got, err = Expand([]string{"s3://rec/first.wav"}, Options{FilesFrom: "s3://inv/rec/cfg/2024-01-01T00-00Z/manifest.json", Objects: objs})
	if err != nil {
		t.Fatal(err)
	}
	if g := describe(got); !slices.Equal(g, []string{"object s3://rec/first.wav", "object s3://rec/a+b.wav", "object s3://rec/c.flac"}) {
		t.Errorf("manifest in a bucket: %q", g)
	}

	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{FilesFrom: "s3://inv/manifest.json"}, "an inventory in a bucket is read with --read-objects"},
		{Options{FilesFrom: "s3://inv/none/manifest.json", Objects: objs}, "no such object"},
		{Options{FilesFrom: filepath.Join(dir, "missing.csv")}, "no such file"},
	} {
		if _, err := Expand(nil, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.opts.FilesFrom, err, tc.want)
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("rec,%zz\n"), 0o644)
	if _, err := Expand(nil, Options{FilesFrom: bad}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("reading the list of inputs from %s: row 1", bad)) {
		t.Errorf("bad key: %v", err)
	}
}
