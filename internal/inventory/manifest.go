package inventory

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// Opener opens a data file of an inventory by its key in the destination
// bucket.
type Opener func(key string) (io.ReadCloser, error)

// Entries yields the objects of every data file the manifest lists, in
// the manifest's order, opening each with open. Each data file's MD5 is
// checked against the manifest's once it has been read; a mismatch is an
// error (the file is damaged, or belongs to another inventory).
func (m *Manifest) Entries(open Opener) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		cols, err := ColumnsOf(m.FileSchema)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		for _, f := range m.Files {
			rc, err := open(f.Key)
			if err != nil {
				yield(Entry{}, fmt.Errorf("data file %s: %w", f.Key, err))
				return
			}
			var sum hash.Hash
			var r io.Reader = rc
			if f.MD5 != "" {
				sum = md5.New()
				r = io.TeeReader(rc, sum)
			}
			for e, err := range Rows(r, cols) {
				if err != nil {
					err = fmt.Errorf("data file %s: %w", f.Key, err)
				}
				if !yield(e, err) || err != nil {
					rc.Close()
					return
				}
			}
			if sum != nil {
				// Rows stops at the end of the CSV; the gzip trailer
				// may be all that is left.
				io.Copy(io.Discard, r)
				if got := hex.EncodeToString(sum.Sum(nil)); !strings.EqualFold(got, f.MD5) {
					rc.Close()
					yield(Entry{}, fmt.Errorf("data file %s: its MD5 is %s, the manifest says %s: it is damaged or not this inventory's", f.Key, got, f.MD5))
					return
				}
			}
			rc.Close()
		}
	}
}

// maxUp is how many directories above the manifest LocalOpener looks in.
const maxUp = 6

// LocalOpener finds the data files of a manifest read from a local file,
// for an inventory copied from its bucket (aws s3 sync or cp). A data
// file's key is "[prefix/]source-bucket/config-ID/data/NAME.csv.gz" and
// the manifest's "[prefix/]source-bucket/config-ID/DATE/manifest.json":
// the data file is looked for under the manifest's directory and the
// directories above it, at the key and at each shorter tail of the key
// (so a copy of the whole destination prefix, of one inventory's
// directory, or of the files side by side all work), the longest match
// first.
func LocalOpener(manifestPath string) Opener {
	dir := filepath.Dir(manifestPath)
	return func(key string) (io.ReadCloser, error) {
		parts := strings.Split(key, "/")
		for up, d := 0, dir; up <= maxUp; up++ {
			for i := range parts {
				p := filepath.Join(d, filepath.FromSlash(strings.Join(parts[i:], "/")))
				f, err := os.Open(p)
				if err == nil {
					return f, nil
				}
				if !errors.Is(err, fs.ErrNotExist) {
					return nil, err
				}
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
		return nil, fmt.Errorf("not found in %s or the %d directories above it: copy the inventory's data/ directory along with the manifest, or give the manifest as an s3:// URI with --read-objects", dir, maxUp)
	}
}
