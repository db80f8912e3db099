package objectstore

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/objectstore/s3test"
)

// noCreds isolates a test's credential chain from the machine: no keys
// in the environment, config and credentials files in a new directory,
// no instance metadata.
func noCreds(t *testing.T) (config, credentials string) {
	t.Helper()
	s3test.Env(t, "", "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	return os.Getenv("AWS_CONFIG_FILE"), os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// resolveChain runs the whole chain as New does.
func resolveChain(t *testing.T) (creds, credSource, error) {
	t.Helper()
	c := &credCache{hc: http.DefaultClient, now: time.Now}
	err := c.resolve(context.Background(), chain())
	return c.cur, c.src, err
}

func TestEnvironmentKeys(t *testing.T) {
	noCreds(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
	t.Setenv("AWS_SESSION_TOKEN", "envtoken")
	got, _, err := resolveChain(t)
	if err != nil || got != (creds{AccessKeyID: "AKIDENV", SecretAccessKey: "envsecret", SessionToken: "envtoken"}) {
		t.Fatalf("got %+v, %v", got, err)
	}
	// Half a key pair is an error, not anonymous requests.
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "AWS_SECRET_ACCESS_KEY is not") {
		t.Errorf("access key alone: %v", err)
	}
}

// The profile comes from both files: [profile x] in the config file, [x]
// in the credentials file, whose keys win; sections of the wrong form
// for their file are not profiles.
func TestSharedFilesProfiles(t *testing.T) {
	config, credentials := noCreds(t)
	write(t, config, `# comment
[default]
region = eu-west-1
[profile dev]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = configsecret ; a comment
s3 =
    max_concurrent_requests = 4
[staging]
aws_access_key_id = AKIDBARECONFIG
aws_secret_access_key = ignored
`)
	write(t, credentials, `[dev]
aws_access_key_id=AKIDCREDS
aws_secret_access_key=credssecret
aws_session_token=credstoken
[profile staging]
aws_access_key_id = AKIDPREFIXED
aws_secret_access_key = ignored
`)
	t.Setenv("AWS_PROFILE", "dev")
	got, src, err := resolveChain(t)
	if err != nil || got != (creds{AccessKeyID: "AKIDCREDS", SecretAccessKey: "credssecret", SessionToken: "credstoken"}) {
		t.Fatalf("dev: got %+v, %v", got, err)
	}
	if src.name() != "profile dev" {
		t.Errorf("source %q", src.name())
	}

	// Without the credentials file, the config file's keys (comment
	// stripped).
	os.Remove(credentials)
	got, _, err = resolveChain(t)
	if err != nil || got.AccessKeyID != "AKIDCONFIG" || got.SecretAccessKey != "configsecret" {
		t.Fatalf("dev from config: got %+v, %v", got, err)
	}

	// [staging] in the config file and [profile staging] in the
	// credentials file are neither of them the profile staging.
	t.Setenv("AWS_PROFILE", "staging")
	write(t, credentials, "[profile staging]\naws_access_key_id = AKIDPREFIXED\naws_secret_access_key = x\n")
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), `"staging"`) {
		t.Errorf("staging: %v, want the profile reported missing", err)
	}

	// The default profile with no keys is not a source: the chain goes on
	// (and here finds nothing).
	t.Setenv("AWS_PROFILE", "")
	if _, _, err := resolveChain(t); err == nil || err.Error() != "none found" {
		t.Errorf("default without keys: %v", err)
	}

	// Half a key pair stops the chain, even with other sources behind.
	write(t, credentials, "[default]\naws_access_key_id = AKIDHALF\n")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/never")
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "must be set together") {
		t.Errorf("half a pair: %v", err)
	}
}

func TestParseINI(t *testing.T) {
	f, err := parseINI([]byte("[ profile   a ]\nKey = v # c\nurl = http://x/#frag\n\n; c\n[b]\nk=\n  sub = 1\nz = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f["profile a"]["key"] != "v" || f["profile a"]["url"] != "http://x/#frag" || f["b"]["z"] != "2" || f["b"]["sub"] != "" {
		t.Errorf("parsed %v", f)
	}
	for _, bad := range []string{"[a\nk=v\n", "k = v\n", "[a]\njunk\n"} {
		if _, err := parseINI([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// credential_process runs through the shell; its JSON (Version 1) gives
// the keys and when they expire; a failure says what the process said.
func TestCredentialProcess(t *testing.T) {
	config, _ := noCreds(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "creds helper.sh")
	write(t, script, `#!/bin/sh
if [ "$1" = fail ]; then echo "no session: log in first" >&2; exit 3; fi
echo "{\"Version\": $1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"procsecret\", \"SessionToken\": \"proctoken\", \"Expiration\": \"2031-02-03T04:05:06Z\"}"
`)
	os.Chmod(script, 0o755)
	t.Setenv("AWS_PROFILE", "proc")
	for _, tc := range []struct{ arg, err string }{
		{arg: "1"},
		{arg: "2", err: "Version 2"},
		{arg: "fail", err: "no session: log in first"},
	} {
		write(t, config, fmt.Sprintf("[profile proc]\ncredential_process = %q %s\n", script, tc.arg))
		got, _, err := resolveChain(t)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want an error with %q", tc.arg, err, tc.err)
			}
			continue
		}
		want := creds{AccessKeyID: "AKIDPROC", SecretAccessKey: "procsecret", SessionToken: "proctoken", Expires: time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)}
		if err != nil || !got.Expires.Equal(want.Expires) || got.AccessKeyID != want.AccessKeyID || got.SessionToken != want.SessionToken {
			t.Errorf("got %+v, %v; want %+v", got, err, want)
		}
	}
}

// An SSO profile takes the token cached by `aws sso login` (named by the
// SHA-1 of the sso-session's name, or of a legacy profile's start URL)
// to the portal's GetRoleCredentials.
func TestSSOProfile(t *testing.T) {
	config, _ := noCreds(t)
	home := os.Getenv("HOME")
	var mu sync.Mutex
	var asked []string
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.URL.Path+" "+r.URL.Query().Get("account_id")+" "+r.URL.Query().Get("role_name")+" "+r.Header.Get("x-amz-sso_bearer_token"))
		mu.Unlock()
		if r.Header.Get("x-amz-sso_bearer_token") == "" {
			w.WriteHeader(401)
			return
		}
		fmt.Fprintf(w, `{"roleCredentials":{"accessKeyId":"AKIDSSO","secretAccessKey":"ssosecret","sessionToken":"ssotoken","expiration":%d}}`,
			time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())
	}))
	defer portal.Close()
	t.Setenv("AWS_ENDPOINT_URL_SSO", portal.URL)
	cache := func(key, token string, expires time.Time) {
		sum := sha1.Sum([]byte(key))
		data, _ := json.Marshal(map[string]string{"accessToken": token, "expiresAt": expires.UTC().Format(time.RFC3339), "region": "eu-west-1"})
		write(t, filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"), string(data))
	}
	write(t, config, `[profile modern]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Reader
[sso-session corp]
sso_region = eu-west-1
sso_start_url = https://corp.awsapps.com/start
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-2
sso_account_id = 444455556666
sso_role_name = Auditor
`)
	future := time.Now().Add(time.Hour)
	cache("corp", "modern-token", future)
	cache("https://legacy.awsapps.com/start", "legacy-token", future)

	for _, tc := range []struct{ profile, want string }{
		{"modern", "GET /federation/credentials 111122223333 Reader modern-token"},
		{"legacy", "GET /federation/credentials 444455556666 Auditor legacy-token"},
	} {
		asked = nil
		t.Setenv("AWS_PROFILE", tc.profile)
		got, _, err := resolveChain(t)
		if err != nil || got.AccessKeyID != "AKIDSSO" || got.SessionToken != "ssotoken" || !got.Expires.Equal(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("%s: got %+v, %v", tc.profile, got, err)
		}
		if len(asked) != 1 || asked[0] != tc.want {
			t.Errorf("%s: the portal was asked %q, want %q", tc.profile, asked, tc.want)
		}
	}

	cache("corp", "old-token", time.Now().Add(-time.Minute))
	t.Setenv("AWS_PROFILE", "modern")
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "aws sso login") {
		t.Errorf("expired login: %v", err)
	}
	os.RemoveAll(filepath.Join(home, ".aws", "sso"))
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "aws sso login") {
		t.Errorf("no login: %v", err)
	}
}

// Web identity: the token file's token goes to STS
// AssumeRoleWithWebIdentity, unsigned, and its XML answer gives the keys.
func TestWebIdentity(t *testing.T) {
	noCreds(t)
	var form map[string]string
	var authorization string
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		form = map[string]string{"method": r.Method}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		authorization = r.Header.Get("Authorization")
		if form["RoleArn"] == "arn:aws:iam::123456789012:role/denied" {
			w.WriteHeader(403)
			fmt.Fprint(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>`)
			return
		}
		fmt.Fprint(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <SessionToken>webtoken</SessionToken>
      <SecretAccessKey>websecret</SecretAccessKey>
      <Expiration>2031-10-24T23:00:23Z</Expiration>
      <AccessKeyId>ASIAWEB</AccessKeyId>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>`)
	}))
	defer sts.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	write(t, tokenFile, "eyJ.token.sig\n")
	t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)

	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "AWS_ROLE_ARN") {
		t.Errorf("no role: %v", err)
	}
	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/reader")
	t.Setenv("AWS_ROLE_SESSION_NAME", "batch-7")
	got, _, err := resolveChain(t)
	want := creds{AccessKeyID: "ASIAWEB", SecretAccessKey: "websecret", SessionToken: "webtoken", Expires: time.Date(2031, 10, 24, 23, 0, 23, 0, time.UTC)}
	if err != nil || got.AccessKeyID != want.AccessKeyID || got.SessionToken != want.SessionToken || !got.Expires.Equal(want.Expires) {
		t.Fatalf("got %+v, %v", got, err)
	}
	wantForm := map[string]string{"method": "POST", "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
		"RoleArn": "arn:aws:iam::123456789012:role/reader", "RoleSessionName": "batch-7", "WebIdentityToken": "eyJ.token.sig"}
	if fmt.Sprint(form) != fmt.Sprint(wantForm) || authorization != "" {
		t.Errorf("STS got %v (Authorization %q), want %v unsigned", form, authorization, wantForm)
	}

	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/denied")
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "Not authorized") || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("denied: %v", err)
	}
}

// The container endpoint: a relative URI on the ECS agent's address, or
// a full URI with an authorization token (from its file first).
func TestContainerCredentials(t *testing.T) {
	noCreds(t)
	var seen []string
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.Path+" "+r.Header.Get("Authorization"))
		if r.URL.Path == "/broken" {
			w.WriteHeader(500)
			fmt.Fprint(w, `{"code":"InternalError","message":"agent not ready"}`)
			return
		}
		fmt.Fprint(w, `{"AccessKeyId":"ASIACONT","SecretAccessKey":"contsecret","Token":"conttoken","Expiration":"2031-05-06T07:08:09Z","RoleArn":"arn:aws:iam::1:role/task"}`)
	}))
	defer agent.Close()
	saved := containerHost
	containerHost = agent.URL
	defer func() { containerHost = saved }()

	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-1")
	got, src, err := resolveChain(t)
	if err != nil || got.AccessKeyID != "ASIACONT" || got.SessionToken != "conttoken" || !got.Expires.Equal(time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)) {
		t.Fatalf("relative: %+v, %v", got, err)
	}
	if _, ok := src.(containerSource); !ok {
		t.Errorf("source %T", src)
	}

	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.URL+"/pod-identity")
	t.Setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "token-from-env")
	tokenFile := filepath.Join(t.TempDir(), "eks-token")
	write(t, tokenFile, "token-from-file\n")
	if _, _, err := resolveChain(t); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile)
	if _, _, err := resolveChain(t); err != nil {
		t.Fatal(err)
	}
	if want := []string{"/v2/credentials/task-1 ", "/pod-identity token-from-env", "/pod-identity token-from-file"}; fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("the agent saw %q, want %q", seen, want)
	}

	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.URL+"/broken")
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "agent not ready") {
		t.Errorf("broken agent: %v", err)
	}
	// Plain http elsewhere than this machine or the agents' addresses
	// would send the token over a network: refused without a request.
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1/creds")
	if _, _, err := resolveChain(t); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("non-loopback http: %v", err)
	}
}

// The instance role: IMDSv2's token PUT, then the role's name, then its
// credentials, each with the token; IMDSv1 where the PUT is refused,
// unless that is disabled.
func TestInstanceMetadataCredentials(t *testing.T) {
	noCreds(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "")
	var mu sync.Mutex
	var seen []string
	refuseToken := false
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("X-aws-ec2-metadata-token-ttl-seconds")+" "+r.Header.Get("X-aws-ec2-metadata-token"))
		mu.Unlock()
		switch {
		case r.URL.Path == "/latest/api/token" && r.Method == http.MethodPut && !refuseToken:
			io.WriteString(w, "imds-session")
		case r.URL.Path == "/latest/api/token":
			w.WriteHeader(http.StatusForbidden)
		case r.URL.Path == "/latest/meta-data/iam/security-credentials/":
			io.WriteString(w, "batch-role\n")
		case r.URL.Path == "/latest/meta-data/iam/security-credentials/batch-role":
			io.WriteString(w, `{"Code":"Success","LastUpdated":"2030-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdssecret","Token":"imdstoken","Expiration":"2031-07-08T09:10:11Z"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer imds.Close()
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL+"/")

	got, _, err := resolveChain(t)
	if err != nil || got.AccessKeyID != "ASIAIMDS" || got.SessionToken != "imdstoken" || !got.Expires.Equal(time.Date(2031, 7, 8, 9, 10, 11, 0, time.UTC)) {
		t.Fatalf("IMDSv2: %+v, %v", got, err)
	}
	want := []string{
		"PUT /latest/api/token 21600 ",
		"GET /latest/meta-data/iam/security-credentials/  imds-session",
		"GET /latest/meta-data/iam/security-credentials/batch-role  imds-session",
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("requests\n %q\nwant\n %q", seen, want)
	}

	seen, refuseToken = nil, true
	if got, _, err := resolveChain(t); err != nil || got.AccessKeyID != "ASIAIMDS" {
		t.Fatalf("IMDSv1: %+v, %v", got, err)
	}
	if len(seen) != 3 || strings.HasSuffix(seen[1], "imds-session") {
		t.Errorf("IMDSv1 requests %q", seen)
	}
	t.Setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
	if _, _, err := resolveChain(t); err == nil {
		t.Error("IMDSv1 used while disabled")
	}

	// Disabled: never asked.
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	seen = nil
	if _, _, err := resolveChain(t); err == nil || len(seen) != 0 {
		t.Errorf("disabled: %v, %d requests", err, len(seen))
	}
}

// A machine without an instance metadata service: the chain ends with
// none found, and says what it tried.
func TestInstanceMetadataAbsent(t *testing.T) {
	noCreds(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "")
	srv := httptest.NewServer(http.NotFoundHandler())
	endpoint := srv.URL
	srv.Close() // nothing listens there now
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint)
	_, _, err := resolveChain(t)
	if err == nil || !strings.HasPrefix(err.Error(), "none found (instance role") {
		t.Errorf("%v", err)
	}
}

// The chain's order: the environment before the files, the files before
// web identity and the container; the first source set up decides.
func TestChainOrder(t *testing.T) {
	_, credentials := noCreds(t)
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"AccessKeyId":"ASIACONT","SecretAccessKey":"s","Token":"t","Expiration":"2031-05-06T07:08:09Z"}`)
	}))
	defer agent.Close()
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.URL)
	write(t, credentials, "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	for _, want := range []string{"AKIDENV", "AKIDFILE", "ASIACONT"} {
		got, _, err := resolveChain(t)
		if err != nil || got.AccessKeyID != want {
			t.Fatalf("got %+v, %v; want %s", got, err, want)
		}
		switch want {
		case "AKIDENV":
			t.Setenv("AWS_ACCESS_KEY_ID", "")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		case "AKIDFILE":
			os.Remove(credentials)
		}
	}
}

// fakeSource hands out credentials that expire an hour after the fake
// clock's time, each with a new token, or fails when told to.
type fakeSource struct {
	now   *time.Time
	calls int
	fail  error
}

func (f *fakeSource) name() string { return "fake" }

func (f *fakeSource) retrieve(context.Context, *http.Client) (creds, error) {
	f.calls++
	if f.fail != nil {
		return creds{}, f.fail
	}
	return creds{AccessKeyID: "ASIA", SecretAccessKey: "s", SessionToken: fmt.Sprintf("token-%d", f.calls), Expires: f.now.Add(time.Hour)}, nil
}

// Temporary credentials are renewed once 80% of their life has passed;
// a failed renewal keeps the ones in hand while they work, tries again
// later, and is an error once they have expired.
func TestCredentialsRenewBeforeExpiry(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	src := &fakeSource{now: &now}
	c := &credCache{now: func() time.Time { return now }}
	if err := c.resolve(context.Background(), []credSource{src}); err != nil {
		t.Fatal(err)
	}
	token := func() string {
		t.Helper()
		v, err := c.get(context.Background())
		if err != nil {
			t.Fatalf("at %v: %v", now, err)
		}
		return v.SessionToken
	}
	now = now.Add(47 * time.Minute)
	if got := token(); got != "token-1" || src.calls != 1 {
		t.Errorf("at 47 min: %s after %d calls", got, src.calls)
	}
	now = now.Add(2 * time.Minute) // 49 min: past 80% of the hour
	if got := token(); got != "token-2" || src.calls != 2 {
		t.Errorf("at 49 min: %s after %d calls", got, src.calls)
	}

	// The second set expires at 13:49; renewal is due from 13:37.
	src.fail = errors.New("STS unreachable")
	now = now.Add(50 * time.Minute) // 13:39
	if got := token(); got != "token-2" || src.calls != 3 {
		t.Errorf("failed renewal: %s after %d calls", got, src.calls)
	}
	now = now.Add(10 * time.Second)
	if got := token(); got != "token-2" || src.calls != 3 {
		t.Errorf("renewal retried after 10 s: %d calls", src.calls)
	}
	now = now.Add(30 * time.Second)
	token()
	if src.calls != 4 {
		t.Errorf("renewal not retried after 40 s: %d calls", src.calls)
	}
	now = now.Add(10 * time.Minute) // 13:50, expired
	_, err := c.get(context.Background())
	var ce *credError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "STS unreachable") {
		t.Errorf("after expiry: %v", err)
	}
	src.fail = nil
	if got := token(); got != "token-6" {
		t.Errorf("after recovery: %s", got)
	}

	// Keys that do not expire are never fetched again.
	static := &credCache{now: func() time.Time { return now }}
	n := 0
	static.resolve(context.Background(), []credSource{sourceFunc(func() (creds, error) { n++; return creds{AccessKeyID: "A", SecretAccessKey: "s"}, nil })})
	now = now.Add(1000 * time.Hour)
	static.get(context.Background())
	if n != 1 {
		t.Errorf("static keys fetched %d times", n)
	}
}

type sourceFunc func() (creds, error)

func (sourceFunc) name() string { return "func" }

func (f sourceFunc) retrieve(context.Context, *http.Client) (creds, error) { return f() }
