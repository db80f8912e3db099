package objectstore

// The credential sources of roles that the platform hands a process: web
// identity (EKS service accounts), the container endpoint (ECS, AWS
// Batch, EKS Pod Identity) and the instance role (EC2's instance
// metadata service, IMDSv2). Each fetches temporary credentials, which
// credCache renews before they expire.

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// roleTimeout bounds one request to STS or a container endpoint.
const roleTimeout = 30 * time.Second

// webIdentitySource is AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN:
// STS AssumeRoleWithWebIdentity, an unsigned call whose token is the
// proof. The token file is read again at each renewal, since the
// platform rotates it.
type webIdentitySource struct{}

func (webIdentitySource) name() string { return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)" }

func (webIdentitySource) retrieve(ctx context.Context, hc *http.Client) (creds, error) {
	file := os.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE")
	if file == "" {
		return creds{}, errNotSetUp
	}
	role := os.Getenv("AWS_ROLE_ARN")
	if role == "" {
		return creds{}, errors.New("AWS_ROLE_ARN is not set: it names the role to assume")
	}
	token, err := os.ReadFile(file)
	if err != nil {
		return creds{}, err
	}
	session := os.Getenv("AWS_ROLE_SESSION_NAME")
	if session == "" {
		session = "audiopreflight-" + strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	endpoint := os.Getenv("AWS_ENDPOINT_URL_STS")
	if endpoint == "" {
		endpoint = "https://sts.amazonaws.com"
		if region := firstEnv("AWS_REGION", "AWS_DEFAULT_REGION"); region != "" {
			endpoint = "https://sts." + region + "." + awsDomain(region)
		}
	}
	form := url.Values{
		"Action":           {"AssumeRoleWithWebIdentity"},
		"Version":          {"2011-06-15"},
		"RoleArn":          {role},
		"RoleSessionName":  {session},
		"WebIdentityToken": {strings.TrimSpace(string(token))},
	}
	ctx, cancel := context.WithTimeout(ctx, roleTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return creds{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return creds{}, fmt.Errorf("asking STS to assume %s: %w", role, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return creds{}, fmt.Errorf("reading STS's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code, Message string }
		}
		if xml.Unmarshal(body, &e) == nil && e.Error.Code != "" {
			return creds{}, fmt.Errorf("STS refused to assume %s: %s (%s, HTTP %d)", role, e.Error.Message, e.Error.Code, resp.StatusCode)
		}
		return creds{}, fmt.Errorf("STS refused to assume %s: HTTP %s", role, resp.Status)
	}
	var answer struct {
		Result struct {
			Credentials struct {
				AccessKeyID     string `xml:"AccessKeyId"`
				SecretAccessKey string
				SessionToken    string
				Expiration      time.Time
			}
		} `xml:"AssumeRoleWithWebIdentityResult"`
	}
	if err := xml.Unmarshal(body, &answer); err != nil {
		return creds{}, fmt.Errorf("reading STS's answer: %w", err)
	}
	c := answer.Result.Credentials
	return checkKeys(creds{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expires: c.Expiration})
}

// containerHost is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points:
// the ECS agent's link-local address (a variable for tests).
var containerHost = "http://169.254.170.2"

// containerSource is the container credentials endpoint:
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS, AWS Batch) or
// AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity, local tools),
// with the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at each
// renewal) or AWS_CONTAINER_AUTHORIZATION_TOKEN.
type containerSource struct{}

func (containerSource) name() string { return "container credentials endpoint" }

func (containerSource) retrieve(ctx context.Context, hc *http.Client) (creds, error) {
	var endpoint string
	if rel := os.Getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		endpoint = containerHost + rel
	} else if full := os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"); full != "" {
		if err := checkContainerURI(full); err != nil {
			return creds{}, err
		}
		endpoint = full
	} else {
		return creds{}, errNotSetUp
	}
	token := os.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	if file := os.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return creds{}, err
		}
		token = strings.TrimSpace(string(data))
	}
	ctx, cancel := context.WithTimeout(ctx, roleTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return creds{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	return roleCredentials(hc, req)
}

// checkContainerURI allows what the AWS SDKs allow as a full URI: any
// https URL, and http only to this machine or to the ECS and EKS agents'
// addresses, so that credentials never cross a network in the clear.
func checkContainerURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI=%s is not an http(s) URL", s)
	}
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	switch host {
	case "169.254.170.2", "169.254.170.23", "fd00:ec2::23":
		return nil
	}
	addrs, err := net.LookupHost(host)
	if err != nil {
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI=%s: %w", s, err)
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI=%s: plain http is allowed only to a loopback address or the ECS/EKS agent", s)
		}
	}
	return nil
}

// roleCredentials sends req to a container or instance metadata endpoint
// and reads the JSON credentials it answers.
func roleCredentials(hc *http.Client, req *http.Request) (creds, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return creds{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return creds{}, httpFailure(resp)
	}
	var answer struct {
		Code            string
		Message         string
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		Token           string
		Expiration      string
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&answer); err != nil {
		return creds{}, fmt.Errorf("reading the credentials: %w", err)
	}
	if answer.Code != "" && answer.Code != "Success" {
		return creds{}, fmt.Errorf("%s: %s", answer.Code, answer.Message)
	}
	v := creds{AccessKeyID: answer.AccessKeyID, SecretAccessKey: answer.SecretAccessKey, SessionToken: answer.Token}
	if answer.Expiration != "" {
		if v.Expires, err = parseTime(answer.Expiration); err != nil {
			return creds{}, fmt.Errorf("an Expiration of %q", answer.Expiration)
		}
	}
	return checkKeys(v)
}

// imdsSource is the instance role, from EC2's instance metadata service
// (AWS_EC2_METADATA_SERVICE_ENDPOINT, else 169.254.169.254), IMDSv2: a
// session token asked for with a PUT, then the role's name and its
// credentials. Each request waits AWS_METADATA_SERVICE_TIMEOUT seconds
// (1 by default), as the AWS CLI does. Where IMDSv2 is not served (the
// token request times out or is refused), the requests go without a
// token (IMDSv1), unless AWS_EC2_METADATA_V1_DISABLED=true.
type imdsSource struct{}

func (imdsSource) name() string { return "instance role (instance metadata service)" }

const imdsTokenTTL = "21600"

func (imdsSource) retrieve(ctx context.Context, hc *http.Client) (creds, error) {
	endpoint := strings.TrimSuffix(firstNonEmpty(os.Getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"), "http://169.254.169.254"), "/")
	timeout := time.Second
	if n, err := strconv.ParseFloat(os.Getenv("AWS_METADATA_SERVICE_TIMEOUT"), 64); err == nil && n > 0 {
		timeout = time.Duration(n * float64(time.Second))
	}
	send := func(method, path, token string) (*http.Response, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		req, err := http.NewRequestWithContext(ctx, method, endpoint+path, nil)
		if err != nil {
			cancel()
			return nil, err
		}
		if token != "" {
			req.Header.Set("X-aws-ec2-metadata-token", token)
		} else if method == http.MethodPut {
			req.Header.Set("X-aws-ec2-metadata-token-ttl-seconds", imdsTokenTTL)
		}
		resp, err := hc.Do(req)
		if err != nil {
			cancel()
			return nil, err
		}
		resp.Body = cancelOnClose{resp.Body, cancel}
		return resp, nil
	}
	token, err := imdsToken(send)
	if err != nil {
		return creds{}, err
	}

	resp, err := send(http.MethodGet, "/latest/meta-data/iam/security-credentials/", token)
	if err != nil {
		if token == "" && ctx.Err() == nil {
			// Neither IMDSv2 nor IMDSv1 answers: not an EC2 instance.
			return creds{}, fmt.Errorf("%w: the instance metadata service did not answer (%v)", errNotSetUp, err)
		}
		return creds{}, err
	}
	var role string
	if resp.StatusCode == http.StatusOK {
		sc := bufio.NewScanner(io.LimitReader(resp.Body, 64<<10))
		if sc.Scan() {
			role = strings.TrimSpace(sc.Text())
		}
	}
	status := resp.Status
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return creds{}, errors.New("the instance has no IAM role (instance profile)")
	case resp.StatusCode != http.StatusOK:
		return creds{}, fmt.Errorf("asking the instance metadata service for the role: HTTP %s", status)
	case role == "":
		return creds{}, errors.New("the instance has no IAM role (instance profile)")
	}
	ctx2, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx2, http.MethodGet, endpoint+"/latest/meta-data/iam/security-credentials/"+url.PathEscape(role), nil)
	if err != nil {
		return creds{}, err
	}
	if token != "" {
		req.Header.Set("X-aws-ec2-metadata-token", token)
	}
	v, err := roleCredentials(hc, req)
	if err != nil {
		return creds{}, fmt.Errorf("role %s: %w", role, err)
	}
	return v, nil
}

// imdsToken asks for an IMDSv2 session token. It returns "" (go on with
// IMDSv1) when the service times out on the PUT, as it does when a
// container's extra network hop drops the answer, or refuses it as a
// service that predates IMDSv2 would.
func imdsToken(send func(method, path, token string) (*http.Response, error)) (string, error) {
	v1 := !strings.EqualFold(os.Getenv("AWS_EC2_METADATA_V1_DISABLED"), "true")
	resp, err := send(http.MethodPut, "/latest/api/token", "")
	if err != nil {
		var ne net.Error
		if v1 && (errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()) {
			return "", nil
		}
		return "", fmt.Errorf("%w: the instance metadata service did not answer (%v)", errNotSetUp, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		if err != nil {
			return "", err
		}
		return strings.TrimSpace(string(body)), nil
	case v1 && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed):
		return "", nil
	}
	return "", fmt.Errorf("asking the instance metadata service for a token: %w", httpFailure(resp))
}

// cancelOnClose ends a request's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
