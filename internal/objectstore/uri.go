package objectstore

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// URI names an object, or a prefix of keys, in a bucket: s3://bucket/key.
// The key is written as it is stored, not percent-encoded (as the AWS CLI
// writes it), so "s3://b/take 1/ü.wav" is the key "take 1/ü.wav".
type URI struct {
	Bucket string
	Key    string
}

// ErrNotS3 is ParseURI's error for a string that is not an s3:// URI.
var ErrNotS3 = errors.New("not an s3:// URI")

// IsS3 reports whether s is written as an s3:// URI (the scheme in any
// case), whether or not it is a valid one.
func IsS3(s string) bool {
	return len(s) >= 5 && strings.EqualFold(s[:5], "s3://")
}

// ParseURI parses s3://bucket/key. The bucket must be non-empty and
// printable without blanks; the key is everything after the bucket's
// slash, kept byte for byte ("" for the whole bucket).
func ParseURI(s string) (URI, error) {
	if !IsS3(s) {
		return URI{}, ErrNotS3
	}
	rest := s[5:]
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return URI{}, fmt.Errorf("no bucket name in %q", s)
	}
	if i := strings.IndexFunc(bucket, func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }); i >= 0 {
		return URI{}, fmt.Errorf("the bucket name %q has a blank or unprintable character", bucket)
	}
	return URI{Bucket: bucket, Key: key}, nil
}

// IsPrefix reports whether u names the objects under a prefix (its key is
// empty or ends with a slash) rather than one object.
func (u URI) IsPrefix() bool { return u.Key == "" || strings.HasSuffix(u.Key, "/") }

// String is u written as s3://bucket/key.
func (u URI) String() string { return "s3://" + u.Bucket + "/" + u.Key }

// Base is the last element of the key: the object's file name, whose
// extension the prober looks at.
func (u URI) Base() string {
	k := strings.TrimSuffix(u.Key, "/")
	return k[strings.LastIndexByte(k, '/')+1:]
}
