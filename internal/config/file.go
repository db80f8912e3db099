package config

import (
	"errors"
	"reflect"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
	"github.com/audiopreflight/audiopreflight/validate"
)

// File is the shape of the config file. Each key but paths and ignore is
// the check flag of the same name (a test keeps the two lists equal); the
// published JSON schema (schema/audiopreflight.schema.json, which the
// binary embeds) is generated from these types and their jsonschema tags
// by this package's tests, and the decoder reads keys by their yaml tags.
type File struct {
	Request          string   `yaml:"request" json:"request,omitempty" jsonschema:"enum=unscripted,enum=scripted" jsonschema_description:"The request type the audio is checked for (--request)."`
	Mode             string   `yaml:"mode" json:"mode,omitempty" jsonschema:"enum=sync,enum=async" jsonschema_description:"The unscripted request mode; sync has a size limit (--mode)."`
	SyncLimit        ByteSize `yaml:"sync-limit" json:"sync-limit,omitempty" jsonschema_description:"The largest audio sync mode takes: 10MiB, 5MB, 4800000 (--sync-limit)."`
	HeaderOnly       bool     `yaml:"header-only" json:"header-only,omitempty" jsonschema_description:"Read headers only, leaving the steps that need the whole audio undecided (--header-only)."`
	Strict           bool     `yaml:"strict" json:"strict,omitempty" jsonschema_description:"Anything short of a fully decided, warning-free accept fails the input (--strict)."`
	Base64           bool     `yaml:"base64" json:"base64,omitempty" jsonschema_description:"Each input holds the base64 text of an audio_data field (--base64)."`
	Quiet            bool     `yaml:"quiet" json:"quiet,omitempty" jsonschema_description:"Print only the inputs that fail the run, and the summary (--quiet)."`
	Output           Outputs  `yaml:"output" json:"output,omitempty" jsonschema_description:"The output format, or a list of FORMAT or FORMAT=PATH (--output)."`
	Jobs             int      `yaml:"jobs" json:"jobs,omitempty" jsonschema:"minimum=0" jsonschema_description:"Inputs checked at once; 0 for one per CPU (--jobs)."`
	Include          []string `yaml:"include" json:"include,omitempty" jsonschema:"minLength=1" jsonschema_description:"In directories, check the files matching these globs (--include)."`
	Exclude          []string `yaml:"exclude" json:"exclude,omitempty" jsonschema:"minLength=1" jsonschema_description:"In directories, skip the files matching these globs (--exclude)."`
	Timeout          Duration `yaml:"timeout" json:"timeout,omitempty" jsonschema_description:"How long one URL's download may take: 30s, 2m (--timeout)."`
	MaxConnsPerHost  int      `yaml:"max-conns-per-host" json:"max-conns-per-host,omitempty" jsonschema:"minimum=1" jsonschema_description:"Connections open to one audio host at once (--max-conns-per-host)."`
	MaxInputSize     ByteSize `yaml:"max-input-size" json:"max-input-size,omitempty" jsonschema_description:"Most bytes copied or downloaded of one input (--max-input-size)."`
	AllowPrivateURLs bool     `yaml:"allow-private-urls" json:"allow-private-urls,omitempty" jsonschema_description:"Download URLs on loopback, private and link-local hosts too (--allow-private-urls)."`
	CheckAuth        bool     `yaml:"check-auth" json:"check-auth,omitempty" jsonschema_description:"Also check the Authorization header; the token comes from AUDIOPREFLIGHT_TOKEN or AUDIOPREFLIGHT_AUTHORIZATION, never from this file (--check-auth)."`
	ReadObjects      bool     `yaml:"read-objects" json:"read-objects,omitempty" jsonschema_description:"Read s3://bucket/key inputs with the AWS credentials of the environment (--read-objects)."`
	AsURL            bool     `yaml:"as-url" json:"as-url,omitempty" jsonschema_description:"Read objects as the API would download them from a pre-signed URL (--as-url)."`
	EndpointURL      string   `yaml:"endpoint-url" json:"endpoint-url,omitempty" jsonschema:"minLength=1" jsonschema_description:"The endpoint of an S3-compatible store: http(s)://host[:port] (--endpoint-url)."`
	RemoteJobs       int      `yaml:"remote-jobs" json:"remote-jobs,omitempty" jsonschema:"minimum=1" jsonschema_description:"Objects and URLs read at once (--remote-jobs)."`
	Baseline         string   `yaml:"baseline" json:"baseline,omitempty" jsonschema:"minLength=1" jsonschema_description:"An earlier JSON or JSONL report of check: only rejections it does not hold fail (--baseline)."`

	Paths  []string `yaml:"paths" json:"paths,omitempty" jsonschema:"minLength=1" jsonschema_description:"What to check when the command line names nothing: files, directories, globs, URLs, relative to this file's directory."`
	Ignore []Ignore `yaml:"ignore" json:"ignore,omitempty" jsonschema_description:"Rejections the team accepts: they are shown as ignored and do not fail the run."`
}

// Ignore is an entry of ignore.
type Ignore struct {
	Path       string   `yaml:"path" json:"path" jsonschema:"required,minLength=1" jsonschema_description:"A glob of the inputs it covers, relative to this file's directory (** spans directories)."`
	Exceptions []string `yaml:"exceptions" json:"exceptions,omitempty" jsonschema_description:"The exceptions it accepts as those inputs' verdict; all when left out."`
	Reason     string   `yaml:"reason" json:"reason" jsonschema:"required,pattern=\\S" jsonschema_description:"Why the team accepts these rejections (shown with each)."`
}

// ByteSize is a size: a number of bytes, or a string with a unit.
type ByteSize string

// Duration is a Go duration: 30s, 2m, 1m30s.
type Duration string

// Outputs is one output format, or a list of them.
type Outputs []string

// SchemaID is where the schema is published.
const SchemaID = "https://raw.githubusercontent.com/audiopreflight/audiopreflight/main/schema/audiopreflight.schema.json"

// Keys are the keys of the file that set a check flag, in File's order.
func Keys() []string {
	var keys []string
	for _, f := range reflect.VisibleFields(reflect.TypeFor[File]()) {
		if k := yamlKey(f); k != "paths" && k != "ignore" {
			keys = append(keys, k)
		}
	}
	return keys
}

// fileKeys and ignoreKeys are the keys of a file and of an ignore entry,
// with their types; found by reflection when a file is first read, not at
// every start of the program.
var (
	fileKeys   = lazy.Value[map[string]reflect.Type]{New: func() map[string]reflect.Type { return keysOf(reflect.TypeFor[File]()) }}
	ignoreKeys = lazy.Value[map[string]reflect.Type]{New: func() map[string]reflect.Type { return keysOf(reflect.TypeFor[Ignore]()) }}
)

func keysOf(t reflect.Type) map[string]reflect.Type {
	keys := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
		keys[yamlKey(f)] = f.Type
	}
	return keys
}

func yamlKey(f reflect.StructField) string {
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return k
}

// checkGlob reports a glob that can never match as written.
func checkGlob(p string) error {
	if !doublestar.ValidatePattern(p) {
		return errors.New("not a valid glob (an unclosed [ or {, or a trailing \\?)")
	}
	return nil
}

// Match reports whether name — a path relative to the config file's
// directory with / separators, or a URL as given — is covered by the
// entry's glob.
func (e *IgnoreEntry) Match(name string) bool {
	ok, _ := doublestar.Match(e.Path, name)
	return ok
}

// Covers reports whether the entry accepts exception as a verdict.
func (e *IgnoreEntry) Covers(exception string) bool {
	if len(e.Exceptions) == 0 {
		return true
	}
	for _, x := range e.Exceptions {
		if x == exception {
			return true
		}
	}
	return false
}

func isException(name string) bool {
	_, ok := validate.Lookup(name)
	return ok
}

// suggestException is " (did you mean X?)" for a name that is an
// exception's in another case or with a typo at its end.
func suggestException(name string) string {
	for _, e := range validate.Catalog() {
		if strings.EqualFold(e.Name, name) || len(name) >= 6 && strings.HasPrefix(e.Name, name[:len(name)-2]) {
			return " (did you mean " + e.Name + "?)"
		}
	}
	return " (audiopreflight errors lists them)"
}
