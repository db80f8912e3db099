package objectstore

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// Error is a failure to read an object or to list a prefix. Its message
// says what went wrong in words, with the store's error code and HTTP
// status, and how many attempts were made when the retries ran out; it
// does not repeat the object's name (results carry that).
type Error struct {
	// Op is "read" or "list".
	Op string
	// URI is the object or prefix.
	URI URI
	// Code is the store's error code ("NoSuchKey", "SlowDown", ...), if it
	// sent one.
	Code string
	// Status is the HTTP status of the last answer, if there was one.
	Status int
	// Attempts is how many times the request was sent when the store kept
	// failing it (the retries ran out); 0 otherwise.
	Attempts int
	// Msg is the failure in words.
	Msg string
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op == "list" {
		b.WriteString("listing failed: ")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, "gave up after %d attempts: ", e.Attempts)
	}
	b.WriteString(e.Msg)
	switch {
	case e.Code != "" && e.Status != 0:
		fmt.Fprintf(&b, " (%s, HTTP %d)", e.Code, e.Status)
	case e.Code != "":
		fmt.Fprintf(&b, " (%s)", e.Code)
	case e.Status != 0:
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errors an *Error can wrap, for errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrDenied   = errors.New("access denied")
	ErrChanged  = errors.New("the object changed while it was read")
)

// codeMessage says what a store's error code means, in words. (Switches,
// here and below, not maps: a map would be filled by the package's
// initialiser at every start.)
func codeMessage(code string) (string, bool) {
	switch code {
	case "NoSuchKey", "NotFound":
		return "no such object", true
	case "NoSuchBucket":
		return "no such bucket", true
	case "AccessDenied":
		return "access denied: the credentials in use may not read it", true
	case "AllAccessDisabled":
		return "access to this bucket is disabled", true
	case "InvalidAccessKeyId":
		return "the store does not know the access key in use", true
	case "SignatureDoesNotMatch":
		return "the store refused the request's signature: check the secret key and the region", true
	case "ExpiredToken":
		return "the session token in use has expired", true
	case "InvalidObjectState":
		return "the object is archived (Glacier or Deep Archive): restore it before checking it", true
	case "PreconditionFailed":
		return ErrChanged.Error(), true
	case "SlowDown":
		return "the store kept asking for a slower request rate", true
	case "ServiceUnavailable":
		return "the store was unavailable", true
	case "InternalError":
		return "the store failed internally", true
	case "PermanentRedirect":
		return "the bucket is in another region: set AWS_REGION to the bucket's region", true
	case "AuthorizationHeaderMalformed":
		return "the bucket is in another region, or the endpoint does not match the " +
			"credentials: set AWS_REGION to the bucket's region", true
	}
	return "", false
}

// throttleCode, retryCode and retryStatus are the error codes and statuses
// worth asking again: the store was busy, failed inside, or asked to slow
// down.
func throttleCode(code string) bool {
	switch code {
	case "SlowDown", "SlowDownRead", "Throttling", "ThrottlingException",
		"RequestLimitExceeded", "RequestThrottled", "TooManyRequests":
		return true
	}
	return false
}

func retryCode(code string) bool {
	switch code {
	case "InternalError", "ServiceUnavailable", "RequestTimeout":
		return true
	}
	return false
}

func retryStatus(status int) bool {
	switch status {
	case 429, 500, 502, 503, 504:
		return true
	}
	return false
}

// s3Error is a store's answer that is not a success: its XML error
// document, or what its status says when it sent none.
type s3Error struct {
	// Status is the HTTP status; 0 for the client's own finding about an
	// answer it could not use.
	Status  int
	Code    string
	Message string
	// Region is where the bucket is, when the store said so (the
	// x-amz-bucket-region header, or <Region> of a redirect).
	Region string
}

func (e *s3Error) Error() string {
	switch {
	case e.Code != "" && e.Message != "":
		return fmt.Sprintf("%s: %s (HTTP %d)", e.Code, e.Message, e.Status)
	case e.Code != "":
		return fmt.Sprintf("%s (HTTP %d)", e.Code, e.Status)
	case e.Message != "":
		return fmt.Sprintf("%s (HTTP %d)", e.Message, e.Status)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// readError reads a failed answer about key in a bucket ("" for the
// bucket itself) and closes its body. An answer without an error
// document (a HEAD, or a proxy's page) gets the code its status stands
// for, as S3 would have sent it.
func readError(resp *http.Response, key string) *s3Error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	e := &s3Error{Status: resp.StatusCode}
	var doc struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
		Message string
		Region  string
	}
	if xml.Unmarshal(body, &doc) == nil && doc.Code != "" {
		e.Code, e.Message, e.Region = doc.Code, doc.Message, strings.TrimSpace(doc.Region)
	} else {
		switch resp.StatusCode {
		case http.StatusNotFound:
			e.Code = "NoSuchKey"
			if key == "" {
				e.Code = "NoSuchBucket"
			}
		case http.StatusForbidden:
			e.Code = "AccessDenied"
		case http.StatusPreconditionFailed:
			e.Code = "PreconditionFailed"
		default:
			e.Message = strings.Join(strings.Fields(string(bytes.ToValidUTF8(body, nil))), " ")
			if len(e.Message) > 200 {
				e.Message = e.Message[:200] + "..."
			}
		}
	}
	// MinIO says in headers what a HEAD cannot say in a body.
	if code := resp.Header.Get("X-Minio-Error-Code"); code != "" {
		e.Code = code
	}
	if desc := resp.Header.Get("X-Minio-Error-Desc"); desc != "" {
		e.Message = strings.Trim(desc, `"`)
	}
	if e.Region == "" {
		e.Region = resp.Header.Get("X-Amz-Bucket-Region")
	}
	return e
}

func apiError(err error) (*s3Error, bool) {
	var resp *s3Error
	ok := errors.As(err, &resp)
	return resp, ok
}

// throttled reports whether the store asked to slow down.
func throttled(err error) bool {
	resp, ok := apiError(err)
	return ok && (throttleCode(resp.Code) || resp.Status == 429 || resp.Code == "" && resp.Status == 503)
}

// retryable reports whether a failed request is worth sending again: the
// store throttled or failed inside (5xx), or the connection failed on the
// way (reset, refused, timed out, cut short) — but not when the run
// itself is being stopped.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return false
	}
	if resp, ok := apiError(err); ok {
		// A status of 0 is the client's own finding about an answer
		// (one it could not parse): asking again would not change it.
		return resp.Status != 0 && (throttleCode(resp.Code) || retryCode(resp.Code) || retryStatus(resp.Status))
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// newError describes err, from a request about u that was sent attempts
// times, as an *Error.
func newError(op string, u URI, attempts int, err error) error {
	if err == nil {
		return nil
	}
	var have *Error
	if errors.As(err, &have) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e := &Error{Op: op, URI: u, Err: err}
	if attempts > 1 {
		e.Attempts = attempts
	}
	resp, isAPI := apiError(err)
	if isAPI {
		e.Code, e.Status = resp.Code, resp.Status
	}
	switch e.Code {
	case "NoSuchKey", "NotFound", "NoSuchBucket":
		e.Err = fmt.Errorf("%w: %w", ErrNotFound, err)
	case "AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken":
		e.Err = fmt.Errorf("%w: %w", ErrDenied, err)
	case "PreconditionFailed":
		e.Err = fmt.Errorf("%w: %w", ErrChanged, err)
	}
	e.Msg = message(e, resp, err)
	return e
}

func message(e *Error, resp *s3Error, err error) string {
	if m, ok := codeMessage(e.Code); ok {
		return m
	}
	switch {
	case resp != nil && resp.Status == 0 && resp.Message != "":
		return resp.Message
	case resp != nil && resp.Message != "":
		return "the store answered: " + resp.Message
	}
	if e.Status != 0 {
		return "the store failed the request"
	}
	var ce *credError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return "could not reach the store: " + opErr.Err.Error()
	}
	// Transport failures wrapped in the HTTP client's words: keep the
	// innermost, which says what happened.
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
