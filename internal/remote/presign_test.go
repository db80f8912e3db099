package remote

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"
)

func cloudFrontPolicy(t *testing.T, json string) string {
	t.Helper()
	p := base64.StdEncoding.EncodeToString([]byte(json))
	return strings.NewReplacer("+", "-", "=", "_", "/", "~").Replace(p)
}

func TestParseExpiry(t *testing.T) {
	policy := cloudFrontPolicy(t, `{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/game_download.zip","Condition":{"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"},"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`)
	policyTwo := cloudFrontPolicy(t, `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1700000000}}},{"Condition":{"DateLessThan":{"AWS:EpochTime":1600000000}}}]}`)
	tests := []struct {
		name   string
		url    string
		want   string // RFC 3339; "" for no expiry found
		scheme string
	}{
		{
			name:   "AWS SigV4 (S3 documentation example)",
			url:    "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
			want:   "2013-05-25T00:00:00Z",
			scheme: "AWS SigV4",
		},
		{
			name:   "AWS SigV4 with a session token, lower-case keys",
			url:    "https://b.s3.eu-west-1.amazonaws.com/k/a.flac?x-amz-algorithm=AWS4-HMAC-SHA256&x-amz-credential=ASIA%2F20240301%2Feu-west-1%2Fs3%2Faws4_request&x-amz-date=20240301T120000Z&x-amz-expires=300&x-amz-security-token=IQoJb3JpZ2luX2VjE&x-amz-signedheaders=host&x-amz-signature=00",
			want:   "2024-03-01T12:05:00Z",
			scheme: "AWS SigV4",
		},
		{
			name:   "S3 SigV2 query-string authentication",
			url:    "https://awsexamplebucket1.s3.us-west-1.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
			want:   "2007-03-29T03:40:20Z",
			scheme: "S3 SigV2",
		},
		{
			name:   "GCS V4 signing",
			url:    "https://storage.googleapis.com/example-bucket/cat.jpeg?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=example%40example-project.iam.gserviceaccount.com%2F20181026%2Fus-central1%2Fstorage%2Fgoog4_request&X-Goog-Date=20181026T181309Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=247a2aa45f169edf4d187d54e7cc46e4731b1e6273242c4f4c39a1d2507a0e58",
			want:   "2018-10-26T18:28:09Z",
			scheme: "GCS V4",
		},
		{
			name:   "GCS V4 with HMAC keys uses the AWS parameters",
			url:    "https://storage.googleapis.com/b/o.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=GOOG1E%2F20240101%2Fauto%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=ff",
			want:   "2024-01-08T00:00:00Z",
			scheme: "AWS SigV4",
		},
		{
			name:   "GCS V2 signing",
			url:    "https://storage.googleapis.com/example-bucket/cat.jpeg?GoogleAccessId=example@example-project.iam.gserviceaccount.com&Expires=1577836800&Signature=BCl3vGuX%2BJ1wmBm%2F",
			want:   "2020-01-01T00:00:00Z",
			scheme: "GCS V2",
		},
		{
			name:   "Azure service SAS",
			url:    "https://myaccount.blob.core.windows.net/sascontainer/sasblob.txt?sv=2019-02-02&st=2019-04-29T22%3A18%3A26Z&se=2019-04-30T02%3A23%3A26Z&sr=b&sp=rw&sip=168.1.5.60-168.1.5.70&spr=https&sig=Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D",
			want:   "2019-04-30T02:23:26Z",
			scheme: "Azure SAS",
		},
		{
			name:   "Azure SAS with a date-only expiry",
			url:    "https://acct.blob.core.windows.net/c/b.wav?sv=2015-04-05&sr=b&sp=r&se=2015-04-30&sig=abc%3D",
			want:   "2015-04-30T00:00:00Z",
			scheme: "Azure SAS",
		},
		{
			name:   "Azure SAS without seconds, fractional seconds",
			url:    "https://acct.blob.core.windows.net/c/b.wav?sv=2022-11-02&se=2024-06-01T10:30Z&sr=b&sp=r&sig=x",
			want:   "2024-06-01T10:30:00Z",
			scheme: "Azure SAS",
		},
		{
			name:   "Azure SAS with fractional seconds",
			url:    "https://acct.blob.core.windows.net/c/b.wav?sv=2022-11-02&se=2024-06-01T10%3A30%3A15.1234567Z&sr=b&sp=r&sig=x",
			want:   "2024-06-01T10:30:15.1234567Z",
			scheme: "Azure SAS",
		},
		{
			name:   "Azure user delegation SAS ends with its key",
			url:    "https://acct.blob.core.windows.net/c/b.wav?sp=r&st=2024-01-01T00:00:00Z&se=2024-01-02T00:00:00Z&skoid=a&sktid=b&skt=2024-01-01T00:00:00Z&ske=2024-01-01T12:00:00Z&sks=b&skv=2022-11-02&sv=2022-11-02&sr=b&sig=x",
			want:   "2024-01-01T12:00:00Z",
			scheme: "Azure SAS",
		},
		{
			name:   "CloudFront canned policy",
			url:    "https://d111111abcdef8.cloudfront.net/image.jpg?color=red&size=medium&Expires=1357034400&Signature=nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~-ar3UocvvRQVw6EkC~GdpGQyyOSKQim-TxAnW7d8F5Kkai9HVx0FIu-5jcQb0UEmatEXAMPLE3ReXySpLSMj0yCd3ZAB4UcBCAqEijkytL6f3fVYNGQI6&Key-Pair-Id=K2JCJMDEHXQW5F",
			want:   "2013-01-01T10:00:00Z",
			scheme: "CloudFront",
		},
		{
			name:   "CloudFront custom policy",
			url:    "https://d111111abcdef8.cloudfront.net/game_download.zip?Policy=" + policy + "&Signature=yXrSIgyQoeE4FBI4eMKF6ho~CA8&Key-Pair-Id=K2JCJMDEHXQW5F",
			want:   "2013-01-01T10:00:00Z",
			scheme: "CloudFront",
		},
		{
			name:   "CloudFront custom policy, earliest statement",
			url:    "https://d.cloudfront.net/a.wav?Policy=" + policyTwo + "&Signature=x&Key-Pair-Id=K",
			want:   "2020-09-13T12:26:40Z",
			scheme: "CloudFront",
		},
		{name: "no query", url: "https://example.com/a.wav"},
		{name: "expires without a signature", url: "https://example.com/a.wav?expires=1357034400"},
		{name: "se without sig", url: "https://example.com/a.wav?se=2019-04-30"},
		{name: "X-Amz-Date alone", url: "https://b.s3.amazonaws.com/a.wav?X-Amz-Date=20130524T000000Z"},
		{name: "bad X-Amz-Date", url: "https://b.s3.amazonaws.com/a.wav?X-Amz-Date=2013-05-24&X-Amz-Expires=60"},
		{name: "bad X-Amz-Expires", url: "https://b.s3.amazonaws.com/a.wav?X-Amz-Date=20130524T000000Z&X-Amz-Expires=-5"},
		{name: "bad Expires", url: "https://d.cloudfront.net/a.wav?Expires=soon&Signature=x&Key-Pair-Id=K"},
		{name: "bad se", url: "https://a.blob.core.windows.net/c/b?se=tomorrow&sig=x"},
		{name: "bad Policy", url: "https://d.cloudfront.net/a.wav?Policy=%%%&Signature=x&Key-Pair-Id=K"},
		{name: "Policy without an expiry", url: "https://d.cloudfront.net/a.wav?Policy=" + cloudFrontPolicy(t, `{"Statement":[{"Condition":{}}]}`) + "&Signature=x&Key-Pair-Id=K"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			exp, ok := ParseExpiry(u)
			if tt.want == "" {
				if ok {
					t.Fatalf("found expiry %v (%s), want none", exp.At, exp.Scheme)
				}
				return
			}
			if !ok {
				t.Fatalf("no expiry found, want %s", tt.want)
			}
			want, err := time.Parse(time.RFC3339Nano, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if !exp.At.Equal(want) || exp.Scheme != tt.scheme {
				t.Errorf("expiry %v (%s), want %v (%s)", exp.At, exp.Scheme, want, tt.scheme)
			}
		})
	}
}

func TestExpiryCheck(t *testing.T) {
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	exp := Expiry{At: at, Scheme: "AWS SigV4"}

	f, w := expiryCheck(exp, at.Add(2*time.Hour+3*time.Minute), "the pre-signed URL")
	if f == nil || f.Reason != ReasonExpired || w != "" {
		t.Fatalf("expired: failure %v, warning %q", f, w)
	}
	for _, part := range []string{"2024-03-01T12:00:00Z", "2h3m ago", "AWS SigV4"} {
		if !strings.Contains(f.Detail, part) {
			t.Errorf("detail %q lacks %q", f.Detail, part)
		}
	}
	if f, _ := expiryCheck(exp, at, "x"); f == nil {
		t.Error("expiring right now: no failure")
	}

	f, w = expiryCheck(exp, at.Add(-25*time.Minute), "the pre-signed URL")
	if f != nil || !strings.Contains(w, "2024-03-01T12:00:00Z") || !strings.Contains(w, "in 25m") {
		t.Errorf("expiring soon: failure %v, warning %q", f, w)
	}
	f, w = expiryCheck(exp, at.Add(-30*time.Second), "x")
	if f != nil || !strings.Contains(w, "in 30s") {
		t.Errorf("expiring in 30 s: failure %v, warning %q", f, w)
	}
	f, w = expiryCheck(exp, at.Add(-61*time.Minute), "x")
	if f != nil || w != "" {
		t.Errorf("expiring in 61 min: failure %v, warning %q", f, w)
	}
}
