package fix

import (
	"strconv"
	"strings"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/validate"
)

// FFmpegArgs are the arguments that convert in to 16 kHz mono 16-bit
// format at out: the first audio stream only, cut after cut when it is
// more than zero.
func FFmpegArgs(in, out string, format encode.Format, cut time.Duration) []string {
	args := []string{"-i", in, "-map", "0:a:0", "-ar", "16000", "-ac", "1"}
	if cut > 0 {
		args = append(args, "-t", strconv.FormatFloat(cut.Seconds(), 'f', -1, 64))
	}
	if format == encode.FLAC {
		args = append(args, "-c:a", "flac", "-sample_fmt", "s16")
	} else {
		args = append(args, "-c:a", "pcm_s16le")
	}
	return append(args, out)
}

// FFmpegLine is the command line that converts the file in into out with
// ffmpeg and checks out, for a person to run where ffmpeg is: what the
// command line prints when it has no ffmpeg, and the browser always.
func FFmpegLine(in, out string, format encode.Format, cut time.Duration) string {
	words := []string{"ffmpeg"}
	for i, a := range FFmpegArgs(in, out, format, cut) {
		if i == 1 || a == out {
			a = validate.ShellFileArg(a)
		}
		words = append(words, a)
	}
	return strings.Join(words, " ") + " && audiopreflight check " + validate.ShellFileArg(out)
}
