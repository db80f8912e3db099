package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestProbeJSONShape: probe -o json is {"results": [{"input", "source",
// "audio"}]} with the audio object of README.md#output-formats, and an unreadable input is
// reported with "error" while the others are still probed (exit 2).
func TestProbeJSONShape(t *testing.T) {
	code, out, stderr := run(t, nil, "", "probe", "-o", "json", samples+"/hello-16k-mono.opus", samples+"/missing.wav", samples+"/hello.m4a")
	if code != ExitError || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var doc struct {
		Results []map[string]json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Results) != 3 {
		t.Fatalf("%v: %s", err, out)
	}
	var audio map[string]any
	if err := json.Unmarshal(doc.Results[0]["audio"], &audio); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"container", "codec", "sample_rate", "channels", "frames", "duration_seconds", "size_bytes"} {
		if _, ok := audio[k]; !ok {
			t.Errorf("audio lacks %q: %v", k, audio)
		}
	}
	if audio["container"] != "ogg" || audio["sample_rate"] != 16000.0 || audio["channels"] != 1.0 || audio["frames"] != 19200.0 {
		t.Errorf("opus audio: %v", audio)
	}
	if _, ok := doc.Results[1]["error"]; !ok {
		t.Errorf("missing file: %s", doc.Results[1])
	}
	if a := string(doc.Results[2]["audio"]); !strings.Contains(a, `"opens": false`) || !strings.Contains(a, `"container": "m4a"`) {
		t.Errorf("m4a: %s", doc.Results[2]["audio"])
	}
}

func TestProbeText(t *testing.T) {
	code, out, _ := run(t, nil, "", "probe", samples+"/hello-44k-stereo.flac")
	for _, want := range []string{"container: flac", "rate:      44100 Hz", "channels:  2", "frames:    52920", "metadata:  STREAMINFO@4(34)"} {
		if !strings.Contains(out, want) {
			t.Errorf("probe text lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}
