package objectstore

// The shared config and credentials files of the AWS CLI ("Configuration
// and credential file settings" in the AWS CLI user guide): the profile
// of AWS_PROFILE (else AWS_DEFAULT_PROFILE, else "default"), written
// [profile name] in the config file and [name] in the credentials file,
// with static keys, an IAM Identity Center (SSO) role, or a
// credential_process.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// iniFile is an AWS config or credentials file: sections of keys. Keys
// are lowercase; values are trimmed.
type iniFile map[string]map[string]string

// parseINI reads the AWS CLI's INI dialect: [section] headers, key =
// value lines, comments starting with # or ; (also after a value, when a
// blank precedes them), and indented lines under a key with no value
// (nested settings such as "s3 =", which no credential needs: skipped).
func parseINI(data []byte) (iniFile, error) {
	f := iniFile{}
	var section map[string]string
	nested := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if nested && raw[0] != line[0] {
			continue
		}
		nested = false
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("line %d: a section header without ']'", n)
			}
			name := strings.Join(strings.Fields(line[1:end]), " ")
			if f[name] == nil {
				f[name] = map[string]string{}
			}
			section = f[name]
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: neither a section nor key = value", n)
		}
		if section == nil {
			return nil, fmt.Errorf("line %d: a setting before the first [section]", n)
		}
		v = strings.TrimSpace(stripComment(v))
		if v == "" {
			nested = true
		}
		section[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return f, sc.Err()
}

func stripComment(v string) string {
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return v[:i]
		}
	}
	return v
}

// profile is one profile of the two files: its config-file settings and
// its credentials-file settings, kept apart because their static keys
// are taken as a pair from one file or the other, never mixed.
type profile struct {
	name          string
	config, creds map[string]string
	// ssoSessions are the config file's [sso-session name] sections.
	ssoSessions iniFile
}

// get is a setting of the profile, the credentials file's first.
func (p *profile) get(key string) string {
	if v := p.creds[key]; v != "" {
		return v
	}
	return p.config[key]
}

// loadProfile reads the profile from the config file (AWS_CONFIG_FILE,
// else ~/.aws/config) and the credentials file
// (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials). A file that
// does not exist counts as empty; one that exists but cannot be read
// or parsed is an error, not a reason to use other credentials.
func loadProfile() (*profile, bool, error) {
	name := firstEnv("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
	named := name != ""
	if !named {
		name = "default"
	}
	configPath, credsPath := os.Getenv("AWS_CONFIG_FILE"), os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
	if configPath == "" || credsPath == "" {
		home, err := os.UserHomeDir()
		if err != nil && named {
			return nil, false, fmt.Errorf("profile %q: %w", name, err)
		}
		if err == nil && configPath == "" {
			configPath = filepath.Join(home, ".aws", "config")
		}
		if err == nil && credsPath == "" {
			credsPath = filepath.Join(home, ".aws", "credentials")
		}
	}
	config, err := readINI(configPath)
	if err != nil {
		return nil, false, err
	}
	credsFile, err := readINI(credsPath)
	if err != nil {
		return nil, false, err
	}
	p := &profile{name: name, creds: credsFile[name], ssoSessions: iniFile{}}
	// The config file names profiles "profile NAME", except the default,
	// which may be either.
	p.config = config["profile "+name]
	if p.config == nil && name == "default" {
		p.config = config["default"]
	}
	for section, keys := range config {
		if s, ok := strings.CutPrefix(section, "sso-session "); ok {
			p.ssoSessions[s] = keys
		}
	}
	if p.config == nil && p.creds == nil {
		if named {
			return nil, false, fmt.Errorf("the profile %q (AWS_PROFILE) is in neither %s nor %s", name, configPath, credsPath)
		}
		return nil, false, nil
	}
	return p, true, nil
}

func readINI(path string) (iniFile, error) {
	if path == "" {
		return iniFile{}, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return iniFile{}, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := parseINI(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// profileSource is the profile's credentials: static keys (from the
// credentials file, else the config file), else an SSO role, else a
// credential_process — the precedence of aws-sdk-go-v2.
type profileSource struct{}

func (profileSource) name() string {
	return "profile " + firstNonEmpty(firstEnv("AWS_PROFILE", "AWS_DEFAULT_PROFILE"), "default")
}

func (profileSource) retrieve(ctx context.Context, hc *http.Client) (creds, error) {
	p, ok, err := loadProfile()
	if err != nil || !ok {
		if err == nil {
			err = errNotSetUp
		}
		return creds{}, err
	}
	for _, file := range []map[string]string{p.creds, p.config} {
		id, secret := file["aws_access_key_id"], file["aws_secret_access_key"]
		switch {
		case id != "" && secret != "":
			return creds{AccessKeyID: id, SecretAccessKey: secret, SessionToken: file["aws_session_token"]}, nil
		case id != "" || secret != "":
			return creds{}, errors.New("aws_access_key_id and aws_secret_access_key must be set together")
		}
	}
	if p.get("sso_role_name") != "" || p.get("sso_session") != "" || p.get("sso_start_url") != "" || p.get("sso_account_id") != "" {
		return ssoCredentials(ctx, hc, p)
	}
	if cmd := p.get("credential_process"); cmd != "" {
		return processCredentials(ctx, cmd)
	}
	if p.get("role_arn") != "" {
		return creds{}, errors.New("role_arn (assuming a role from a profile) is not supported: export the role's keys, or use web identity")
	}
	return creds{}, errNotSetUp
}

// ssoTimeout bounds the request for an SSO role's credentials.
const ssoTimeout = time.Minute

// ssoCredentials asks the IAM Identity Center portal
// (GetRoleCredentials) for the profile's role, with the access token
// that `aws sso login` cached in ~/.aws/sso/cache under the SHA-1 of the
// sso-session's name (or, for a legacy profile, of its start URL).
func ssoCredentials(ctx context.Context, hc *http.Client, p *profile) (creds, error) {
	account, role := p.get("sso_account_id"), p.get("sso_role_name")
	if account == "" || role == "" {
		return creds{}, errors.New("an SSO profile needs both sso_account_id and sso_role_name")
	}
	region, startURL := p.get("sso_region"), p.get("sso_start_url")
	key := startURL
	if session := p.get("sso_session"); session != "" {
		s, ok := p.ssoSessions[session]
		if !ok {
			return creds{}, fmt.Errorf("sso_session %q has no [sso-session %s] section in the config file", session, session)
		}
		if r := s["sso_region"]; r != "" {
			if region != "" && region != r {
				return creds{}, fmt.Errorf("sso_region %q of the profile differs from %q of sso-session %s", region, r, session)
			}
			region = r
		}
		if u := s["sso_start_url"]; u != "" && startURL != "" && u != startURL {
			return creds{}, fmt.Errorf("sso_start_url %q of the profile differs from %q of sso-session %s", startURL, u, session)
		}
		key = session
	}
	if key == "" {
		return creds{}, errors.New("an SSO profile needs sso_session or sso_start_url")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return creds{}, err
	}
	sum := sha1.Sum([]byte(key))
	cache := filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	data, err := os.ReadFile(cache)
	if err != nil {
		return creds{}, fmt.Errorf("no SSO login cached (run aws sso login): %w", err)
	}
	var token struct {
		AccessToken string `json:"accessToken"`
		ExpiresAt   string `json:"expiresAt"`
		Region      string `json:"region"`
	}
	if err := json.Unmarshal(data, &token); err != nil {
		return creds{}, fmt.Errorf("%s: %w", cache, err)
	}
	expires, err := parseTime(token.ExpiresAt)
	if err != nil || token.AccessToken == "" {
		return creds{}, fmt.Errorf("%s holds no access token with an expiry", cache)
	}
	if !time.Now().Before(expires) {
		return creds{}, errors.New("the SSO login has expired: run aws sso login")
	}
	region = firstNonEmpty(region, token.Region)
	if region == "" {
		return creds{}, errors.New("no sso_region in the profile, its sso-session or the cached login")
	}
	portal := firstNonEmpty(os.Getenv("AWS_ENDPOINT_URL_SSO"), "https://portal.sso."+region+"."+awsDomain(region))
	ctx, cancel := context.WithTimeout(ctx, ssoTimeout)
	defer cancel()
	u := strings.TrimSuffix(portal, "/") + "/federation/credentials?" + url.Values{"account_id": {account}, "role_name": {role}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return creds{}, err
	}
	req.Header.Set("x-amz-sso_bearer_token", token.AccessToken)
	resp, err := hc.Do(req)
	if err != nil {
		return creds{}, fmt.Errorf("asking the SSO portal for role credentials: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return creds{}, fmt.Errorf("the SSO portal refused role %s of account %s: %w", role, account, httpFailure(resp))
	}
	var answer struct {
		RoleCredentials struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
			Expiration      int64  `json:"expiration"` // Unix milliseconds
		} `json:"roleCredentials"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return creds{}, fmt.Errorf("reading the SSO portal's answer: %w", err)
	}
	rc := answer.RoleCredentials
	v := creds{AccessKeyID: rc.AccessKeyID, SecretAccessKey: rc.SecretAccessKey, SessionToken: rc.SessionToken}
	if rc.Expiration > 0 {
		v.Expires = time.UnixMilli(rc.Expiration)
	}
	return checkKeys(v)
}

// processTimeout bounds a credential_process run, as aws-sdk-go-v2 does.
const processTimeout = time.Minute

// processCredentials runs the profile's credential_process through the
// shell (as aws-sdk-go-v2 does, so that quoted paths work) and reads its
// JSON output, Version 1. Its stderr is kept for the error message, not
// passed on: nothing but the report reaches the user's terminal.
func processCredentials(ctx context.Context, command string) (creds, error) {
	ctx, cancel := context.WithTimeout(ctx, processTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		cmd = exec.CommandContext(ctx, "cmd.exe", "/C", command)
	} else {
		cmd = exec.CommandContext(ctx, "/bin/sh", "-c", command)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.Join(strings.Fields(stderr.String()), " ")
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		if msg != "" {
			return creds{}, fmt.Errorf("credential_process failed (%v): %s", err, msg)
		}
		return creds{}, fmt.Errorf("credential_process failed: %w", err)
	}
	var answer struct {
		Version         int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		return creds{}, fmt.Errorf("credential_process printed no JSON credentials: %w", err)
	}
	if answer.Version != 1 {
		return creds{}, fmt.Errorf("credential_process printed Version %d; only Version 1 is defined", answer.Version)
	}
	v := creds{AccessKeyID: answer.AccessKeyID, SecretAccessKey: answer.SecretAccessKey, SessionToken: answer.SessionToken}
	if answer.Expiration != "" {
		if v.Expires, err = parseTime(answer.Expiration); err != nil {
			return creds{}, fmt.Errorf("credential_process printed Expiration %q, not an RFC 3339 time", answer.Expiration)
		}
	}
	v, err = checkKeys(v)
	if err != nil {
		return creds{}, fmt.Errorf("credential_process: %w", err)
	}
	return v, nil
}

// awsDomain is the DNS suffix of a region's partition.
func awsDomain(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
