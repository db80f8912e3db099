package main

import (
	le "encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/objectstore/s3test"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/internal/shard"
)

// corpusBucket starts versitygw with the committed corpus as the bucket
// "corpus" (testdata/corpus/wav/x.wav is s3://corpus/wav/x.wav), and
// returns the environment that reaches it.
func corpusBucket(t *testing.T) (*s3test.Versity, []string) {
	t.Helper()
	v := s3test.StartVersity(t)
	err := filepath.WalkDir("testdata/corpus", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/corpus", p)
		v.Put(t, "corpus", filepath.ToSlash(rel), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v, objectEnv(t, v.URL)
}

// objectEnv is the environment of a run against a test store: its keys,
// no profile of the machine's, no instance metadata.
func objectEnv(t testing.TB, endpoint string) []string {
	dir := t.TempDir()
	return []string{
		"AWS_ACCESS_KEY_ID=" + s3test.AccessKey, "AWS_SECRET_ACCESS_KEY=" + s3test.SecretKey,
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_PROFILE=", "AWS_REGION=", "AWS_SESSION_TOKEN=", "AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=",
		"AWS_ENDPOINT_URL=", "AWS_ENDPOINT_URL_S3=" + endpoint,
		"JOB_COMPLETION_INDEX=", "AWS_BATCH_JOB_ARRAY_INDEX=", "AWS_BATCH_JOB_ARRAY_SIZE=",
	}
}

// verdicts reads JSONL results into what each input's verdict is: every
// field but the input's name, identity and source, and the hint (whose
// command names the input), keyed by the input's name with prefix cut.
func verdicts(t *testing.T, jsonl, prefix string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		name, ok := strings.CutPrefix(r["input"].(string), prefix)
		if !ok {
			t.Fatalf("input %q outside %s", r["input"], prefix)
		}
		for _, k := range []string{"input", "input_id", "source", "hint"} {
			delete(r, k)
		}
		v, _ := json.Marshal(r)
		out[name] = string(v)
	}
	return out
}

// Verdicts from a bucket equal the verdicts of the same files checked
// locally, in a full check and a header check.
func TestScaleBucketVerdictsEqualLocal(t *testing.T) {
	_, env := corpusBucket(t)
	for _, mode := range [][]string{nil, {"--header-only"}} {
		_, local, _ := runBinary(t, nil, nil, append([]string{"check", "-o", "jsonl", "testdata/corpus"}, mode...)...)
		code, remote, stderr := runBinary(t, nil, env, append([]string{"check", "-o", "jsonl", "--read-objects", "s3://corpus/"}, mode...)...)
		if code == 2 || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", mode, code, stderr)
		}
		want, got := verdicts(t, local, "testdata/corpus/"), verdicts(t, remote, "s3://corpus/")
		if len(want) < 1000 || len(got) != len(want) {
			t.Fatalf("%v: %d results from the bucket, %d locally", mode, len(got), len(want))
		}
		for name, v := range want {
			if got[name] != v {
				t.Errorf("%v %s:\nlocal  %s\nbucket %s", mode, name, v, got[name])
			}
		}
		var r struct{ Source string }
		json.Unmarshal([]byte(remote[:strings.IndexByte(remote, '\n')]), &r)
		if r.Source != report.SourceObject {
			t.Errorf("source %q, want %q", r.Source, report.SourceObject)
		}
	}
}

// sortedLines is a JSONL output's lines, sorted.
func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(lines)
	return lines
}

// Shards split a bucket among workers that know nothing of each other,
// with K from the flag or the batch engine's variable: concatenating
// their JSONL reports gives the report of one run, input for input.
func TestScaleShardsMergeToOneRun(t *testing.T) {
	_, env := corpusBucket(t)
	args := []string{"check", "-o", "jsonl", "--header-only", "--read-objects", "s3://corpus/"}
	_, whole, _ := runBinary(t, nil, env, args...)
	const n = 7
	var merged strings.Builder
	seen := map[string]int{}
	for k := range n {
		shardArgs := append(slices.Clone(args), "--shard", fmt.Sprintf("%d/%d", k, n))
		shardEnv := env
		if k%2 == 1 {
			// As a Kubernetes Indexed Job runs it.
			shardArgs = append(slices.Clone(args), "--shard-count", fmt.Sprint(n))
			shardEnv = append(slices.Clone(env), fmt.Sprintf("JOB_COMPLETION_INDEX=%d", k))
		}
		code, out, stderr := runBinary(t, nil, shardEnv, shardArgs...)
		if code == 2 || stderr != "" {
			t.Fatalf("shard %d: exit %d, stderr %q", k, code, stderr)
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r struct{ Input string }
			json.Unmarshal([]byte(line), &r)
			if got := shard.Of(r.Input, n); got != k {
				t.Fatalf("shard %d checked %s, of shard %d", k, r.Input, got)
			}
			seen[r.Input]++
		}
		merged.WriteString(out)
	}
	if got, want := sortedLines(merged.String()), sortedLines(whole); !slices.Equal(got, want) {
		t.Fatalf("the merged shards have %d lines, one run %d, and they differ", len(got), len(want))
	}
	for in, c := range seen {
		if c != 1 {
			t.Errorf("%s checked %d times", in, c)
		}
	}
}

// A run killed at random moments and started again with --resume each
// time ends with the report of one run: nothing lost, nothing twice.
func TestScaleResumeAfterKills(t *testing.T) {
	_, env := corpusBucket(t)
	args := []string{"check", "-o", "jsonl", "--read-objects", "--remote-jobs", "4", "s3://corpus/"}
	_, whole, _ := runBinary(t, nil, env, args...)
	report := filepath.Join(t.TempDir(), "report.jsonl")
	rng := rand.New(rand.NewPCG(7, 11))
	kills := 0
	for attempt := 0; ; attempt++ {
		c := exec.Command(binary, append(args, "--resume", report)...)
		c.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		if attempt < 12 {
			select {
			case <-done:
			case <-time.After(time.Duration(50+rng.IntN(400)) * time.Millisecond):
				c.Process.Signal(syscall.SIGKILL)
				<-done
				kills++
				continue
			}
		} else {
			<-done
		}
		if c.ProcessState.ExitCode() == 2 {
			t.Fatalf("the resumed run failed")
		}
		break
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sortedLines(string(data)), sortedLines(whole); !slices.Equal(got, want) {
		t.Fatalf("after %d kills the report has %d lines, one run %d, and they differ", kills, len(got), len(want))
	}
	if kills == 0 {
		t.Error("no run was killed")
	}
	t.Logf("%d kills", kills)
}

// Without --read-objects an s3:// input keeps its meaning (the API
// cannot download it); with it, missing objects and empty prefixes are
// input errors, throttling that never stops is reported per input with
// the attempts made, and --as-url answers as the API's download of a
// pre-signed URL would.
func TestScaleObjectInputs(t *testing.T) {
	v := s3test.StartVersity(t)
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	v.Put(t, "rec", "day 1/ü take.wav", wav)
	v.Put(t, "rec", "day 1/slow.wav", wav)
	v.Bucket(t, "empty")
	endpoint, faults := s3test.Proxy(t, v.URL)
	faults.Set(func(r s3test.Request, nth int) *s3test.Fault {
		if strings.HasSuffix(r.Key, "slow.wav") {
			return &s3test.Fault{Status: 503, Code: "SlowDown"}
		}
		return nil
	})
	env := append(objectEnv(t, endpoint), "AWS_MAX_ATTEMPTS=2")

	results := func(out string) map[string]map[string]any {
		m := map[string]map[string]any{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r map[string]any
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%v: %q", err, line)
			}
			m[r["input"].(string)] = r
		}
		return m
	}
	exception := func(r map[string]any) string {
		if e, ok := r["exception"].(map[string]any); ok {
			return e["name"].(string)
		}
		return ""
	}

	_, out, _ := runBinary(t, nil, env, "check", "-o", "jsonl", "s3://rec/day 1/ü take.wav")
	if r := results(out)["s3://rec/day 1/ü take.wav"]; exception(r) != "FailedToReadAudioFromURL" || r["source"] != "url" {
		t.Errorf("without --read-objects: %v", r)
	}

	code, out, stderr := runBinary(t, nil, env, "check", "-o", "jsonl", "--read-objects",
		"s3://rec/day 1/", "s3://rec/missing.wav", "s3://empty/")
	if code != 2 || stderr != "" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	got := results(out)
	if r := got["s3://rec/day 1/ü take.wav"]; r["status"] != "accepted" || r["source"] != "object" {
		t.Errorf("listed object: %v", r)
	}
	for name, want := range map[string]string{
		"s3://rec/day 1/slow.wav": "gave up after 2 attempts: the store kept asking for a slower request rate (SlowDown, HTTP 503)",
		"s3://rec/missing.wav":    "no such object (NoSuchKey, HTTP 404)",
		"s3://empty/":             "nothing to check under this prefix",
	} {
		if r := got[name]; r == nil || r["status"] != "error" || !strings.Contains(fmt.Sprint(r["error"]), want) {
			t.Errorf("%s: %v, want an error saying %q", name, r, want)
		}
	}

	faults.Set(nil)
	_, out, _ = runBinary(t, nil, env, "check", "-o", "jsonl", "--read-objects", "--as-url", "--allow-private-urls",
		"s3://rec/day 1/ü take.wav", "s3://rec/missing.wav")
	got = results(out)
	if r := got["s3://rec/day 1/ü take.wav"]; r["status"] != "accepted" || strings.Contains(out, "X-Amz-Signature") {
		t.Errorf("--as-url, an object the API can download: %v", r)
	}
	if r := got["s3://rec/missing.wav"]; exception(r) != "FailedToReadAudioFromURL" {
		t.Errorf("--as-url, a missing object: %v", r)
	}

	_, out, _ = runBinary(t, nil, env, "check", "-o", "jsonl", "--as-url", "--allow-private-urls", "s3://rec/day 1/ü take.wav")
	if r := results(out)["s3://rec/day 1/ü take.wav"]; r["status"] != "accepted" {
		t.Errorf("--as-url alone reads objects: %v", r)
	}
	noKeys := append(slices.Clone(env), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=")
	code, _, stderr = runBinary(t, nil, noKeys, "check", "--read-objects", "s3://rec/a.wav")
	if code != 2 || !strings.Contains(stderr, "no usable AWS credentials") {
		t.Errorf("no credentials: exit %d, %q", code, stderr)
	}
	// Set for a whole job, --read-objects costs a run of local files
	// nothing, credentials or not.
	code, _, stderr = runBinary(t, nil, append(noKeys, "AUDIOPREFLIGHT_READ_OBJECTS=1"), "check", samples+"/hello-16k-mono.wav")
	if code != 0 || stderr != "" {
		t.Errorf("local file with AUDIOPREFLIGHT_READ_OBJECTS and no credentials: exit %d, %q", code, stderr)
	}
}

// A header check reads what the headers need: at most the first 64 KiB
// of an object and, where a format needs its end, 64 KiB more from there
// (a 4 MiB recording among the corpus costs no more); a full check reads
// no object twice.
func TestScaleHeaderCheckReadsLittle(t *testing.T) {
	v, _ := corpusBucket(t)
	endpoint, faults := s3test.Proxy(t, v.URL)
	env := objectEnv(t, endpoint)
	// A long recording: a 16 kHz mono 16-bit WAV of 4 MiB.
	long := make([]byte, 44+4<<20)
	copy(long, "RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00data")
	le.LittleEndian.PutUint32(long[4:], uint32(len(long)-8))
	le.LittleEndian.PutUint32(long[40:], 4<<20)
	v.Put(t, "corpus", "long/take.wav", long)
	var whole, capped int64
	filepath.WalkDir(v.Root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				whole += info.Size()
				capped += min(info.Size(), 128<<10)
			}
		}
		return nil
	})
	// The listing's pages: well under a kilobyte a key.
	listing := func() int64 {
		before := faults.BodyBytes()
		runBinary(t, nil, env, "check", "-o", "jsonl", "--header-only", "--read-objects", "--include", "*.none", "s3://corpus/")
		return faults.BodyBytes() - before
	}()
	before := faults.BodyBytes()
	code, out, stderr := runBinary(t, nil, env, "check", "-o", "jsonl", "--header-only", "--read-objects", "--include", "**", "s3://corpus/")
	header := faults.BodyBytes() - before - listing
	n := strings.Count(out, "\n")
	if code == 2 && stderr != "" || n < 1000 {
		t.Fatalf("exit %d, %d results, stderr %q", code, n, stderr)
	}
	before = faults.BodyBytes()
	runBinary(t, nil, env, "check", "-o", "jsonl", "--read-objects", "--include", "**", "s3://corpus/")
	full := faults.BodyBytes() - before - listing
	t.Logf("%d objects, %d bytes: header check %d bytes (%.0f an object), full check %d bytes; listing %d bytes", n, whole, header, float64(header)/float64(n), full, listing)
	if !strings.Contains(out, `"input":"s3://corpus/long/take.wav"`) {
		t.Fatal("the long recording was not checked")
	}
	if header > capped {
		t.Errorf("a header check of the bucket read %d bytes, more than %d (64 KiB of each object's start and 64 KiB of its end)", header, capped)
	}
	if full > whole {
		t.Errorf("a full check of the bucket read %d bytes, more than the %d the objects hold", full, whole)
	}
}
