package cmd

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/objectstore"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/resume"
	"github.com/audiopreflight/audiopreflight/internal/shard"
)

// ScaleOptions are check's flags for large archives: objects in a store,
// their concurrency, and the sharding and resuming that batch engines
// need.
type ScaleOptions struct {
	ReadObjects bool
	AsURL       bool
	EndpointURL string
	RemoteJobs  int
	Shard       string
	ShardCount  int
	Resume      string
	ExitZero    bool
}

// DefaultRemoteJobs is how many remote inputs are read at once by
// default: reading them waits on the network, not on a CPU.
const DefaultRemoteJobs = 32

// presignExpiry is how long the pre-signed URLs of --as-url are valid:
// long enough that the API's downloader sees no URL about to expire.
const presignExpiry = 12 * time.Hour

func addScaleFlags(f *pflag.FlagSet, o *ScaleOptions) {
	boolFlag(f, &o.ReadObjects, "read-objects", "", "read s3://bucket/key inputs (and s3://bucket/prefix/, listed) with your AWS credentials and check them as if uploaded")
	boolFlag(f, &o.AsURL, "as-url", "", "read objects as the API would download them from a pre-signed audio_path URL (implies --read-objects)")
	f.StringVar(&o.EndpointURL, "endpoint-url", "", "the endpoint of an S3-compatible store (MinIO, Ceph, R2, ...): http(s)://host[:port]")
	o.RemoteJobs = DefaultRemoteJobs
	f.Var((*positiveInt)(&o.RemoteJobs), "remote-jobs", "objects and URLs read at once (network-bound, apart from --jobs)")
	f.StringVar(&o.Shard, "shard", "", "check only shard K of N (K/N, K from 0) by a stable hash of each input's name; K defaults to JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX")
	f.Var((*positiveInt)(&o.ShardCount), "shard-count", "the number of shards N (default AWS_BATCH_JOB_ARRAY_SIZE)")
	f.StringVar(&o.Resume, "resume", "", "skip the inputs already in this JSONL report and append the new results to it (a half-written last line is dropped); a directory holds one report per shard")
	boolFlag(f, &o.ExitZero, "exit-zero", "", "exit 0 once every input has its result, rejected and unreadable ones included (batch engines retry what exits non-zero)")
}

// Validate checks the flags against each other. --as-url is a way of
// reading objects, so it turns --read-objects on.
func (o *ScaleOptions) Validate() error {
	if o.AsURL {
		o.ReadObjects = true
	}
	return nil
}

// shardSpec is the run's shard, from the flags and the batch engines'
// environment.
func (o *ScaleOptions) shardSpec(getenv func(string) string) (shard.Spec, error) {
	return shard.Resolve(o.Shard, o.ShardCount, getenv)
}

// objectSource reads s3:// inputs from a store: it lists prefixes for the
// expansion of inputs and opens objects for the checker — or, with
// --as-url, gives the checker a pre-signed URL to download as the API
// would. The
// store is set up on first use, so that --read-objects set for a whole job
// (AUDIOPREFLIGHT_READ_OBJECTS) costs a run of local files nothing.
type objectSource struct {
	ctx   context.Context
	opts  *ScaleOptions
	asURL bool

	once     sync.Once
	store    *objectstore.Store
	storeErr error
}

func newObjectSource(ctx context.Context, o *ScaleOptions) *objectSource {
	return &objectSource{ctx: ctx, opts: o, asURL: o.AsURL}
}

// Store sets up the store, once; a failure (no credentials, a bad
// endpoint) is the same for every later use.
func (s *objectSource) Store() (*objectstore.Store, error) {
	s.once.Do(func() {
		s.store, s.storeErr = objectstore.New(s.ctx, objectstore.Options{EndpointURL: s.opts.EndpointURL, Connections: s.opts.RemoteJobs})
	})
	return s.store, s.storeErr
}

// needsStore reports whether a run will read objects for sure: an s3://
// input or list. The store is then set up before anything else, so that
// missing credentials are one usage error, not one error per input.
func needsStore(args []string, filesFrom string) bool {
	for _, a := range append(args, filesFrom) {
		if objectstore.IsS3(a) {
			return true
		}
	}
	return false
}

func (s *objectSource) IsPrefix(name string) (bool, error) {
	u, err := objectstore.ParseURI(name)
	return u.IsPrefix(), err
}

func (s *objectSource) List(name string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		u, err := objectstore.ParseURI(name)
		if err != nil {
			yield("", err)
			return
		}
		store, err := s.Store()
		if err != nil {
			yield("", err)
			return
		}
		for obj, err := range store.List(s.ctx, u) {
			if !yield(obj.URI.String(), err) || err != nil {
				return
			}
		}
	}
}

// OpenFile reads an object from start to end (an inventory's manifest or
// data file), streaming.
func (s *objectSource) OpenFile(name string) (io.ReadCloser, error) {
	u, err := objectstore.ParseURI(name)
	if err != nil {
		return nil, err
	}
	store, err := s.Store()
	if err != nil {
		return nil, err
	}
	obj, err := store.Open(s.ctx, u)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(obj, 0, obj.Size()), obj}, nil
}

// Open opens an object input for the checker, read with the user's
// credentials.
func (s *objectSource) Open(ctx context.Context, name string) (check.Audio, error) {
	u, err := objectstore.ParseURI(name)
	if err != nil {
		return nil, err
	}
	store, err := s.Store()
	if err != nil {
		return nil, err
	}
	obj, err := store.Open(ctx, u)
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// PresignedURL is, with --as-url, the URL the API would be sent for the
// object: the checker then downloads it as the API would.
func (s *objectSource) PresignedURL(ctx context.Context, name string) (string, error) {
	if !s.asURL {
		return "", nil
	}
	u, err := objectstore.ParseURI(name)
	if err != nil {
		return "", err
	}
	store, err := s.Store()
	if err != nil {
		return "", err
	}
	return store.Presign(ctx, u, presignExpiry)
}

// keepTargets is the sequence of the targets keep says yes to (a filter
// on the inputs as they come: --shard, --resume).
func keepTargets(targets iter.Seq2[check.Target, error], keep func(check.Target) bool) iter.Seq2[check.Target, error] {
	return func(yield func(check.Target, error) bool) {
		for t, err := range targets {
			if (err != nil || keep(t)) && !yield(t, err) {
				return
			}
		}
	}
}

// resumePath is the report --resume names: the file given, or in a
// directory (one that exists, or a path ending with a slash) the shard's
// own, report-K-of-N.jsonl (report.jsonl without shards) — so that every
// worker of an array job can be given the same argument.
func resumePath(arg string, spec shard.Spec) (string, error) {
	if fi, err := os.Stat(arg); !(err == nil && fi.IsDir() || strings.HasSuffix(arg, "/")) {
		return arg, nil
	}
	if err := os.MkdirAll(arg, 0o755); err != nil {
		return "", fmt.Errorf("--resume: %w", err)
	}
	name := "report.jsonl"
	if spec.Enabled() {
		name = fmt.Sprintf("report-%d-of-%d.jsonl", spec.Index, spec.Count)
	}
	return filepath.Join(arg, name), nil
}

// openResume opens the --resume report (resumePath) and drops the inputs
// it already has from targets.
func openResume(arg string, spec shard.Spec, targets iter.Seq2[check.Target, error]) (*resume.Report, iter.Seq2[check.Target, error], error) {
	path, err := resumePath(arg, spec)
	if err != nil {
		return nil, nil, err
	}
	rep, err := resume.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return rep, keepTargets(targets, func(t check.Target) bool { return !rep.Has(report.InputID(t.Name)) }), nil
}
