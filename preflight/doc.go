// Package preflight predicts which exception a speech-assessment API will
// answer for an audio file — before the upload, in process — with the
// engine of the audiopreflight command: for the same audio and request, a
// Result here is the result `audiopreflight check` prints, and its JSON
// is the command's `check -o jsonl` line.
//
// # What it predicts
//
// The API takes audio in an audio_data field (base64) or downloads it
// from an audio_url, and answers an exception when it cannot or will not
// assess it: MissingAudioParam for no audio, FailedToParseAudioHeader and
// InvalidAudioFormat for audio it cannot open or does not take (only
// 16 kHz mono WAV, FLAC or Ogg-Opus), AudioTooBigForSync over the sync
// limit, FailedToReadAudioFromURL for a URL its server could not
// download, and others. Check runs the API's own decision order on the
// audio and returns the first exception it would answer (Result.Exception)
// with every finding, warnings about what it accepts but may not like, a
// hint (the ffmpeg command that fixes the audio, say) and the audio's
// facts as the server sees them (Result.Audio).
//
// # Requests
//
// The two request types differ in what they accept: an Unscripted request
// (free speech; the default) and a Scripted one (reading a given text,
// whose audio_format names the container). Unscripted requests are
// synchronous (the API answers in the same call, up to the sync limit,
// 10 MiB by default) or asynchronous (Request.Async: no size limit).
//
// A full check reads the whole audio, as the server does: it finds what
// only decoding finds (a stream that ends early, no audio in it). A
// header check (Request.HeaderOnly) reads only the headers — a few
// kilobytes of most files, whatever their size — and leaves the decision
// steps that need the whole audio undecided.
//
// # Inputs
//
// Bytes, ReaderAt, Reader, File and URL make an Input; Request.Base64
// reads any of them as the base64 text of an audio_data field. A URL is
// downloaded as the API's server would (public hosts only, unless
// Checker.AllowPrivateURLs). Request.Name plays the part of the file's
// name: the result's Input, AudioTooBigForSync's stream_dir and, for a
// scripted check, the extension audio_format falls back to.
//
// # Statuses
//
// A Result's Status is StatusAccepted (every step ran, none found a
// problem), StatusRejected (the API would answer Result.Exception),
// StatusUndecided (nothing found, but a header check left steps
// undecided: Result.Undecided) or StatusError (the input could not be
// read at all: Result.Error says why; there is no verdict). Check returns
// an error only for a call it cannot make (a zero Input, an unknown
// request type, a negative sync limit) and for a cancelled context; an
// unreadable input is a result, as the command reports it. (StatusIgnored
// is the command's: a rejection its configuration accepts.)
//
// # What is stable
//
// This package's API follows semantic versioning, and so does the JSON
// shape of a Result: its schema_version (SchemaVersion) changes when a
// field changes meaning or is removed, not when one is added. Findings'
// names and messages are the API's; details, hints and warnings are
// worded for people and may change. Command and the packages under
// internal/ are the command's and may change at any time, as may the
// command's text output.
//
// A zero Checker is ready to use; a Checker holds no state but its
// settings, its connections and its bound on inputs held for random access
// at once, and is safe for concurrent use. The package has no global
// state. In a WebAssembly build (GOOS=js) it links no network code: URL
// inputs give error results there.
package preflight
