package objectstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
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

// What the store's error codes mean, in words.
var codeMessages = map[string]string{
	"NoSuchKey":             "no such object",
	"NotFound":              "no such object",
	"NoSuchBucket":          "no such bucket",
	"AccessDenied":          "access denied: the credentials in use may not read it",
	"AllAccessDisabled":     "access to this bucket is disabled",
	"InvalidAccessKeyId":    "the store does not know the access key in use",
	"SignatureDoesNotMatch": "the store refused the request's signature: check the secret key and the region",
	"ExpiredToken":          "the session token in use has expired",
	"InvalidObjectState":    "the object is archived (Glacier or Deep Archive): restore it before checking it",
	"PreconditionFailed":    ErrChanged.Error(),
	"SlowDown":              "the store kept asking for a slower request rate",
	"ServiceUnavailable":    "the store was unavailable",
	"InternalError":         "the store failed internally",
	"PermanentRedirect":     "the bucket is in another region: set AWS_REGION to the bucket's region",
	"AuthorizationHeaderMalformed": "the bucket is in another region, or the endpoint does not match the " +
		"credentials: set AWS_REGION to the bucket's region",
}

// newError describes err, from a request about u, as an *Error.
func newError(op string, u URI, err error) error {
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
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		e.Attempts = maxErr.Attempt
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) {
		e.Status = respErr.HTTPStatusCode()
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		e.Code = apiErr.ErrorCode()
	}
	switch e.Code {
	case "NoSuchKey", "NotFound", "NoSuchBucket":
		e.Err = fmt.Errorf("%w: %w", ErrNotFound, err)
	case "AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken":
		e.Err = fmt.Errorf("%w: %w", ErrDenied, err)
	case "PreconditionFailed":
		e.Err = fmt.Errorf("%w: %w", ErrChanged, err)
	}
	if e.Code == "" && e.Status == 404 {
		e.Code = "NotFound"
		e.Err = fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	e.Msg = message(e, apiErr, err)
	return e
}

func message(e *Error, apiErr smithy.APIError, err error) string {
	if m, ok := codeMessages[e.Code]; ok {
		return m
	}
	if apiErr != nil && apiErr.ErrorMessage() != "" {
		return "the store answered: " + apiErr.ErrorMessage()
	}
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return "could not reach the store: " + netErr.Err.Error()
	}
	if e.Status != 0 {
		return "the store failed the request"
	}
	// Transport failures the SDK wraps in its own words: keep the
	// innermost, which says what happened.
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
