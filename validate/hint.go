package validate

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/audiopreflight/audiopreflight/probe"
)

// Hint says, in one line, what would make the server accept the input,
// given its decision: usually the ffmpeg command that converts it.
func Hint(req Request, ev Evidence, d Decision) string {
	v := d.Verdict()
	if v == nil {
		return ""
	}
	in := ev.Input
	switch v.Exception.Name {
	case NoTokenProvided, InvalidSessionToken, InvalidHeaderParameter:
		return "set the Authorization header to \"ELSA <token>\" or \"Bearer <token>\" (see: audiopreflight explain " + v.Exception.Name + ")"
	case MissingAudioParam:
		return "the audio is empty: send the recording's bytes"
	case FailedToReadAudioFromURL:
		if ev.Download != nil && ev.Download.Hint != "" {
			return ev.Download.Hint
		}
		return "use a public https URL (or a fresh pre-signed URL), or upload the file as audio_file"
	case FailedToDecodeAudioFromBytes:
		return "encode the file's bytes with standard base64: base64 -w0 FILE"
	case FailedToUseAudio:
		if v.Step == StepBase64 {
			return "encode the file's bytes with standard base64: base64 -w0 FILE"
		}
		if v.Step == StepFrames {
			return "the audio holds no frames: export the recording again"
		}
		return "re-encode so the header carries the length: " + convertCommand(in, ev.Info)
	case AudioTooBigForSync:
		return "use async mode (--mode async), or make it smaller: 16 kHz mono FLAC is about half the size of WAV: " + ffmpegCommand(in, "-ar 16000 -ac 1", ".flac")
	case FailedToConvertAudio:
		if v.Step == StepDecode {
			return "the audio is damaged where decoding stops: export it again from the original, or keep what decodes: " + convertCommand(in, ev.Info)
		}
		return "convert with: " + convertCommand(in, ev.Info)
	case InvalidAudioFormat, FailedToParseAudioHeader:
		return "convert with: " + convertCommand(in, ev.Info)
	}
	return ""
}

// convertCommand is the ffmpeg command that turns in into 16 kHz mono audio
// the API accepts, keeping FLAC as FLAC and making WAV of everything else.
func convertCommand(in string, info *probe.Info) string {
	ext := ".wav"
	if info != nil && info.Container == probe.ContainerFLAC && info.Opens {
		ext = ".flac"
	}
	return ffmpegCommand(in, "-ar 16000 -ac 1", ext)
}

func ffmpegCommand(in, args, ext string) string {
	if in == "" || in == "-" || strings.Contains(in, "://") {
		return "ffmpeg -i INPUT " + args + " OUTPUT" + ext
	}
	out := strings.TrimSuffix(in, filepath.Ext(in)) + "-16k" + ext
	return "ffmpeg -i " + shellQuote(in) + " " + args + " " + shellQuote(out)
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./+,:@%=-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
