package objectstore

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The cases of AWS's SigV4 test suite (aws-sig-v4-test-suite, 2015-08-30)
// whose requests Go's HTTP client can send: service "service" in
// us-east-1, with the suite's example keys. Paths in the suite are
// unencoded, as S3 keys are, so S3's single encoding gives the suite's
// canonical paths.
func TestSignatureV4TestSuite(t *testing.T) {
	suite := creds{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	const token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
	for _, tc := range []struct {
		name, method, target string
		headers              [][2]string
		body                 string
		token                string
		signed, sig          string
	}{
		{name: "get-vanilla", method: "GET", target: "/",
			signed: "host;x-amz-date", sig: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{name: "get-vanilla-empty-query-key", method: "GET", target: "/?Param1=value1",
			signed: "host;x-amz-date", sig: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
		{name: "get-vanilla-query-order-key", method: "GET", target: "/?Param1=value2&Param1=Value1",
			signed: "host;x-amz-date", sig: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
		{name: "get-vanilla-query-order-key-case", method: "GET", target: "/?Param2=value2&Param1=value1",
			signed: "host;x-amz-date", sig: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
		{name: "get-vanilla-query-order-value", method: "GET", target: "/?Param1=value2&Param1=value1",
			signed: "host;x-amz-date", sig: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
		{name: "get-vanilla-query-unreserved", method: "GET",
			target: "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
			signed: "host;x-amz-date", sig: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
		{name: "get-vanilla-utf8-query", method: "GET", target: "/?%E1%88%B4=bar",
			signed: "host;x-amz-date", sig: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
		{name: "get-unreserved", method: "GET", target: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
			signed: "host;x-amz-date", sig: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
		{name: "get-utf8", method: "GET", target: "/%E1%88%B4",
			signed: "host;x-amz-date", sig: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
		{name: "get-header-key-duplicate", method: "GET", target: "/",
			headers: [][2]string{{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
			signed:  "host;my-header1;x-amz-date", sig: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
		{name: "get-header-value-order", method: "GET", target: "/",
			headers: [][2]string{{"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}},
			signed:  "host;my-header1;x-amz-date", sig: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
		{name: "get-header-value-trim", method: "GET", target: "/",
			headers: [][2]string{{"My-Header1", " value1"}, {"My-Header2", ` "a   b   c"`}},
			signed:  "host;my-header1;my-header2;x-amz-date", sig: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
		{name: "post-vanilla", method: "POST", target: "/",
			signed: "host;x-amz-date", sig: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
		{name: "post-vanilla-query", method: "POST", target: "/?Param1=value1",
			signed: "host;x-amz-date", sig: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
		{name: "post-header-key-sort", method: "POST", target: "/", headers: [][2]string{{"My-Header1", "value1"}},
			signed: "host;my-header1;x-amz-date", sig: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
		{name: "post-header-value-case", method: "POST", target: "/", headers: [][2]string{{"My-Header1", "VALUE1"}},
			signed: "host;my-header1;x-amz-date", sig: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
		{name: "post-sts-header-before", method: "POST", target: "/", token: token,
			signed: "host;x-amz-date;x-amz-security-token", sig: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
		{name: "post-x-www-form-urlencoded", method: "POST", target: "/", body: "Param1=value1",
			headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}},
			signed:  "content-type;host;x-amz-date", sig: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
		{name: "post-x-www-form-urlencoded-parameters", method: "POST", target: "/", body: "Param1=value1",
			headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}},
			signed:  "content-type;host;x-amz-date", sig: "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, "https://example.amazonaws.com"+tc.target, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range tc.headers {
				req.Header.Add(h[0], h[1])
			}
			c := suite
			c.SessionToken = tc.token
			sum := sha256.Sum256([]byte(tc.body))
			signRequest(req, c, "us-east-1", "service", hex.EncodeToString(sum[:]), at)
			want := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" + tc.signed + ", Signature=" + tc.sig
			if got := req.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization\n got %s\nwant %s", got, want)
			}
			if got := req.Header.Get("X-Amz-Date"); got != "20150830T123600Z" {
				t.Errorf("X-Amz-Date %q", got)
			}
		})
	}
}

// The worked examples of S3's SigV4 documentation: header-signed GET
// Object with a range, GET Bucket (List Objects) and GET Bucket
// Lifecycle, and a pre-signed URL.
func TestSignatureV4S3Examples(t *testing.T) {
	example := creds{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, target, rng string
		signed, sig       string
	}{
		{name: "GET Object", target: "/test.txt", rng: "bytes=0-9",
			signed: "host;range;x-amz-content-sha256;x-amz-date", sig: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
		{name: "GET Bucket lifecycle", target: "/?lifecycle",
			signed: "host;x-amz-content-sha256;x-amz-date", sig: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
		{name: "GET Bucket (List Objects)", target: "/?max-keys=2&prefix=J",
			signed: "host;x-amz-content-sha256;x-amz-date", sig: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
	} {
		req, err := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com"+tc.target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tc.rng != "" {
			req.Header.Set("Range", tc.rng)
		}
		req.Header.Set("X-Amz-Content-Sha256", emptyPayloadHash)
		signRequest(req, example, "us-east-1", "s3", emptyPayloadHash, at)
		want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=" + tc.signed + ", Signature=" + tc.sig
		if got := req.Header.Get("Authorization"); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want)
		}
	}

	u := &url.URL{Scheme: "https", Host: "examplebucket.s3.amazonaws.com", Path: "/test.txt"}
	got := presignURL(u, example, "us-east-1", 24*time.Hour, at)
	want := "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	if got != want {
		t.Errorf("pre-signed URL\n got %s\nwant %s", got, want)
	}
}

// A session token is part of what a pre-signed URL signs.
func TestPresignSignsTheSessionToken(t *testing.T) {
	at := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	u := &url.URL{Scheme: "https", Host: "examplebucket.s3.amazonaws.com", Path: "/a b/ü.wav"}
	c := creds{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "secret"}
	plain := presignURL(u, c, "us-east-1", time.Hour, at)
	c.SessionToken = "tok/en+="
	withToken := presignURL(u, c, "us-east-1", time.Hour, at)
	if !strings.Contains(withToken, "X-Amz-Security-Token=tok%2Fen%2B%3D") {
		t.Errorf("no token in %s", withToken)
	}
	if !strings.HasPrefix(withToken, "https://examplebucket.s3.amazonaws.com/a%20b/%C3%BC.wav?") {
		t.Errorf("path not encoded once: %s", withToken)
	}
	sig := func(s string) string { return s[strings.LastIndex(s, "=")+1:] }
	if sig(plain) == sig(withToken) {
		t.Error("the token does not change the signature")
	}
}

// Keys reach S3 byte for byte: the path sent is the path signed, encoded
// as SigV4 encodes (stricter than Go's URL escaping).
func TestURIEncode(t *testing.T) {
	for _, tc := range []struct {
		in, path, query string
	}{
		{"a-b_c.d~e", "a-b_c.d~e", "a-b_c.d~e"},
		{"dir/take 1.wav", "dir/take%201.wav", "dir%2Ftake%201.wav"},
		{"a+b!c(d)*'e", "a%2Bb%21c%28d%29%2A%27e", "a%2Bb%21c%28d%29%2A%27e"},
		{"100%=;&?#.wav", "100%25%3D%3B%26%3F%23.wav", "100%25%3D%3B%26%3F%23.wav"},
		{"ü/ሴ", "%C3%BC/%E1%88%B4", "%C3%BC%2F%E1%88%B4"},
	} {
		if got := uriEncode(tc.in, true); got != tc.path {
			t.Errorf("uriEncode(%q, path) = %q, want %q", tc.in, got, tc.path)
		}
		if got := uriEncode(tc.in, false); got != tc.query {
			t.Errorf("uriEncode(%q, query) = %q, want %q", tc.in, got, tc.query)
		}
		u := &url.URL{Path: "/" + tc.in, RawPath: canonicalPath("/" + tc.in)}
		if u.EscapedPath() != "/"+tc.path {
			t.Errorf("%q goes on the wire as %q, signed as %q", tc.in, u.EscapedPath(), "/"+tc.path)
		}
	}
}
