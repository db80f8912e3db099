package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/redact"
	"github.com/audiopreflight/audiopreflight/internal/safetext"
	"github.com/audiopreflight/audiopreflight/internal/term"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

// fixtureFixResults are one fix run's worth of results: every status and
// method, notes, a backup, a command, a URL with credentials, and odd
// names and outside strings.
func fixtureFixResults() []*FixResult {
	req := validate.Request{Type: validate.Unscripted, SyncLimit: 1000}
	afterReq := validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}
	okWAV := func(name string) *Result {
		return decide(name, SourceFile, validate.Evidence{Size: 500, Info: wav(16000, 1), Read: &probe.ReadResult{FramesRead: 32000}}, afterReq)
	}
	webm := &probe.Info{Container: "webm", Opens: false, OpenError: "webm: unsupported: WebM is not read by the server's reader (libsndfile)", Size: 6708}
	opus := &probe.Info{Container: "ogg", Variant: "opus", Codec: "opus", Opens: true, SndfileFormat: "OGG", SndfileSubtype: "OPUS",
		SampleRate: 16000, InputSampleRate: 16000, Channels: 1, Frames: 31680, Size: 6397}
	m4a := &probe.Info{Container: "m4a", Variant: "m4a", Opens: false, OpenError: "m4a: unsupported", Size: 6484}
	big := wav(44100, 2)
	big.Size = 5000
	return []*FixResult{
		{Input: "rec/chrome.webm", Source: SourceFile, Status: FixFixed,
			Before: decide("rec/chrome.webm", SourceFile, validate.Evidence{Size: 6708, Head: []byte{0x1a, 0x45, 0xdf, 0xa3}, Info: webm}, req),
			Method: FixMethodOpusRemux, Lossless: true,
			Steps:  []string{"Opus track 1 of the WebM file remuxed into Ogg-Opus, every packet copied as it is", "input rate 48000 Hz → 16000 Hz"},
			Output: "rec/chrome-16k.opus",
			After:  decide("rec/chrome-16k.opus", SourceFile, validate.Evidence{Size: 6397, Info: opus, Read: &probe.ReadResult{FramesRead: 31680}}, afterReq)},
		{Input: "rec/take.wav", Source: SourceFile, Status: FixFixed,
			Before: decide("rec/take.wav", SourceFile, validate.Evidence{Size: 500, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 88200}}, req),
			Method: FixMethodDecode, Steps: []string{"decode wav pcm_s16le (44100 Hz, 2 channels)", "downmix 2 channels to mono (average)", "encode wav"},
			Notes:  []string{"cut after 1m0s (--max-duration): 2.000 s of 62.000 s left out"},
			Output: "rec/take.wav", Backup: "rec/take.wav.orig", After: okWAV("rec/take.wav")},
		{Input: "rec/ok.wav", Source: SourceFile, Status: FixAccepted, Before: okWAV("rec/ok.wav")},
		{Input: "rec/song.mp3", Source: SourceFile, Status: FixPlanned,
			Before: decide("rec/song.mp3", SourceFile, validate.Evidence{Size: 500, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 88200}}, req),
			Method: FixMethodDecode, Steps: []string{"decode mp3 (44100 Hz, 2 channels)", "encode wav"}, Output: "rec/song-16k.wav"},
		{Input: "rec/long.wav", Source: SourceFile, Status: FixNotFixed,
			Before: decide("rec/long.wav", SourceFile, validate.Evidence{Size: 5000, Info: big, Read: &probe.ReadResult{FramesRead: 88200}}, req),
			Method: FixMethodDecode, Steps: []string{"decode wav pcm_s16le (44100 Hz, 2 channels)", "encode flac"},
			Reason: "too big for sync mode even as 16 kHz mono FLAC: it is 1.2 kB (1,200 bytes), 200 bytes over the sync limit of 1000 bytes; send it in async mode (--mode async), or keep the first 1s (--max-duration 1s)"},
		{Input: "rec/phone.m4a", Source: SourceFile, Status: FixNotFixed,
			Before: decide("rec/phone.m4a", SourceFile, validate.Evidence{Size: 6484, Info: m4a}, req),
			Method: FixMethodFFmpeg, Reason: "the tool does not decode m4a; ffmpeg would convert it, and it is not on PATH",
			Command: "ffmpeg -i rec/phone.m4a -map 0:a:0 -ar 16000 -ac 1 -c:a pcm_s16le rec/phone-16k.wav && audiopreflight check rec/phone-16k.wav"},
		{Input: "rec/gone.wav", Source: SourceFile, Status: FixError, Error: "no such file or directory"},
		{Input: secretURL, Source: SourceURL, Status: FixFixed,
			Before: decide(secretURL, SourceURL, validate.Evidence{Size: 500, Info: wav(44100, 1), Read: &probe.ReadResult{FramesRead: 88200}}, req),
			Method: FixMethodDecode, Steps: []string{"resample 44100 Hz to 16000 Hz", "encode wav"}, Output: "out/a-16k.wav", After: okWAV("out/a-16k.wav")},
		{Input: evilName, Source: SourceFile, Status: FixNotFixed,
			Before: decide(evilName, SourceFile, validate.Evidence{Size: 5000, Info: wav(44100, 2), Read: &probe.ReadResult{FramesRead: 88200}}, req),
			Method: FixMethodFFmpeg, Steps: []string{"decode with ffmpeg: " + evilReason}, Reason: "ffmpeg could not convert it: " + evilReason},
		{Input: rawName, Source: SourceFile, Status: FixFixed, Before: okWAV(rawName), Method: FixMethodDecode, Steps: []string{"encode wav"},
			Output: rawName + "-16k.wav", After: okWAV(rawName + "-16k.wav")},
	}
}

func renderFix(t *testing.T, format string, dry bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	run := FixRun{Request: "unscripted", Mode: "sync", SyncLimitBytes: 1000, Format: "auto", DryRun: dry, FFmpeg: "/usr/bin/ffmpeg"}
	out, err := NewFix(format, &buf, run, Options{Palette: term.Palette{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fixtureFixResults() {
		if err := out.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Flush(1500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if s := out.Summary(); s != (FixSummary{Total: 10, Fixed: 4, Accepted: 1, Planned: 1, NotFixed: 3, Errors: 1}) || !s.Failed() {
		t.Errorf("summary %+v", s)
	}
	return buf.Bytes()
}

// TestFixGolden: one fix run through every format (text, json, jsonl),
// and the text of a dry run.
func TestFixGolden(t *testing.T) {
	cases := map[string][]byte{"fix.text": renderFix(t, "text", false), "fix-dry.text": renderFix(t, "text", true)}
	for _, format := range FixFormats[1:] {
		cases["fix."+format] = renderFix(t, format, false)
	}
	for name, got := range cases {
		path := filepath.Join("..", "..", "testdata", "golden", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file; got:\n%s", name, got)
		}
	}
}

// TestFixJSONShape: check's result objects for the input and the output,
// the identities of the input (and, for a name that is not UTF-8, its
// bytes), schema_version on every JSONL line.
func TestFixJSONShape(t *testing.T) {
	var doc struct {
		SchemaVersion int    `json:"schema_version"`
		DryRun        *bool  `json:"dry_run"`
		FFmpeg        string `json:"ffmpeg"`
		Results       []struct {
			Input       string          `json:"input"`
			InputID     string          `json:"input_id"`
			Status      FixStatus       `json:"status"`
			Before      json.RawMessage `json:"before"`
			After       json.RawMessage `json:"after"`
			Output      string          `json:"output"`
			OutputBytes []byte          `json:"output_bytes"`
			Steps       []string        `json:"steps"`
			Notes       []string        `json:"notes"`
		} `json:"results"`
		Summary FixSummary `json:"summary"`
	}
	if err := json.Unmarshal(renderFix(t, "json", false), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != SchemaVersion || doc.DryRun == nil || doc.FFmpeg != "/usr/bin/ffmpeg" || len(doc.Results) != 10 || doc.Summary.Total != 10 {
		t.Fatalf("%+v", doc)
	}
	for i, r := range doc.Results {
		if r.Steps == nil || r.Notes == nil || r.InputID == "" {
			t.Errorf("result %d: %+v", i, r)
		}
		var before, after struct {
			Input  string `json:"input"`
			Status Status `json:"status"`
		}
		if r.Status == FixError {
			if string(r.Before) != "null" {
				t.Errorf("an unread input has a check result: %s", r.Before)
			}
			continue
		}
		json.Unmarshal(r.Before, &before)
		if before.Input != r.Input || before.Status == "" {
			t.Errorf("result %d: before %s", i, r.Before)
		}
		if r.Status == FixFixed {
			json.Unmarshal(r.After, &after)
			if after.Status != StatusAccepted || (after.Input != r.Output && r.OutputBytes == nil) {
				t.Errorf("result %d: after %s", i, r.After)
			}
		}
	}
	last := doc.Results[9]
	if string(last.OutputBytes) != rawName+"-16k.wav" || last.Output != strings.ToValidUTF8(rawName+"-16k.wav", "\uFFFD") {
		t.Errorf("raw output name: %q %q", last.Output, last.OutputBytes)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(renderFix(t, "jsonl", false))), "\n") {
		var r struct {
			SchemaVersion int `json:"schema_version"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.SchemaVersion != SchemaVersion {
			t.Errorf("JSONL line %s: %v", line, err)
		}
	}
}

// TestFixNothingRaw: every string of a fix result — names, steps, notes,
// reasons, commands, the check results inside — reaches no format raw.
func TestFixNothingRaw(t *testing.T) {
	var hostile []string
	for c := 0; c < 0x20; c++ {
		hostile = append(hostile, string(rune(c)))
	}
	hostile = append(hostile, "\x7f", "\x9b", "\xff", "\u202e", "\u2028")
	var results []*FixResult
	req := validate.Request{Type: validate.Unscripted, SyncLimit: 1000}
	for _, h := range hostile {
		info := wav(44100, 2)
		info.Container, info.Warnings = "wav"+h, []string{"warning " + h}
		before := decide("in"+h+".wav", SourceFile, validate.Evidence{Size: 500, Info: info, Read: &probe.ReadResult{FramesRead: 1}}, req)
		after := decide("out"+h+".wav", SourceFile, validate.Evidence{Size: 500, Info: wav(16000, 1), Read: &probe.ReadResult{FramesRead: 1}}, req)
		for _, st := range []FixStatus{FixFixed, FixNotFixed, FixPlanned, FixAccepted} {
			results = append(results, &FixResult{Input: "in" + h + ".wav", Source: SourceFile, Status: st, Before: before, After: after,
				Method: "decode" + h, Steps: []string{"step " + h}, Notes: []string{"note " + h}, Output: "out" + h + ".wav",
				Backup: "in" + h + ".wav.orig", Reason: "reason " + h, Command: "ffmpeg -i " + h})
		}
		results = append(results, &FixResult{Input: "gone" + h, Source: SourceFile, Status: FixError, Error: errors.New("open " + h).Error()})
	}
	for _, format := range FixFormats {
		for _, colour := range []bool{false, true} {
			var buf bytes.Buffer
			out, _ := NewFix(format, &buf, FixRun{Request: "unscripted" + hostile[27], Mode: "sync"}, Options{Palette: term.Colours(colour)})
			for _, r := range results {
				if err := out.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := out.Flush(time.Second); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			if colour {
				got = colourCode.ReplaceAllString(got, "")
			}
			if !utf8.ValidString(got) {
				t.Errorf("-o %s: not valid UTF-8", format)
			}
			for i, r := range got {
				if r != '\n' && safetext.Unsafe(r) {
					t.Errorf("-o %s (colour %v): raw %U at %d: %q", format, colour, r, i, got[max(0, i-40):min(len(got), i+40)])
					break
				}
			}
		}
	}
}

// TestFixURLSecretsAreRedacted: a URL input's credentials appear nowhere
// in a fix result (its name, check's results inside), unless shown.
func TestFixURLSecretsAreRedacted(t *testing.T) {
	r := fixtureFixResults()[7]
	r.Notes = []string{"downloaded from " + secretURL}
	for _, format := range FixFormats {
		for _, show := range []bool{false, true} {
			var buf bytes.Buffer
			out, _ := NewFix(format, &buf, FixRun{Request: "unscripted", Mode: "sync"}, Options{Redact: redact.Policy{Show: show}})
			out.Write(r)
			out.Flush(time.Second)
			leaked := strings.Contains(buf.String(), "S3cr3tPass") || strings.Contains(buf.String(), "0123456789")
			if leaked != show {
				t.Errorf("-o %s, show %v: secrets shown %v:\n%s", format, show, leaked, buf.String())
			}
		}
	}
}
