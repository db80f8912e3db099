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
// A Store is built from the standard AWS chain (environment, shared config
// and credentials files, web identity, SSO, container and instance roles)
// and an optional endpoint for S3-compatible stores. Requests that the
// store answers with 5xx or throttling (SlowDown) are retried with
// exponential backoff, a bounded number of times; when the attempts run
// out, the *Error says how many were made. The SDK's log lines never reach
// the process's stderr.
//
// Why aws-sdk-go-v2 rather than minio-go: the issue this serves is batch
// jobs on AWS (Kubernetes on EKS, AWS Batch, S3 Batch Operations), and
// only the AWS SDK resolves credentials and region exactly as the AWS CLI
// and every other tool there do — profiles and SSO, credential_process,
// web identity for EKS service accounts (IRSA), EKS Pod Identity and the
// ECS/Batch container endpoint, IMDSv2, AWS_ENDPOINT_URL_S3 — where
// minio-go's chain covers the environment, the credentials file and IMDS
// but not the config file's profiles, region or SSO. The cost is binary
// size (the AWS SDK adds about 5.5 MB to the command, minio-go about 4.5
// MB: both measured on this command), which only the command pays: this
// package is imported by cmd/ alone, never by the check engine, whose
// WebAssembly build carries no network code.
package objectstore
