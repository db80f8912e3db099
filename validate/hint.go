package validate

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
	"github.com/audiopreflight/audiopreflight/internal/safetext"
	"github.com/audiopreflight/audiopreflight/probe"
)

// Hint says, in one line, what would make the server accept the input,
// given its decision: usually a command that converts it, which runs as
// printed (a name starting with "-" or holding a ":" is written "./name",
// base64 text is decoded first and encoded again after) and writes audio
// the API accepts. Input that is not audio at all is named for what it is
// instead (an HTML page, a ZIP archive, zeros).
func Hint(req Request, ev Evidence, d Decision) string {
	v := d.Verdict()
	if v == nil {
		return ""
	}
	switch v.Exception.Name {
	case NoTokenProvided, InvalidSessionToken, InvalidHeaderParameter:
		return "set the Authorization header to \"ELSA <token>\" or \"Bearer <token>\" (see: audiopreflight explain " + v.Exception.Name + ")"
	case MissingAudioParam:
		if ev.Base64 {
			return "the base64 text decodes to no bytes: put the recording's base64 in audio_data: " + encodeCommand
		}
		return "the audio is empty: send the recording's bytes"
	case FailedToReadAudioFromURL:
		if ev.Download != nil && ev.Download.Hint != "" {
			return ev.Download.Hint
		}
		return "use a public https URL (or a fresh pre-signed URL), or upload the file as audio_file"
	case FailedToDecodeAudioFromBytes:
		return "encode the recording's bytes with standard base64: " + encodeCommand
	case FailedToUseAudio:
		switch v.Step {
		case StepBase64:
			return "encode the recording's bytes with standard base64: " + encodeCommand
		case StepFrames:
			if n := unfinishedData(ev.Info); n > 0 {
				return fmt.Sprintf("the header says the audio is 0 bytes but %d bytes follow it (a recording that was never finished): rewrite the header: %s", n, convertCommand(ev, toWAV))
			}
			if ev.Info != nil && ev.Info.Frames > 0 {
				return fmt.Sprintf("the API's audio reader gets no frames though the header promises %d (damaged metadata?): export it again from the original recording", ev.Info.Frames)
			}
			return "the audio holds no frames: export the recording again"
		}
		return "re-encode so the header carries the length: " + convertCommand(ev, outputFor(ev.Info))
	case AudioTooBigForSync:
		return smallerHint(req, ev)
	case FailedToConvertAudio:
		if v.Step == StepDecode {
			return "the audio is damaged where decoding stops: export it again from the original, or keep what decodes: " + convertCommand(ev, outputFor(ev.Info))
		}
		return openHint(ev)
	case InvalidAudioFormat, FailedToParseAudioHeader:
		return openHint(ev)
	}
	return ""
}

// unfinishedData is how many bytes follow a RIFF WAV data chunk whose size
// was left 0 by a writer that never finished (ffmpeg reads them; the
// server's reader does not), or 0.
func unfinishedData(info *probe.Info) int64 {
	// RF64's data size lives in its ds64 chunk: ffmpeg reads nothing
	// either when that is 0.
	if info == nil || info.SndfileFormat != "WAV" && info.SndfileFormat != "WAVEX" {
		return 0
	}
	for _, p := range info.Parts {
		if strings.TrimSpace(p.ID) == "data" && p.Size == 0 && info.Size > p.Offset+8 {
			return info.Size - p.Offset - 8
		}
	}
	return 0
}

// encodeCommand makes an audio_data field of a recording.
const encodeCommand = "base64 -w0 RECORDING > audio_data.txt"

// openHint is the hint for audio the server's reader cannot open or does
// not take: a conversion, unless the bytes are no audio at all.
func openHint(ev Evidence) string {
	if ev.Info != nil && !ev.Info.Opens && ev.Info.Container == probe.ContainerUnknown && len(ev.Head) > 0 {
		return notAudioHint(ev, LooksLike(ev.Head, ev.Size))
	}
	return afterWords("convert with: ", ev, outputFor(ev.Info))
}

// notAudioHint says what the input is instead of audio, and what to do.
func notAudioHint(ev Evidence, c Content) string {
	it := "it is " + c.What
	if ev.Base64 {
		it = "its base64 decodes to " + c.What
	}
	switch c.Kind {
	case ContentHTML:
		return it + ", not audio (often a login or error page saved in the recording's place): get the recording itself"
	case ContentJSON, ContentXML:
		return it + ", not audio (often an API's error answer saved in the recording's place): get the recording itself"
	case ContentBase64:
		switch {
		case ev.Base64:
			return it + ": the recording was encoded twice; encode it once: " + encodeCommand
		case c.What != "base64 text":
			return it + ": if it is an audio_data field, remove the \"data:…;base64,\" prefix and check it with --base64"
		}
		if f, ok := localFile(ev.Input); ok {
			return it + ": if it is an audio_data field, check it as one: audiopreflight check --base64 " + f
		}
		return it + ": if it is an audio_data field, check it with --base64"
	case ContentZeros:
		return it + ": nothing was recorded, or the copy or download failed: export or download the recording again"
	case ContentArchive:
		if f, ok := localFile(ev.Input); ok && c.Extract != "" && !ev.Base64 {
			cmd := strings.ReplaceAll(c.Extract, "IN", f)
			cmd = strings.ReplaceAll(cmd, "OUT", shellArg(unpackedName(ev.Input)))
			return it + ": take the recording out of it first, then check that: " + cmd
		}
		return it + ": take the recording out of it first, then check that"
	case ContentMIDI:
		return it + ": render it to audio with a synthesizer first, then check the recording"
	case ContentText, ContentDocument:
		return it + ", not audio: send the recording itself"
	}
	what := "file " + ev.Input
	if _, ok := localFile(ev.Input); ok {
		what = "file " + shellArg(ev.Input)
	}
	return it + ": check that it is the recording (" + what + " tells what it is)"
}

// unpackedName is where a compressed file is decompressed to: its name
// without the compression's extension, or with "-unpacked" before its own.
func unpackedName(in string) string {
	ext := filepath.Ext(in)
	switch strings.ToLower(ext) {
	case ".gz", ".bz2", ".xz", ".zst", ".tgz":
		return strings.TrimSuffix(in, ext)
	}
	return strings.TrimSuffix(in, ext) + "-unpacked" + ext
}

// output is the kind of file a conversion writes.
type output struct {
	ext   string // ".wav", ".flac", ".opus"
	codec string // ffmpeg arguments after the rate and channels, if any
}

var (
	toWAV  = output{ext: ".wav"}
	toFLAC = output{ext: ".flac"}
	toOpus = output{ext: ".opus", codec: "-c:a libopus -b:a 32k"}
)

// outputFor keeps FLAC as FLAC and makes WAV of everything else.
func outputFor(info *probe.Info) output {
	if info != nil && info.Container == probe.ContainerFLAC && info.Opens {
		return toFLAC
	}
	return toWAV
}

// Sizes of 16 kHz mono speech, to choose the format that fits the sync
// limit, on the safe side: FLAC keeps up to about 80% of 16-bit PCM's
// 32,000 bytes a second (60–70% for clean speech) and ffmpeg adds 8 KiB of
// padding; Opus at 32 kb/s takes about 4,100 bytes a second and 1 KiB of
// headers.
const (
	flacBytesPerSecond = 32000 * 8 / 10
	flacHeaders        = 9 << 10
	opusBytesPerSecond = 4100
	opusHeaders        = 1 << 10
)

// smallerHint offers async mode, or the conversion that brings the audio
// under the sync limit: FLAC when it fits, else Opus.
func smallerHint(req Request, ev Evidence) string {
	const async = "use async mode (--mode async), or make it smaller: "
	secs := -1.0
	if ev.Info != nil && ev.Info.Opens && !ev.Info.LengthUnknown && ev.Info.SampleRate > 0 {
		secs = ev.Info.Duration()
	}
	if secs < 0 {
		return async + "16 kHz mono FLAC is about a fifth of 44.1 kHz stereo WAV: " + convertCommand(ev, toFLAC)
	}
	flac := int64(secs*flacBytesPerSecond) + flacHeaders
	opus := int64(secs*opusBytesPerSecond) + opusHeaders
	switch {
	case flac <= req.SyncLimit:
		return async + fmt.Sprintf("as 16 kHz mono FLAC it is about %s: ", approxSize(flac)) + convertCommand(ev, toFLAC)
	case opus <= req.SyncLimit:
		return async + fmt.Sprintf("as 16 kHz mono Opus at 32 kb/s it is about %s: ", approxSize(opus)) + convertCommand(ev, toOpus)
	}
	return fmt.Sprintf("use async mode (--mode async): %.3g s of audio is over the sync limit even as 16 kHz mono Opus (about %s)", secs, approxSize(opus))
}

// approxSize writes an estimated size with two significant digits.
func approxSize(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2g MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.2g kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

// convertCommand is the command line that turns the input into 16 kHz
// mono audio of the given kind. Standard input is saved first and a URL
// downloaded first (the input is then that file), base64 text is decoded
// first and the result encoded again, so the command runs as printed.
func convertCommand(ev Evidence, to output) string { return afterWords("", ev, to) }

// afterWords is words followed by convertCommand, written in one string:
// most rejected inputs' hints are one, and were six allocations.
func afterWords(words string, ev Evidence, to output) string {
	var b strings.Builder
	b.Grow(len(words) + 4*len(ev.Input) + 96)
	b.WriteString(words)
	step := func(parts ...string) {
		if b.Len() > len(words) {
			b.WriteString(" && ")
		}
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	note := ""
	in := ev.Input
	switch {
	case in == "" || in == "-":
		in = "stdin.audio"
		if ev.Base64 {
			in = "stdin.txt"
		}
		step("cat > ", in)
	case strings.Contains(in, "://"):
		local, fetch, why := download(in, ev.Base64)
		in, note = local, why
		step(fetch)
	}
	audio := in
	if ev.Base64 {
		audio = stem(in) + "-decoded.bin"
		step("base64 -di ", shellArg(in), " > ", shellArg(audio))
	}
	out := stem(in) + "-16k" + to.ext
	codec := ""
	if to.codec != "" {
		codec = " " + to.codec
	}
	step("ffmpeg -i ", shellArg(audio), " -ar 16000 -ac 1", codec, " ", shellArg(out))
	if ev.Base64 {
		text := stem(in) + "-16k" + filepath.Ext(in)
		if filepath.Ext(in) == "" || text == out {
			text = stem(in) + "-16k.txt"
		}
		step("base64 -w0 ", shellArg(out), " > ", shellArg(text))
	}
	b.WriteString(note)
	return b.String()
}

// stem is a name without its extension.
func stem(name string) string { return strings.TrimSuffix(name, filepath.Ext(name)) }

// download is the command that fetches a URL to a local file, and that
// file's name: the URL's last path segment, or "audio" (an s3:// object
// is fetched with the AWS CLI). A URL that
// carries credentials (a password, a pre-signed query) is not repeated in
// the hint: the command reads it from $URL, and note says so.
func download(raw string, base64 bool) (local, command, note string) {
	local = "audio"
	if base64 {
		local = "audio.txt"
	}
	shown := shellQuote(raw)
	if len(raw) > 5 && strings.EqualFold(raw[:5], "s3://") {
		// An object read with the user's credentials (check
		// --read-objects): the AWS CLI fetches it with the same ones.
		if b := path.Base(raw[5:]); strings.Contains(raw[5:], "/") && b != "" {
			local = safeLocalName.Get().ReplaceAllString(b, "_")
		}
		return local, "aws s3 cp " + shown + " " + shellArg(local), ""
	}
	u, err := url.Parse(raw)
	if err == nil {
		if b := path.Base(u.Path); b != "." && b != "/" && b != "" {
			local = safeLocalName.Get().ReplaceAllString(b, "_")
		}
	}
	if err != nil || u.User != nil || u.RawQuery != "" {
		shown = `"$URL"`
		note = " (with URL set to the input's URL, which is not repeated here: it carries credentials)"
	}
	return local, "curl -fsSLo " + shellArg(local) + " " + shown, note
}

var safeLocalName = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]`) }}

// localFile is the input as a command's file argument, when it is a file.
func localFile(in string) (string, bool) {
	if in == "" || in == "-" || strings.Contains(in, "://") {
		return "", false
	}
	return shellArg(in), true
}

// shellArg writes a file name as one shell word that no command reads as
// an option or a protocol: a relative name starting with "-", or with a
// ":" before any "/" (ffmpeg reads "a:b.wav" as protocol "a"), gets "./".
func shellArg(name string) string {
	if !filepath.IsAbs(name) && !strings.HasPrefix(name, "./") {
		colon := strings.IndexByte(name, ':')
		if strings.HasPrefix(name, "-") || colon >= 0 && !strings.Contains(name[:colon], "/") {
			name = "./" + name
		}
	}
	return shellQuote(name)
}

// shellSafe reports whether s is one or more of the bytes a POSIX shell
// takes as they are: A-Z a-z 0-9 _ . / + , : @ % = -. (A loop, not a
// regexp: every rejected input's hint asks.)
func shellSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_./+,:@%=-", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// shellQuote quotes s for a POSIX shell when it needs it. A name holding
// control characters, invalid UTF-8, bidirectional formatting characters or
// line separators — whatever safetext escapes — is written $'…' with every
// such byte escaped (bash, zsh and ksh read it), so that the hint holds
// nothing the sanitiser changes and still runs as printed.
func shellQuote(s string) string {
	if shellSafe(s) {
		return s
	}
	if !needsEscapes(s) {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteByte(s[i])
		case r == utf8.RuneError && size <= 1, safetext.Unsafe(r):
			for j := 0; j < size; j++ {
				fmt.Fprintf(&b, `\x%02x`, s[i+j])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('\'')
	return b.String()
}

// needsEscapes reports whether s holds a byte that the output's sanitiser
// (safetext) would escape: then only $'…' keeps the hint runnable as
// printed, since the escaped form inside '…' would be a different name.
func needsEscapes(s string) bool { return !safetext.Safe(s) }
