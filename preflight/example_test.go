package preflight_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/audiopreflight/audiopreflight/preflight"
)

// Check the bytes a program holds, as the API would receive them in an
// audio_data field (decoded).
func ExampleCheck() {
	data, err := os.ReadFile("../testdata/samples/hello-44k-stereo.flac")
	if err != nil {
		log.Fatal(err)
	}
	r, err := preflight.Check(context.Background(), preflight.Bytes(data), preflight.Request{Name: "hello.flac"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status, r.Audio.Container, r.Audio.SampleRate, r.Audio.Channels)
	for _, f := range r.Findings {
		fmt.Printf("%s: %s\n", f.Name, f.Message)
	}
	fmt.Println(r.Hint)
	// Output:
	// rejected flac 44100 2
	// InvalidAudioFormat: Only 16 kHz mono WAV, FLAC or OGG-Opus audio allowed
	// convert with: ffmpeg -i hello.flac -ar 16000 -ac 1 hello-16k.flac
}

// An upload handler that answers the API's exception itself, before
// forwarding the audio: the client gets the name and message the API
// would have answered, without the round trip.
func Example_uploadHandler() {
	checker := &preflight.Checker{MaxInputSize: 32 << 20}
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		name := req.URL.Query().Get("name")
		r, err := checker.Check(req.Context(), preflight.Reader(req.Body),
			preflight.Request{Type: preflight.Scripted, Name: name})
		switch {
		case err != nil: // the client went away
			return
		case r.Status == preflight.StatusError:
			http.Error(w, r.Error, http.StatusBadRequest)
			return
		case r.Exception != nil:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			json.NewEncoder(w).Encode(map[string]string{"name": r.Exception.Name, "message": r.Exception.Message})
			return
		}
		// Accepted: forward the audio to the API here.
		fmt.Fprintln(w, "forwarded")
	})
	srv := httptest.NewServer(handler)
	defer srv.Close()

	for _, name := range []string{"hello-16k-mono.wav", "no-audio.wav", "empty.wav"} {
		f, err := os.Open(filepath.Join("../testdata/samples", name))
		if err != nil {
			log.Fatal(err)
		}
		resp, err := http.Post(srv.URL+"?name="+name, "application/octet-stream", f)
		f.Close()
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s: %d %s", name, resp.StatusCode, body)
	}
	// Output:
	// hello-16k-mono.wav: 200 forwarded
	// no-audio.wav: 422 {"message":"An unexpected error occurred while processing the audio. Please check if the audio is valid and it's not corrupted.","name":"FailedToUseAudio"}
	// empty.wav: 422 {"message":"Missing audio param!","name":"MissingAudioParam"}
}

// Check every file of a directory, header only: a few kilobytes read
// of each, whatever its size.
func Example_batch() {
	var checker preflight.Checker
	req := preflight.Request{HeaderOnly: true}
	err := filepath.WalkDir("../testdata/samples", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && filepath.Base(path) == "base64" {
			return cmp.Or(err, fs.SkipDir)
		}
		if d.IsDir() || filepath.Ext(path) == ".jsonl" {
			return nil
		}
		r, err := checker.Check(context.Background(), preflight.File(path), req)
		if err != nil {
			return err
		}
		verdict := string(r.Status)
		if r.Exception != nil {
			verdict += " " + r.Exception.Name
		}
		fmt.Printf("%-22s %s\n", filepath.Base(r.Input), verdict)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// cut-short.flac         undecided
	// empty.wav              rejected MissingAudioParam
	// hello-16k-mono.flac    undecided
	// hello-16k-mono.opus    undecided
	// hello-16k-mono.wav     accepted
	// hello-44k-stereo.flac  rejected InvalidAudioFormat
	// hello.m4a              rejected FailedToParseAudioHeader
	// hello.mp3              rejected InvalidAudioFormat
	// no-audio.wav           rejected FailedToUseAudio
}

// A result's JSON is a line of `audiopreflight check -o jsonl`; it reads
// back into a Result.
func ExampleResult_MarshalJSON() {
	r, err := preflight.Check(context.Background(), preflight.File("../testdata/samples/no-audio.wav"), preflight.Request{})
	if err != nil {
		log.Fatal(err)
	}
	line, err := json.Marshal(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(line[:bytes.IndexByte(line, ',')+1]), "…")

	var back preflight.Result
	if err := json.Unmarshal(line, &back); err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Input, back.Status, back.Exception.Name, back.Audio.Container, back.Audio.Codec)
	// Output:
	// {"schema_version":1, …
	// ../testdata/samples/no-audio.wav rejected FailedToUseAudio wav pcm_s16le
}
