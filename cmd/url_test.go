package cmd

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/remote/remotetest"
)

type urlResult struct {
	Input     string `json:"input"`
	Source    string `json:"source"`
	Accepted  bool   `json:"accepted"`
	Exception *struct {
		Name   string `json:"name"`
		Detail string `json:"detail"`
	} `json:"exception"`
	Warnings []string `json:"warnings"`
	Hint     string   `json:"hint"`
}

func checkJSONL(t *testing.T, args ...string) (int, []urlResult, string) {
	t.Helper()
	code, out, stderr := run(t, nil, "", append([]string{"check", "-o", "jsonl"}, args...)...)
	var results []urlResult
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r urlResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		results = append(results, r)
	}
	return code, results, stderr
}

func TestCheckURLs(t *testing.T) {
	srv := remotetest.New(t)
	wav, err := os.ReadFile(samples + "/hello-16k-mono.wav")
	if err != nil {
		t.Fatal(err)
	}
	srv.AddBytes("/hello.wav", wav, remotetest.Behaviour{})
	srv.Status("/gone.wav", 404)

	// Without --allow-private-urls, a loopback URL is refused before any
	// connection, as the server would refuse it.
	code, results, _ := checkJSONL(t, srv.URL("/hello.wav"))
	if code != 1 || results[0].Exception == nil || results[0].Exception.Name != "FailedToReadAudioFromURL" || results[0].Source != "url" {
		t.Fatalf("private URL: exit %d, %+v", code, results)
	}
	if n := srv.Connections(); n != 0 {
		t.Errorf("the server saw %d connections for a refused host", n)
	}

	code, results, stderr := checkJSONL(t, "--allow-private-urls", srv.URL("/hello.wav"), srv.URL("/gone.wav"), samples+"/hello-16k-mono.flac", "ftp://example.com/a.wav")
	if code != 1 || len(results) != 4 {
		t.Fatalf("exit %d, %d results, stderr %q", code, len(results), stderr)
	}
	if !results[0].Accepted || results[0].Source != "url" {
		t.Errorf("the WAV over HTTP: %+v", results[0])
	}
	if e := results[1].Exception; e == nil || e.Name != "FailedToReadAudioFromURL" || !strings.Contains(e.Detail, "404") {
		t.Errorf("the 404: %+v", results[1])
	}
	if !results[2].Accepted || results[2].Source != "file" {
		t.Errorf("the local file between URLs: %+v", results[2])
	}
	if e := results[3].Exception; e == nil || e.Name != "FailedToReadAudioFromURL" || results[3].Hint == "" {
		t.Errorf("the ftp URL: %+v", results[3])
	}
}
