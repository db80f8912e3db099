// Package fixplan decides how a rejected input can be made acceptable
// without decoding its audio, and carries that out: from what the prober
// saw (probe.Info) and the decision (validate.Decision), it names the
// lossless path that applies — rewriting an Ogg-Opus header, remuxing
// WebM/Matroska Opus into Ogg-Opus, rewriting a WAV header — or says why
// none does, and whether decoding and re-encoding is what remains.
//
// A header rewrite is planned only when the API would accept its
// result: the plan builds the rewritten file as a view over the input
// (nothing is written) and runs the prober and the decision order on it,
// as check does. A remux writes a new stream, which the command checks
// once written.
package fixplan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	"github.com/audiopreflight/audiopreflight/internal/opus"
	"github.com/audiopreflight/audiopreflight/internal/opusremux"
	"github.com/audiopreflight/audiopreflight/internal/sections"
	"github.com/audiopreflight/audiopreflight/internal/wavheader"
	"github.com/audiopreflight/audiopreflight/internal/webm"
	"github.com/audiopreflight/audiopreflight/probe"
	_ "github.com/audiopreflight/audiopreflight/probe/allformats" // the plan probes its candidates
	"github.com/audiopreflight/audiopreflight/validate"
)

// Path is a lossless way to make an input acceptable.
type Path string

// The lossless paths.
const (
	// PathNone: no lossless path applies (Plan.Why says why).
	PathNone Path = ""
	// PathOpusHeader rewrites the OpusHead of an Ogg-Opus stream so that
	// the API decodes it at 16 kHz into one channel; every other byte
	// is copied.
	PathOpusHeader Path = "opus-header"
	// PathOpusRemux moves the Opus packets of a WebM or Matroska file
	// into Ogg-Opus, with that header.
	PathOpusRemux Path = "opus-remux"
	// PathWAVHeader writes a canonical header before the audio bytes of a
	// WAV-family file whose header the API refuses.
	PathWAVHeader Path = "wav-header"
)

// Input is one input to plan for.
type Input struct {
	// Name is the input as the user gave it.
	Name string
	R    io.ReaderAt
	Size int64
	// Info is what probe.Probe saw; Decision is check's decision for it.
	Info     *probe.Info
	Decision validate.Decision
}

// Plan is what a lossless fix of one input does, or why there is none.
type Plan struct {
	Path Path
	// Ext is the output's file name extension (".opus", ".wav").
	Ext string
	// Steps say what the fix changes, in words.
	Steps []string
	// Why says, when Path is PathNone, why no lossless path makes the
	// input acceptable; empty when the input is accepted as it is.
	Why string
	// Decode is set when what keeps the input from being accepted is the
	// audio's coding itself (rate, channels, codec, container): decoding
	// and re-encoding is what remains. It is not set when the input holds
	// no usable audio, or is accepted.
	Decode bool
	// Expected is the decision for the output, when the plan could reach
	// it without writing the output (header rewrites); nil otherwise.
	Expected *validate.Decision

	in       Input
	repaired *sections.Concat // the header-rewritten input, for PathWAVHeader and Repaired
	repSize  int64
}

// Lossless plans the lossless fix of in for the request req.
func Lossless(req validate.Request, in Input) *Plan {
	p := &Plan{in: in}
	if in.Decision.Accepted() {
		return p
	}
	info := in.Info
	switch {
	case info == nil:
		p.Why = "there is no audio to fix"
	case info.Container == probe.ContainerOgg && info.Variant == "opus":
		p.planOggHead(req)
	case info.Container == probe.ContainerWebM:
		p.planMatroska()
	case isWAVFamily(in):
		p.planWAV(req)
	default:
		p.Decode = true
		p.Why = fmt.Sprintf("no lossless path for %s: the audio must be decoded and re-encoded", describe(info))
	}
	return p
}

// describe names what an input is, for reasons.
func describe(info *probe.Info) string {
	name := info.Container
	if info.Variant != "" {
		name += " (" + info.Variant + ")"
	}
	if info.Codec != "" && info.Codec != info.Variant {
		name += " " + info.Codec
	}
	return name
}

// isWAVFamily tells an input whose header is RIFF, RIFX, RF64, BW64 or
// Wave64, possibly behind ID3 tags: what wavheader.Locate reads.
func isWAVFamily(in Input) bool {
	switch in.Info.Container {
	case probe.ContainerWAV, probe.ContainerW64:
		return true
	}
	var head [4]byte
	n, _ := in.R.ReadAt(head[:], 0)
	if n == 4 && (string(head[:]) == "BW64" || string(head[:3]) == "ID3") {
		return true
	}
	return false
}

// evaluate runs the prober and the decision order over a candidate
// output, as check does for an input.
func evaluate(req validate.Request, name string, r io.ReaderAt, size int64) (validate.Decision, error) {
	head := make([]byte, min(size, 16))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return validate.Decision{}, err
	}
	info, err := probe.Probe(r, size, name)
	if err != nil {
		return validate.Decision{}, err
	}
	ev := validate.Evidence{Input: name, Size: size, Head: head, Info: info}
	if !req.HeaderOnly {
		if ev.Read, err = probe.ReadAll(r, size, info); err != nil {
			return validate.Decision{}, err
		}
	}
	return validate.Decide(req, ev), nil
}

// stillRejected says why a candidate output would still be rejected.
func stillRejected(what string, d validate.Decision) string {
	v := d.Verdict()
	why := fmt.Sprintf("after %s the API would still answer %s", what, v.Exception.Name)
	if v.Detail != "" {
		why += ": " + v.Detail
	}
	return why
}

// formatOnly tells whether a decision's findings are all about the
// audio's format (step 6), which only decoding changes.
func formatOnly(d validate.Decision) bool {
	return onlySteps(d, validate.StepFormat)
}

// reencodable tells whether a decision's findings are all about the
// audio's format or its size in sync mode: decoding and re-encoding as
// 16 kHz mono (FLAC, when size matters) changes both.
func reencodable(d validate.Decision) bool {
	return onlySteps(d, validate.StepFormat, validate.StepSyncSize)
}

// onlySteps tells whether a decision has findings, all of them at the
// given steps.
func onlySteps(d validate.Decision, steps ...string) bool {
	for _, f := range d.Findings {
		if !slices.Contains(steps, f.Step) {
			return false
		}
	}
	return len(d.Findings) > 0
}

func (p *Plan) planOggHead(req validate.Request) {
	in := p.in
	oh, err := opusremux.ReadOggHead(in.R, in.Size)
	if err != nil {
		p.Why = "the Ogg-Opus header cannot be rewritten: " + err.Error()
		return
	}
	nh, changes, err := opus.ServerHead(oh.Head)
	var ne *opus.NeedsReencodeError
	if errors.As(err, &ne) {
		p.Decode = true
		p.Why = ne.Msg
		return
	}
	packet := nh.Marshal()
	if len(changes) == 0 && bytes.Equal(packet, oh.Page.Body) {
		p.Why = "the OpusHead already asks for 16 kHz mono: a header rewrite changes nothing"
		return
	}
	page := oggmux.RewritePage(oh.Page, packet)
	end := oh.Page.Offset + int64(len(oh.Page.Raw))
	cand := sections.New(sections.Of(in.R, 0, oh.Page.Offset), sections.Bytes(page), sections.Of(in.R, end, in.Size-end))
	d, err := evaluate(req, in.Name, cand, cand.Size())
	if err != nil {
		p.Why = "the rewritten header could not be checked: " + err.Error()
		return
	}
	if !d.Accepted() {
		p.Why = stillRejected("rewriting the OpusHead", d)
		p.Decode = formatOnly(d)
		return
	}
	p.Path, p.Ext, p.Expected = PathOpusHeader, ".opus", &d
	p.Steps = append([]string{"OpusHead rewritten, every Opus packet and page copied as it is"}, changes...)
	if len(packet) < len(oh.Page.Body) && oh.Head.Family == nh.Family {
		p.Steps = append(p.Steps, fmt.Sprintf("%d bytes after the OpusHead fields dropped", len(oh.Page.Body)-len(packet)))
	}
}

func (p *Plan) planMatroska() {
	in := p.in
	f, err := webm.Open(in.R, in.Size)
	if err != nil {
		p.Why = "the WebM/Matroska file cannot be read: " + err.Error()
		return
	}
	t, err := opusremux.OpusTrack(f)
	if err != nil {
		p.Decode = true
		p.Why = err.Error() + ": only Opus can be remuxed without decoding"
		return
	}
	if t.Encoded {
		p.Why = fmt.Sprintf("track %d is compressed or encrypted as stored", t.Number)
		return
	}
	h, err := opus.ParseHead(t.CodecPrivate)
	if err != nil {
		p.Why = fmt.Sprintf("track %d has no usable OpusHead: %v", t.Number, err)
		return
	}
	_, changes, err := opus.ServerHead(h)
	var ne *opus.NeedsReencodeError
	if errors.As(err, &ne) {
		p.Decode = true
		p.Why = ne.Msg
		return
	}
	what := "WebM"
	if f.DocType == "matroska" {
		what = "Matroska"
	}
	p.Path, p.Ext = PathOpusRemux, ".opus"
	p.Steps = append([]string{fmt.Sprintf("Opus track %d of the %s file remuxed into Ogg-Opus, every packet copied as it is", t.Number, what)}, changes...)
}

func (p *Plan) planWAV(req validate.Request) {
	in := p.in
	l, err := wavheader.Locate(in.R, in.Size)
	if err != nil {
		p.Why = "the WAV header cannot be rewritten: " + err.Error()
		return
	}
	cand, size, err := l.Output(in.R)
	if err != nil {
		p.Why = "the WAV header cannot be rewritten: " + err.Error()
		return
	}
	d, err := evaluate(req, in.Name, cand, size)
	if err != nil {
		p.Why = "the rewritten header could not be checked: " + err.Error()
		return
	}
	if reencodable(d) && !reencodable(in.Decision) {
		// The audio still needs decoding (its rate, channels or size),
		// but now reads whole.
		p.repaired, p.repSize = cand, size
	}
	if !d.Accepted() {
		p.Why = stillRejected("rewriting the header", d)
		p.Decode = reencodable(d)
		return
	}
	p.Path, p.Ext, p.Expected = PathWAVHeader, ".wav", &d
	p.repaired, p.repSize = cand, size
	p.Steps = append([]string{fmt.Sprintf("header rewritten (%s, fmt: %s, data: %d bytes of audio copied as they are)", outContainer(l, size), formatWords(l.Format), l.DataSize)}, l.Repairs...)
	if len(l.Dropped) > 0 {
		p.Steps = append(p.Steps, "chunks left out: "+strings.Join(l.Dropped, ", "))
	}
}

func outContainer(l *wavheader.Layout, size int64) string {
	switch {
	case l.BigEndian():
		return "RIFX WAVE"
	case size > 0xFFFFFFFF:
		return "RF64 WAVE"
	}
	return "RIFF WAVE"
}

// formatWords says what a format is: "PCM 16-bit, 16000 Hz, 1 channel".
func formatWords(f wavheader.Format) string {
	name := map[uint16]string{
		wavheader.TagPCM: "PCM", wavheader.TagFloat: "float", wavheader.TagALaw: "A-law", wavheader.TagMuLaw: "µ-law",
		wavheader.TagIMAADPCM: "IMA ADPCM", wavheader.TagMSADPCM: "MS ADPCM", wavheader.TagGSM610: "GSM 6.10",
	}[f.Tag]
	if name == "" {
		name = fmt.Sprintf("format 0x%04X", f.Tag)
	}
	if f.Extensible {
		name += " (extensible)"
	}
	ch := "channels"
	if f.Channels == 1 {
		ch = "channel"
	}
	return fmt.Sprintf("%s %d-bit, %d Hz, %d %s", name, f.Bits, f.Rate, f.Channels, ch)
}

// Repaired returns the input with its WAV header rewritten when that
// makes it readable by the API's reader, even if not acceptable (a
// 44.1 kHz stereo file with a streaming writer's sizes): what a decoding
// path should read instead of the input. ok is false when the input needs
// no such repair or has none.
func (p *Plan) Repaired() (r io.ReaderAt, size int64, ok bool) {
	if p.repaired == nil {
		return nil, 0, false
	}
	return p.repaired, p.repSize, true
}

// Outcome is what applying a plan did.
type Outcome struct {
	// Steps are the plan's steps and what the writing found (notes of a
	// remux: its end trimming, gaps in the timestamps).
	Steps []string
	// Written is the size of the output.
	Written int64
	// Seconds is the output's duration, when writing it measured it (a
	// remux counts its packets' samples); 0 otherwise.
	Seconds float64
}

// ErrNoPath is returned by Apply for a plan without a lossless path.
var ErrNoPath = errors.New("fixplan: no lossless path")

// Apply writes the fixed file to w, reading the input once, in order,
// with bounded memory.
func (p *Plan) Apply(w io.Writer) (*Outcome, error) {
	in := p.in
	switch p.Path {
	case PathOpusHeader:
		res, err := opusremux.RewriteOggHead(in.R, in.Size, w)
		if err != nil {
			return nil, err
		}
		return &Outcome{Steps: p.Steps, Written: res.Written}, nil
	case PathOpusRemux:
		res, err := opusremux.FromMatroska(in.R, in.Size, w)
		if err != nil {
			return nil, err
		}
		steps := append([]string(nil), p.Steps...)
		if res.Trimmed > 0 {
			steps = append(steps, fmt.Sprintf("end trimming kept: the last page drops %d samples at 48 kHz", res.Trimmed))
		}
		seconds := float64(res.Samples-int64(res.Head.PreSkip)-res.Trimmed) / opus.SampleRate
		steps = append(steps, fmt.Sprintf("%d packets, %.2f s", res.Packets, seconds))
		return &Outcome{Steps: append(steps, res.Notes...), Written: res.Written, Seconds: seconds}, nil
	case PathWAVHeader:
		n, err := p.repaired.WriteTo(w)
		if err != nil {
			return nil, err
		}
		return &Outcome{Steps: p.Steps, Written: n}, nil
	}
	return nil, ErrNoPath
}
