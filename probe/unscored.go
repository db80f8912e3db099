package probe

import (
	"fmt"
	"strconv"
)

// Unscored is the one warning about audio the server will not score, for
// every format: the frames the input holds — the most of libsndfile's count
// (Info.Frames) and what the header (Info.FramesHeld) or the full read
// (ReadResult.FramesHeld) show — against the frames the server's read loop
// delivers (ReadResult.FramesRead), or what the parts it skipped held
// (ReadResult.FramesSkipped) when that is more. Formats say why audio is lost in their
// own warnings (a page that fails its checksum, a data chunk cut short);
// the amount comes only from here, so that it is said once and the same
// way (docs/server.md#warnings).
//
// read is nil when the audio was not read (header-only): the server then
// delivers at most Info.Frames, so what the header alone shows is "at
// least" lost. No warning is given when the server rejects the audio
// anyway (it does not open, its length is unknown, reading fails, or it
// reads nothing). When libsndfile's length is an estimate (MPEG without a
// Xing header), reading fewer frames than it loses nothing, and the
// warning says only that the counts differ.
func Unscored(info *Info, read *ReadResult) []string {
	if info == nil || !info.Opens || info.LengthUnknown {
		return nil
	}
	counted := info.Frames
	if info.LengthEstimated {
		counted = 0
	}
	held := max(counted, info.FramesHeld)
	if read == nil {
		if lost := held - info.Frames; lost > 0 {
			return []string{fmt.Sprintf("at least %s of the audio will not be scored: the header shows %s frames, the API reads at most %s",
				info.amount(lost, held), groupDigits(held), groupDigits(info.Frames))}
		}
		return nil
	}
	if read.ReadError != "" || read.FramesRead <= 0 {
		return nil
	}
	held = max(held, read.FramesHeld)
	short := held - read.FramesRead
	if skipped := min(read.FramesSkipped, held); skipped > max(short, 0) {
		// The count can hide it: a seek made the server read other audio
		// twice where it skipped some.
		return []string{fmt.Sprintf("%s of the audio will not be scored: the API skips %s of its %s frames",
			info.amount(skipped, held), groupDigits(skipped), groupDigits(held))}
	}
	if short > 0 {
		return []string{fmt.Sprintf("%s of the audio will not be scored: the API reads %s of its %s frames",
			info.amount(short, held), groupDigits(read.FramesRead), groupDigits(held))}
	}
	if short := info.Frames - read.FramesRead; short > 0 && info.LengthEstimated {
		return []string{fmt.Sprintf("the API reads %s frames, %s fewer than the length it estimates from the file size (nothing is lost)",
			groupDigits(read.FramesRead), info.amount(short, info.Frames))}
	}
	return nil
}

// amount says how long n frames of total are, and what share: "1.000 s
// (27.4%)", "89 s (1.5 min, 98.9%)".
func (i *Info) amount(n, total int64) string {
	share := fmt.Sprintf("%.1f%%", float64(n)/float64(total)*100)
	switch {
	case share == "0.0%":
		share = "under 0.1%"
	case share == "100.0%" && n < total:
		share = "over 99.9%"
	}
	if i.SampleRate <= 0 {
		return groupDigits(n) + " frames (" + share + ")"
	}
	secs := float64(n) / float64(i.SampleRate)
	switch {
	case secs < 0.0005:
		return "under 1 ms (" + share + ")"
	case secs < 60:
		return fmt.Sprintf("%.3f s (%s)", secs, share)
	case secs < 3600:
		return fmt.Sprintf("%.0f s (%.1f min, %s)", secs, secs/60, share)
	}
	return fmt.Sprintf("%.0f s (%.1f h, %s)", secs, secs/3600, share)
}

// groupDigits writes n with commas between groups of three digits.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
