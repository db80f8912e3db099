package inputs

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/inventory"
)

// ObjectSource reads s3:// inputs as objects (check --read-objects). The
// command implements it over an object store; this package only asks it
// what a name is and what is under a prefix, so that no S3 code comes in
// with the expansion of inputs.
type ObjectSource interface {
	// IsPrefix reports whether name, an s3:// URI, names the objects
	// under a prefix (s3://bucket/dir/, s3://bucket) rather than one
	// object, or why it is not a valid URI.
	IsPrefix(name string) (bool, error)
	// List yields the names (s3://bucket/key) of the objects under the
	// prefix name, in the store's order.
	List(name string) iter.Seq2[string, error]
	// OpenFile opens an object to read it whole: an inventory's manifest
	// or data file named in --files-from.
	OpenFile(name string) (io.ReadCloser, error)
}

// ErrNoObjects is the error of a prefix under which nothing is taken.
var ErrNoObjects = errors.New("nothing to check under this prefix")

// isS3 reports whether arg is written as an s3:// URI.
func isS3(arg string) bool { return len(arg) >= 5 && strings.EqualFold(arg[:5], "s3://") }

// object yields the inputs an s3:// argument names when objects are read:
// the object itself, or the objects under a prefix whose keys are taken as
// a directory walk takes file names (audio extensions, or Include, less
// Exclude), relative to the prefix.
func (e *expander) object(arg string) {
	prefix, err := e.objects.IsPrefix(arg)
	if err != nil {
		e.fail(arg, err)
		return
	}
	if !prefix {
		e.add(Input{Name: arg, Kind: Object})
		return
	}
	base := arg
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	before := e.n
	for name, err := range e.objects.List(arg) {
		if err != nil {
			e.fail(arg, err)
			return
		}
		rel := strings.TrimPrefix(name, base)
		if e.takes(rel, name, path.Base(rel)) {
			if e.add(Input{Name: name, Kind: Object}); e.stop {
				return
			}
		}
	}
	if e.n == before {
		e.fail(arg, e.noObjects())
	}
}

func (e *expander) noObjects() error {
	if len(e.include) > 0 {
		return fmt.Errorf("%w: no key matches the include patterns", ErrNoObjects)
	}
	return fmt.Errorf("%w: no key has an audio extension (.wav, .flac, .opus, .ogg, .mp3, ...)", ErrNoObjects)
}

// isInventory reports whether a --files-from list is an S3 Inventory
// report (its manifest.json, or a data file) or a Batch Operations CSV
// manifest, by its name: lists of names have no such ending.
func isInventory(name string) bool {
	lower := strings.ToLower(name)
	return path.Base(lower) == "manifest.json" || strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".csv.gz")
}

// openInventory opens the inventory FilesFrom names and returns the
// objects it lists, as s3:// names read as the sequence is ranged over. A
// manifest's data files are found next to a local manifest, or read from
// the destination bucket when the manifest is an object.
func openInventory(opts Options) (iter.Seq2[string, error], func(), error) {
	src := opts.FilesFrom
	remote := isS3(src)
	if remote && opts.Objects == nil {
		return nil, nil, fmt.Errorf("reading the list of inputs %s: an inventory in a bucket is read with --read-objects", src)
	}
	open := func(name string) (io.ReadCloser, error) {
		if remote {
			return opts.Objects.OpenFile(name)
		}
		return os.Open(name)
	}
	f, err := open(src)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the list of inputs: %w", err)
	}
	closeList := func() { f.Close() }
	var entries iter.Seq2[inventory.Entry, error]
	if path.Base(strings.ToLower(src)) == "manifest.json" {
		m, err := inventory.ParseManifest(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("reading the list of inputs from %s: %w", src, err)
		}
		opener := inventory.LocalOpener(src)
		if remote {
			bucket := m.DestinationBucketName()
			opener = func(key string) (io.ReadCloser, error) { return opts.Objects.OpenFile("s3://" + bucket + "/" + key) }
		}
		entries = m.Entries(opener)
	} else {
		entries = inventory.Rows(f, inventory.DefaultColumns)
	}
	return func(yield func(string, error) bool) {
		for e, err := range entries {
			if err != nil {
				yield("", fmt.Errorf("reading the list of inputs from %s: %w", src, err))
				return
			}
			if !yield(e.Name(), nil) {
				return
			}
		}
	}, closeList, nil
}
