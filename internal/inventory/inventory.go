// Package inventory reads lists of objects that S3 writes about a bucket,
// for --files-from: an S3 Inventory report (its manifest.json, or one of
// its CSV data files, plain or gzipped) and the CSV manifests of S3 Batch
// Operations (bucket,key[,version] per row). Each yields the objects as
// s3://bucket/key names, one row at a time: a list of millions of keys is
// never held in memory.
//
// In both formats the key is URL-encoded, with '+' for a blank (as
// form values are), and rows have no header. An inventory's columns are
// the manifest's fileSchema; without a manifest, the columns are Bucket
// and Key first, as every S3 inventory and Batch Operations manifest has
// them. Rows for delete markers, and for versions that are not the latest
// (in an inventory of all versions), are skipped: the object a key names
// is its latest version.
//
// Only CSV inventories are read; an ORC or Parquet one is refused with a
// word on how to get a CSV one.
package inventory

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strings"
)

// Manifest is an inventory's manifest.json: what it lists and where its
// data files are.
type Manifest struct {
	SourceBucket string `json:"sourceBucket"`
	// DestinationBucket is the ARN of the bucket holding the data files
	// (arn:aws:s3:::name).
	DestinationBucket string `json:"destinationBucket"`
	Version           string `json:"version"`
	FileFormat        string `json:"fileFormat"`
	FileSchema        string `json:"fileSchema"`
	Files             []File `json:"files"`
}

// File is one data file of an inventory.
type File struct {
	// Key is the data file's key in the destination bucket.
	Key  string `json:"key"`
	Size int64  `json:"size"`
	// MD5 is the hex MD5 of the data file as stored (gzipped).
	MD5 string `json:"MD5checksum"`
}

// maxManifest bounds what is read of a manifest: one lists a data file
// per few gigabytes of inventory, so even a huge bucket's is small.
const maxManifest = 64 << 20

// ParseManifest reads a manifest.json and checks that it can be used: a
// CSV inventory whose schema has a Key column.
func ParseManifest(r io.Reader) (*Manifest, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxManifest+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxManifest {
		return nil, fmt.Errorf("larger than %d bytes: not an inventory manifest", maxManifest)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("not an S3 Inventory manifest.json: %w", err)
	}
	if m.FileSchema == "" || m.Files == nil {
		return nil, errors.New("not an S3 Inventory manifest.json: it has no fileSchema or files")
	}
	if !strings.EqualFold(m.FileFormat, "CSV") {
		return nil, fmt.Errorf("the inventory is in %s: only CSV inventories can be read (set the inventory configuration's output format to CSV)", m.FileFormat)
	}
	if _, err := ColumnsOf(m.FileSchema); err != nil {
		return nil, err
	}
	for _, f := range m.Files {
		if f.Key == "" {
			return nil, errors.New("the manifest lists a data file without a key")
		}
	}
	return &m, nil
}

// DestinationBucketName is the name of the bucket holding the data files.
func (m *Manifest) DestinationBucketName() string {
	name := m.DestinationBucket
	if i := strings.LastIndex(name, ":::"); i >= 0 {
		name = name[i+3:]
	}
	return name
}

// Columns says where a row's fields are (-1: not in the rows).
type Columns struct {
	Bucket, Key, IsLatest, IsDeleteMarker int
}

// DefaultColumns are the columns of a data file read without its
// manifest, and of a Batch Operations manifest.
var DefaultColumns = Columns{Bucket: 0, Key: 1, IsLatest: -1, IsDeleteMarker: -1}

// ColumnsOf finds the columns in a manifest's fileSchema ("Bucket, Key,
// VersionId, IsLatest, IsDeleteMarker, Size, ...").
func ColumnsOf(schema string) (Columns, error) {
	c := Columns{Bucket: -1, Key: -1, IsLatest: -1, IsDeleteMarker: -1}
	for i, name := range strings.Split(schema, ",") {
		switch strings.TrimSpace(name) {
		case "Bucket":
			c.Bucket = i
		case "Key":
			c.Key = i
		case "IsLatest":
			c.IsLatest = i
		case "IsDeleteMarker":
			c.IsDeleteMarker = i
		}
	}
	if c.Bucket < 0 || c.Key < 0 {
		return c, fmt.Errorf("the inventory's fileSchema %q has no Bucket or no Key column", schema)
	}
	return c, nil
}

// Entry is one object of a list.
type Entry struct {
	Bucket, Key string
}

// Name is the entry as an input: s3://bucket/key.
func (e Entry) Name() string { return "s3://" + e.Bucket + "/" + e.Key }

// Decompressed returns r, gunzipped when it starts with gzip's magic
// number (an inventory's .csv.gz).
func Decompressed(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

// Rows yields the entries of a CSV list (an inventory data file, gzipped
// or not, or a Batch Operations manifest) whose fields are at cols. An
// error names the row and ends the sequence. A first row that is a header
// (Bucket,Key) is skipped.
func Rows(r io.Reader, cols Columns) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		dr, err := Decompressed(r)
		if err != nil {
			yield(Entry{}, fmt.Errorf("reading the gzipped list: %w", err))
			return
		}
		cr := csv.NewReader(dr)
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		need := max(cols.Bucket, cols.Key, cols.IsLatest, cols.IsDeleteMarker)
		for row := 1; ; row++ {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Entry{}, fmt.Errorf("row %d: not CSV: %w", row, err))
				return
			}
			if len(rec) <= need {
				yield(Entry{}, fmt.Errorf("row %d has %d fields, the list's columns need %d", row, len(rec), need+1))
				return
			}
			if row == 1 && strings.EqualFold(rec[cols.Bucket], "bucket") && strings.EqualFold(rec[cols.Key], "key") {
				continue
			}
			if cols.IsDeleteMarker >= 0 && strings.EqualFold(rec[cols.IsDeleteMarker], "true") ||
				cols.IsLatest >= 0 && strings.EqualFold(rec[cols.IsLatest], "false") {
				continue
			}
			key, err := url.QueryUnescape(rec[cols.Key])
			if err != nil {
				yield(Entry{}, fmt.Errorf("row %d: the key %q is not URL-encoded as S3 writes keys: %w", row, rec[cols.Key], err))
				return
			}
			if rec[cols.Bucket] == "" || key == "" {
				yield(Entry{}, fmt.Errorf("row %d has no bucket or no key", row))
				return
			}
			if !yield(Entry{Bucket: rec[cols.Bucket], Key: key}, nil) {
				return
			}
		}
	}
}
