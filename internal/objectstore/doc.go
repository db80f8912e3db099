// Package objectstore reads audio from S3 and S3-compatible object stores:
// objects as inputs (s3://bucket/key, read with the user's credentials and
// checked as if uploaded) and prefixes as lists of inputs
// (s3://bucket/prefix/, listed page by page).
//
// An Object is an io.ReaderAt of known size, like a local file, so the
// prober reads it unchanged. Opening asks for the first 64 KiB with a
// ranged GET, which holds the headers of nearly every recording and tells
// the size (Content-Range); other reads fetch aligned blocks, the end of
// the object with a suffix range (bytes=-N), and a full check reading
// forward turns into a few open-ended streaming GETs, in bounded memory.
// Later requests carry If-Match with the first answer's ETag, so an object
// replaced while it is read fails with ErrChanged instead of mixing two
// versions.
//
// A Store is built from the AWS credential chain (environment, shared
// config and credentials files with SSO and credential_process, web
// identity, container and instance roles) and an optional endpoint for
// S3-compatible stores. Requests that the store answers with 5xx or
// throttling (SlowDown), or that break on the way, are retried with
// exponential backoff a bounded number of times; when the attempts run
// out, the *Error says how many were made. Nothing is logged: the client
// has no tracing, and a credential_process's stderr is kept for its
// error message, so no line reaches stderr.
//
// Why an S3 client of its own rather than minio-go or aws-sdk-go-v2:
// start-up time and size, for what is a narrow need. Every run of the
// command pays for the packages it links, whether it reads objects or
// not, since Go initialises them all before main. On minio-go v7.4.1,
// `audiopreflight --version` took 5.1 ms (perf stat -r 300 and
// hyperfine -N, linux/amd64, 2 cores), 3.8 ms on this client, the same
// as a build with this package stubbed out, and 0.85 ms for a Go hello
// world: minio-go's dependencies run work at start-up (klauspost/cpuid's
// CPUID probe 0.4-0.6 ms, trapped by virtual machines; the s3utils
// regexps 0.3 ms and 281 KB; s2, xid, humanize) and fault in 180 more
// pages. Stripped (-ldflags="-s -w"), the command is 12.46 MB with this
// package stubbed out, 12.73 MB with it (+0.27 MB), and was 15.37 MB on
// minio-go (+2.9 MB); aws-sdk-go-v2's s3 and config had measured +9.3 MB.
// What is needed is SigV4 signing of GET and HEAD (sigv4.go, checked
// against AWS's SigV4 test suite and S3's worked examples, and by
// versitygw in the tests), pre-signed GET URLs, ListObjectsV2 pages
// (list.go), ranged GETs, S3's XML errors (errors.go), and the AWS CLI's
// credential chain (credentials.go, profile.go, roles.go): a few hundred
// lines on net/http, crypto/hmac and encoding/xml.
//
// The chain covers what batch engines use — the environment, the config
// and credentials files (profiles, SSO with the token `aws sso login`
// cached, credential_process), web identity for EKS service accounts,
// the ECS/AWS Batch container endpoint and EKS Pod Identity, IMDSv2 —
// and renews temporary credentials when 80% of their lifetime has
// passed, so that long runs go on. A source that is set up but broken
// (an expired SSO login, half a key pair) is the error, as in the AWS
// CLI, rather than a reason to run with other credentials. It has no
// profile-level region, assume-role chains (role_arn with
// source_profile) or SSO token refresh: set AWS_REGION, export the
// assumed role's keys, run aws sso login again. Without AWS_REGION or
// AWS_DEFAULT_REGION, each bucket's region is asked for once (a HEAD of
// the bucket answers x-amz-bucket-region, needing no permission but
// reaching it), and an answer naming another region is followed once.
// Buckets on AWS are addressed virtual-host style, path style where the
// name has dots; an endpoint of one's own, path style. The client makes
// one attempt per call: the Store counts attempts per input, backs off
// longer after throttling, and lets tests shorten the waits. This
// package is imported by the command alone, never by the check engine,
// whose WebAssembly build carries no network code.
package objectstore
