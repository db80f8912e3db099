package validate

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/bytesize"
	"github.com/audiopreflight/audiopreflight/probe"
)

// Request is what the user is about to send, apart from the audio.
type Request struct {
	Type       string // Unscripted or Scripted
	Async      bool   // unscripted async mode: no size limit
	SyncLimit  int64  // bytes; larger audio is AudioTooBigForSync in sync mode
	HeaderOnly bool   // the steps that need the whole audio were not run
	// Auth holds the findings of the authentication checks (docs/server.md#authentication),
	// the same for every input of a run; empty when auth is not checked.
	Auth []Finding
}

// DefaultSyncLimit is the API's sync limit: 10 MiB (docs/server.md#sync-limit).
const DefaultSyncLimit = 10 << 20

// Evidence is everything learnt about one input's audio, from which the
// decision order reaches its findings without any I/O of its own.
type Evidence struct {
	// Input is the input as the user gave it (AudioTooBigForSync's stream_dir).
	Input string
	// Base64 says the input is the base64 text of an audio_data field; the
	// audio is what it decodes to.
	Base64 bool
	// Size is the audio's size in bytes (after base64 decoding).
	Size int64
	// Head is the audio's first bytes, up to probe.HeadSize: the server
	// names a format it cannot open by its first 16 (SignatureFormat,
	// docs/server.md#audio-format-names), and bytes that are no audio are
	// told by what they look like (LooksLike).
	Head []byte
	// Base64Error is set when the input is base64 text that does not decode
	// (empty text is not an error: it decodes to no audio).
	Base64Error string
	// Download is set when the server could not download a URL input.
	Download *DownloadFailure
	// Info is what the server's reader sees when it opens the audio; nil
	// when there was no audio to open.
	Info *probe.Info
	// Read is what reading the whole audio found; nil when it was not read
	// (header-only, or no step needs it).
	Read *probe.ReadResult
	// SourceWarnings are warnings about where the audio came from (a
	// pre-signed URL that expires soon, a redirect chain).
	SourceWarnings []string
	// HeaderUnavailable, for a header check, says why the headers could
	// not be read without reading (or downloading) more than a header check
	// does: the steps from opening on are then undecided, not failed.
	HeaderUnavailable string
}

// DownloadFailure is why the server could not download a URL (docs/server.md#urls).
type DownloadFailure struct {
	Detail string
	Hint   string
}

// Finding is one exception that applies to an input.
type Finding struct {
	Exception *Exception
	Params    map[string]string
	// Step is the decision step that found it ("open", "format", ...).
	Step string
	// Detail says, for people, what exactly went wrong (a status code, the
	// offset of a bad frame); the exception's message stays the catalog's.
	Detail string
}

// Message is the exception's message with its parameters filled in.
func (f Finding) Message() string { return f.Exception.Format(f.Params) }

// Decision is the outcome of the decision order for one input.
type Decision struct {
	// Findings are every exception that applies, in the decision order
	// (docs/server.md#decision-order);
	// the first is the verdict. Empty means accepted.
	Findings []Finding
	// Undecided names the steps that need the whole audio and were not
	// decided (header-only checks).
	Undecided []string
	// Warnings are things the server tolerates (docs/server.md#warnings).
	Warnings []string
}

// Accepted reports whether the server would accept the audio.
func (d Decision) Accepted() bool { return len(d.Findings) == 0 }

// Verdict is the exception the server answers with, nil when accepted.
func (d Decision) Verdict() *Finding {
	if len(d.Findings) == 0 {
		return nil
	}
	return &d.Findings[0]
}

// Decision steps, as they appear in Finding.Step and Decision.Undecided.
const (
	StepAuth     = "auth"
	StepMissing  = "missing-audio"
	StepDownload = "download"
	StepBase64   = "base64"
	StepSyncSize = "sync-size"
	StepOpen     = "open"
	StepFormat   = "format"
	StepLength   = "length"
	StepDecode   = "decode"
	StepFrames   = "zero-frames"
)

// Decide runs the decision order (docs/server.md#decision-order) for one input. A step that
// needs what an earlier failing step could not provide is skipped: no
// audio, no header; a header that does not open, no frames.
func Decide(req Request, ev Evidence) Decision {
	var d Decision
	warn := func(ws []string) {
		for _, w := range ws {
			if !slices.Contains(d.Warnings, w) {
				d.Warnings = append(d.Warnings, w)
			}
		}
	}
	add := func(name, step, detail string, params map[string]string) {
		if params == nil {
			params = map[string]string{}
		}
		d.Findings = append(d.Findings, Finding{Exception: MustLookup(name), Params: params, Step: step, Detail: detail})
	}
	scripted := req.Type == Scripted
	d.Findings = append(d.Findings, req.Auth...)
	warn(ev.SourceWarnings)

	// Steps 2–3: is there audio at all?
	switch {
	case ev.Download != nil:
		add(FailedToReadAudioFromURL, StepDownload, ev.Download.Detail, nil)
		return d
	case ev.Base64Error != "":
		if scripted {
			add(FailedToUseAudio, StepBase64, ev.Base64Error, nil)
		} else {
			add(FailedToDecodeAudioFromBytes, StepBase64, ev.Base64Error, nil)
		}
		return d
	case ev.Size == 0:
		detail := "the audio is 0 bytes"
		if ev.Base64 {
			detail = "the base64 text decodes to 0 bytes"
		}
		add(MissingAudioParam, StepMissing, detail, nil)
		return d
	}

	// Step 4 (unscripted, sync): size limit. The audio is still read after
	// it, so the steps below still report what else is wrong.
	if !scripted && !req.Async && ev.Size > req.SyncLimit {
		add(AudioTooBigForSync, StepSyncSize, syncSizeDetail(ev.Size, req.SyncLimit), map[string]string{"stream_dir": ev.Input})
	}

	info := ev.Info
	if info == nil {
		if ev.HeaderUnavailable != "" {
			d.Warnings = append(d.Warnings, ev.HeaderUnavailable)
			d.Undecided = []string{StepOpen, StepFormat, StepLength, StepDecode, StepFrames}
			if scripted {
				d.Undecided = []string{StepOpen, StepLength, StepDecode, StepFrames}
			}
		}
		return d
	}
	warn(info.Warnings)

	// Step 5 / scripted 4: does the server's reader open it?
	if !info.Opens {
		detail := info.OpenError
		if info.Container == probe.ContainerUnknown && len(ev.Head) > 0 {
			detail += "; it looks like " + LooksLike(ev.Head, ev.Size).What
		}
		if detail == "" {
			detail = "the API's audio reader does not open it"
		}
		if scripted {
			add(FailedToConvertAudio, StepOpen, detail, map[string]string{"audio_format": SignatureFormat(ev.Head, ev.Input)})
		} else {
			add(FailedToParseAudioHeader, StepOpen, detail, nil)
		}
		return d
	}

	// Step 6 (unscripted): 16 kHz mono WAV, FLAC or Ogg-Opus only.
	if !scripted {
		if wrong := formatProblems(info); wrong != "" {
			add(InvalidAudioFormat, StepFormat, wrong, nil)
		}
	}

	// Step 7 / scripted 5: unknown length. The server fails before reading.
	if info.LengthUnknown {
		add(FailedToUseAudio, StepLength, "the header does not give the audio's length", nil)
		return d
	}

	// Steps 8–9 / scripted 6–7 need the whole audio.
	read := ev.Read
	if read == nil {
		read = info.Settled
	}
	if read == nil {
		warn(probe.Unscored(info, nil))
		d.Undecided = []string{StepDecode, StepFrames}
		return d
	}
	warn(read.Warnings)
	warn(probe.Unscored(info, read))
	if read.ReadError != "" {
		add(FailedToConvertAudio, StepDecode, read.ReadError, map[string]string{"audio_format": ServerFormatName(info.SndfileFormat)})
		return d
	}
	if read.FramesRead == 0 {
		add(FailedToUseAudio, StepFrames, "the audio decodes to zero frames", nil)
	}
	return d
}

// syncSizeDetail says how far over the sync limit the audio is, in words
// and exact bytes: "12.8 MB (12,800,044 bytes) is over the sync limit of
// 10 MiB (10,485,760 bytes)".
func syncSizeDetail(size, limit int64) string {
	return fmt.Sprintf("%s is over the sync limit of %s", SizeInWords(size, false), SizeInWords(limit, true))
}

// SizeInWords writes a size as people read it, then its exact bytes: the
// limit in the unit it was most likely given in ("10 MiB", "5 MB"), any
// other size in decimal units with three significant digits ("12.8 MB").
func SizeInWords(n int64, exactUnit bool) string {
	bytes := groupThousands(n) + " bytes"
	if n < 1000 {
		return bytes
	}
	if s := bytesize.Exact(n); exactUnit && !strings.HasSuffix(s, " B") {
		return s + " (" + bytes + ")"
	}
	v, unit := float64(n), ""
	for _, u := range []string{"kB", "MB", "GB", "TB", "PB", "EB"} {
		if v < 999.5 {
			break
		}
		v, unit = v/1000, u
	}
	return strconv.FormatFloat(v, 'g', 3, 64) + " " + unit + " (" + bytes + ")"
}

// groupThousands writes n with commas between groups of three digits.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatProblems says what keeps the audio from the format step
// (docs/server.md#accepted-formats) — WAV
// family, FLAC or Ogg-Opus, at exactly 16000 Hz, one channel — in words
// ("44100 Hz, 2 channels; the API takes …"); "" when it is allowed. It is
// written in one string: every rejected input's verdict is one.
func formatProblems(info *probe.Info) string {
	var b strings.Builder
	problem := func(words ...string) {
		if b.Len() > 0 {
			b.WriteString(", ")
		} else {
			b.Grow(128) // one allocation for all of it
		}
		for _, w := range words {
			b.WriteString(w)
		}
	}
	switch info.SndfileFormat {
	case "WAV", "WAVEX", "RF64", "FLAC":
	case "OGG":
		if info.SndfileSubtype != "OPUS" {
			problem("Ogg with ", strings.ToLower(info.SndfileSubtype), " is not accepted")
		}
	default:
		if info.Variant != "" {
			problem(info.Container, " (", info.Variant, ") is not accepted")
		} else {
			problem(info.Container, " is not accepted")
		}
	}
	var n [20]byte
	if info.SampleRate != 16000 {
		problem(string(strconv.AppendInt(n[:0], int64(info.SampleRate), 10)), " Hz")
	}
	if info.Channels != 1 {
		problem(string(strconv.AppendInt(n[:0], int64(info.Channels), 10)), " channels")
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("; the API takes 16 kHz mono WAV, FLAC or Ogg-Opus")
	return b.String()
}

// ServerFormatName is the audio_format the server names when decoding an
// opened file fails: libsndfile's major format, by the server's table.
func ServerFormatName(sndfileFormat string) string {
	switch sndfileFormat {
	case "WAV", "WAVEX", "RF64":
		return "wav"
	case "MP3", "MPEG":
		return "mp3"
	}
	return strings.ToLower(sndfileFormat)
}

// SignatureFormat is the audio_format the server names for audio its
// reader cannot open (scripted requests): the format its first bytes show,
// else the input name's extension, else "unknown". It reproduces the
// server's own table, which is coarser than probe's sniffing (a FORM file
// is "aiff", ADTS is told from MP3 by one bit pattern).
func SignatureFormat(head []byte, name string) string {
	if len(head) > 16 {
		head = head[:16]
	}
	has := func(off int, sig string) bool {
		return len(head) >= off+len(sig) && string(head[off:off+len(sig)]) == sig
	}
	switch {
	case has(0, "RIFF"), has(0, "RIFX"), has(0, "RF64"):
		return "wav"
	case has(0, "fLaC"):
		return "flac"
	case has(0, "OggS"):
		return "ogg"
	case has(4, "ftyp"):
		return "m4a"
	case has(0, "\x1a\x45\xdf\xa3"):
		return "webm"
	case has(0, "#!AMR"):
		return "amr"
	case has(0, "FORM"):
		return "aiff"
	case has(0, "\x30\x26\xb2\x75"):
		return "wma"
	case has(0, "ID3") || len(head) > 1 && head[0] == 0xFF && head[1]&0xE0 == 0xE0:
		if len(head) > 1 && head[1]&0xF6 == 0xF0 {
			return "aac"
		}
		return "mp3"
	}
	ext := strings.ToLower(strings.TrimPrefix(pythonExt(name), "."))
	if ext == "" {
		return "unknown"
	}
	return ext
}

// pythonExt is os.path.splitext's extension: leading dots of the base name
// do not start one (".wav" has none).
func pythonExt(name string) string {
	base := name[strings.LastIndexAny(name, `/`)+1:]
	trimmed := strings.TrimLeft(base, ".")
	ext := filepath.Ext(trimmed)
	return ext
}
