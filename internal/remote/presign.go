package remote

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Pre-signed URLs carry their expiry in the query string. Once it has
// passed, the storage service answers 403 and the server cannot read the
// audio; shortly before it passes, a URL that works now may not work when
// the server gets to it. The shapes recognised:
//
//   - AWS Signature Version 4 (S3 and any AWS service): X-Amz-Date
//     (20060102T150405Z) plus X-Amz-Expires (seconds).
//   - Google Cloud Storage V4 signing: X-Goog-Date plus X-Goog-Expires.
//   - Azure shared access signatures: sig plus se (ISO 8601 UTC, possibly
//     date only or without seconds); a user delegation SAS also ends at its
//     key's expiry, ske.
//   - CloudFront signed URLs: Expires (Unix seconds) with Signature and
//     Key-Pair-Id (canned policy), or Policy (CloudFront's URL-safe base64
//     of a JSON policy whose DateLessThan AWS:EpochTime is the expiry).
//   - Legacy query-string signing, S3 Signature Version 2 (AWSAccessKeyId)
//     and GCS V2 (GoogleAccessId): Expires (Unix seconds) with Signature.

// Expiry is when a pre-signed URL stops working, and which signing scheme
// said so.
type Expiry struct {
	At     time.Time
	Scheme string // "AWS SigV4", "GCS V4", "Azure SAS", "CloudFront", "S3 SigV2", "GCS V2", "signed URL"
}

// ParseExpiry finds the expiry of a pre-signed URL in u's query. ok is
// false when the query has no expiry in a recognised shape.
func ParseExpiry(u *url.URL) (exp Expiry, ok bool) {
	if u == nil || u.RawQuery == "" {
		return Expiry{}, false
	}
	raw, _ := url.ParseQuery(u.RawQuery) // keeps what parses even when some pair does not
	q := make(map[string]string, len(raw))
	for k, v := range raw {
		if len(v) > 0 {
			q[strings.ToLower(k)] = v[0]
		}
	}
	has := func(k string) bool { _, ok := q[k]; return ok }

	if d, e := q["x-amz-date"], q["x-amz-expires"]; d != "" && e != "" {
		return sigV4Expiry(d, e, "AWS SigV4")
	}
	if d, e := q["x-goog-date"], q["x-goog-expires"]; d != "" && e != "" {
		return sigV4Expiry(d, e, "GCS V4")
	}
	if se := q["se"]; se != "" && has("sig") {
		at, ok := parseAzureTime(se)
		if !ok {
			return Expiry{}, false
		}
		if ske, ok := parseAzureTime(q["ske"]); ok && ske.Before(at) {
			at = ske
		}
		return Expiry{At: at, Scheme: "Azure SAS"}, true
	}
	if p := q["policy"]; p != "" && has("signature") && has("key-pair-id") {
		at, ok := cloudFrontPolicyExpiry(p)
		return Expiry{At: at, Scheme: "CloudFront"}, ok
	}
	if e := q["expires"]; e != "" && has("signature") {
		secs, err := strconv.ParseInt(e, 10, 64)
		if err != nil || secs < 0 {
			return Expiry{}, false
		}
		scheme := "signed URL"
		switch {
		case has("key-pair-id"):
			scheme = "CloudFront"
		case has("awsaccesskeyid"):
			scheme = "S3 SigV2"
		case has("googleaccessid"):
			scheme = "GCS V2"
		}
		return Expiry{At: time.Unix(secs, 0).UTC(), Scheme: scheme}, true
	}
	return Expiry{}, false
}

func sigV4Expiry(date, expires, scheme string) (Expiry, bool) {
	t, err := time.Parse("20060102T150405Z", date)
	if err != nil {
		return Expiry{}, false
	}
	secs, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || secs < 0 || secs > 1<<40 {
		return Expiry{}, false
	}
	return Expiry{At: t.Add(time.Duration(secs) * time.Second), Scheme: scheme}, true
}

// parseAzureTime reads the ISO 8601 forms a SAS accepts for st/se/ske:
// YYYY-MM-DD, YYYY-MM-DDThh:mmZ, YYYY-MM-DDThh:mm:ssZ, with fractional
// seconds (up to seven digits) or a numeric offset.
func parseAzureTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// cloudFrontPolicyExpiry decodes a custom policy: base64 with + = /
// replaced by - _ ~, holding {"Statement":[{"Condition":{"DateLessThan":
// {"AWS:EpochTime":N}}}]}. The earliest statement expiry wins.
func cloudFrontPolicyExpiry(p string) (time.Time, bool) {
	p = strings.NewReplacer("-", "+", "_", "=", "~", "/").Replace(p)
	b, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return time.Time{}, false
	}
	var policy struct {
		Statement []struct {
			Condition struct {
				DateLessThan struct {
					EpochTime *json.Number `json:"AWS:EpochTime"`
				}
			}
		}
	}
	if json.Unmarshal(b, &policy) != nil {
		return time.Time{}, false
	}
	var at time.Time
	for _, st := range policy.Statement {
		if st.Condition.DateLessThan.EpochTime == nil {
			continue
		}
		secs, err := st.Condition.DateLessThan.EpochTime.Int64()
		if err != nil {
			continue
		}
		t := time.Unix(secs, 0).UTC()
		if at.IsZero() || t.Before(at) {
			at = t
		}
	}
	return at, !at.IsZero()
}

// expiryCheck applies an expiry to "now": a Failure once it has passed, a
// warning when it passes within the hour.
func expiryCheck(exp Expiry, now time.Time, what string) (*Failure, string) {
	left := exp.At.Sub(now)
	when := exp.At.UTC().Format(time.RFC3339)
	if left <= 0 {
		return &Failure{
			Reason: ReasonExpired,
			Detail: what + " expired at " + when + " (" + roundDuration(-left) + " ago; " + exp.Scheme + ")",
			Hint:   "sign a new URL that is valid until the API has fetched it",
		}, ""
	}
	if left < time.Hour {
		return nil, what + " expires at " + when + " (in " + roundDuration(left) + "; " + exp.Scheme + "): the API must fetch it before then"
	}
	return nil, ""
}

// roundDuration prints d to the second below a minute, to the minute
// above.
func roundDuration(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	s := d.Round(time.Minute).String()
	return strings.TrimSuffix(s, "0s")
}
