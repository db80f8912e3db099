package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/audiopreflight/audiopreflight/internal/check"
	"github.com/audiopreflight/audiopreflight/internal/encode"
	"github.com/audiopreflight/audiopreflight/internal/fix"
	"github.com/audiopreflight/audiopreflight/internal/report"
	"github.com/audiopreflight/audiopreflight/validate"
)

// Audio the tool does not decode (AAC, WMA, AMR, ADPCM, Opus that must be
// re-encoded, MP3 that go-mp3 misreads, ...) is converted by ffmpeg when
// there is one: this layer alone runs programs, so that the engine
// (internal/fix) stays a function over bytes.

// ffmpegSteps say what ffmpeg does to an input, for why (what the tool
// does not decode).
func ffmpegSteps(why, ffmpeg string, format encode.Format, cut time.Duration) []string {
	who := "ffmpeg"
	if ffmpeg != "" {
		who += " (" + ffmpeg + ")"
	}
	s := []string{
		fmt.Sprintf("decode with %s: %s", who, why),
		"downmix to mono, resample to 16000 Hz, encode " + format.String() + " (16 bit)",
	}
	if cut > 0 {
		s = append(s, fmt.Sprintf("keep at most %s (--max-duration)", cut))
	}
	return s
}

// ffmpegCommand is the command line that would fix t into out, for a
// person to run where ffmpeg is: the input saved first when it is not a
// file, and the new file checked after.
func ffmpegCommand(t check.Target, out string, format encode.Format, cut time.Duration) string {
	var pre []string
	in := t.Name
	switch {
	case t.Source == report.SourceStdin:
		in = "stdin.audio"
		pre = append(pre, "cat > stdin.audio")
	case t.Source == report.SourceURL:
		in = inputBaseName(t)
		pre = append(pre, "curl -fsSLo "+validate.ShellFileArg(in)+` "$URL"`)
	}
	line := strings.Join(append(pre, fix.FFmpegLine(in, out, format, cut)), " && ")
	if t.Source == report.SourceURL {
		line += " (with URL set to the input's URL)"
	}
	return line
}

// convertWithFFmpeg has ffmpeg write the job's output into temp, in the
// job's format, or in FLAC when a WAV is over the sync limit and no format
// was asked for. It returns the format written.
func (fx *fixer) convertWithFFmpeg(ctx context.Context, t check.Target, audio check.Audio, job *fix.Job, temp *os.File) (encode.Format, error) {
	in := t.Name
	if t.Source != report.SourceFile || t.Stream {
		// ffmpeg reads a file: some containers (MP4 with its index at the
		// end) cannot be read from a pipe.
		p, err := copyTo(filepath.Dir(temp.Name()), audio, audio.Size())
		if err != nil {
			return 0, fmt.Errorf("cannot hold the input for ffmpeg: %s", plainPathErr(err))
		}
		defer os.Remove(p)
		in = p
	}
	format := job.Format
	for {
		if err := runFFmpeg(ctx, fx.ffmpeg, in, temp.Name(), format, job.Cut); err != nil {
			return format, err
		}
		limit := fx.engine.SizeLimit()
		size := fileSize(temp)
		if limit == 0 || size <= limit {
			return format, nil
		}
		if format == encode.WAV && fx.engine.Format == encode.Auto {
			format = encode.FLAC
			continue
		}
		secs := 0.0
		if c, err := fix.Check(fx.engine.Request, temp.Name(), temp, size); err == nil {
			secs = c.Seconds()
		}
		return format, &fix.TooBigError{What: "16 kHz mono " + strings.ToUpper(format.String()), Size: size, Limit: limit, Seconds: secs}
	}
}

// runFFmpeg runs ffmpeg on the file in, writing out (which it truncates).
func runFFmpeg(ctx context.Context, ffmpeg, in, out string, format encode.Format, cut time.Duration) error {
	abs, err := filepath.Abs(in)
	if err != nil {
		return err
	}
	// "file:" keeps ffmpeg from reading a name as a protocol ("a:b.wav")
	// or an option; the muxer is named, the temporary file's name says
	// nothing; bitexact leaves out the encoder's version, so the same
	// input gives the same bytes.
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y"}
	conv := fix.FFmpegArgs("file:"+abs, "file:"+out, format, cut)
	args = append(args, conv[:len(conv)-1]...)
	args = append(args, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", format.String(), conv[len(conv)-1])
	cmd := exec.CommandContext(ctx, ffmpeg, args...)
	var stderr tailBuffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// ffmpeg names the input as it was given, "file:" and all.
		msg := strings.TrimPrefix(stderr.lastLine(), "file:"+abs+": ")
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("ffmpeg could not convert it: %s", msg)
	}
	return nil
}

// tailBuffer keeps the last 4 KiB written to it: what a failing program
// said last.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = append(t.b[:0], t.b[len(t.b)-4096:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) lastLine() string {
	lines := bytes.Split(bytes.TrimSpace(t.b), []byte("\n"))
	return strings.TrimSpace(string(lines[len(lines)-1]))
}

// copyTo copies all of r to a new temporary file in dir.
func copyTo(dir string, r io.ReaderAt, size int64) (string, error) {
	f, err := os.CreateTemp(dir, ".fix-input-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, io.NewSectionReader(r, 0, size))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
