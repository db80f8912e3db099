package flac

import (
	"encoding/binary"
	"math"
)

// Seeking matters because the server seeks: python-soundfile's read()
// calls sf_seek to the new position after every block of 65536 frames, and
// libsndfile's flac_seek runs libFLAC's FLAC__stream_decoder_seek_absolute,
// a bisection over the input that decodes frames at guessed offsets. A
// seek that cannot find its sample fails with "Internal psf_fseek()
// failed." — so a stream whose frames do not number their samples as
// STREAMINFO says (a wrong block size, a missing frame, a file shorter than
// its total) fails at the first block boundary it affects.

// maxSeekSteps bounds the bisection; libFLAC's ends on its own on every
// input seen, far below this.
const maxSeekSteps = 10000

// seekAbsolute is FLAC__stream_decoder_seek_absolute.
func (d *decoder) seekAbsolute(sample uint64) bool {
	switch d.state {
	case stSearchMetadata, stReadMetadata, stSearchSync, stReadFrame, stEndOfStream:
	default:
		return false
	}
	if t := d.totalSamples(); t > 0 && sample >= t {
		return false
	}
	d.seeking = true
	defer func() { d.seeking = false }()
	if d.state == stReadMetadata {
		if !d.processUntilEndOfMetadata() {
			return false
		}
		if t := d.totalSamples(); t > 0 && sample >= t {
			return false
		}
	}
	return d.seekToSample(uint64(d.size), sample)
}

// seekToSample is seek_to_absolute_sample_.
func (d *decoder) seekToSample(length, target uint64) bool {
	total := d.totalSamples()
	si := &d.si
	channels, bps := d.lastChannels, d.lastBps
	if channels == 0 {
		channels = si.channels
	}
	if bps == 0 {
		bps = si.bps
	}
	var approx uint32
	switch {
	case si.maxFrame > 0:
		approx = (si.maxFrame+si.minFrame)/2 + 1
	case si.minBlock == si.maxBlock && si.minBlock > 0:
		approx = si.minBlock*channels*bps/8 + 64
	default:
		approx = 4096*channels*bps/8 + 64
	}

	lower, lowerSample := uint64(d.firstFrameOffset), uint64(0)
	upper, upperSample := length, total
	if total == 0 {
		upperSample = target
	}
	if d.state == stSearchSync && d.samplesDecoded != 0 && d.br.aligned() {
		if target < d.samplesDecoded {
			upper, upperSample = uint64(d.br.bytePos()), d.samplesDecoded
		} else {
			lower, lowerSample = uint64(d.br.bytePos()), d.samplesDecoded
		}
	}
	if d.hasSeekTable {
		nl, nu, nls, nus := lower, upper, lowerSample, upperSample
		if p, ok := d.seekPointBelow(target, total); ok {
			nl, nls = uint64(d.firstFrameOffset)+p.offset, p.sample
		}
		if p, ok := d.seekPointAbove(target, total); ok {
			nu, nus = uint64(d.firstFrameOffset)+p.offset, p.sample
		}
		if nu >= nl {
			lower, upper, lowerSample, upperSample = nl, nu, nls, nus
		}
	}
	if upperSample == lowerSample {
		upperSample++
	}

	d.targetSample = target
	firstSeek, fromLower := true, false
	for range maxSeekSteps {
		if d.state == stMemoryError || d.state == stAborted {
			return false
		}
		if lowerSample >= upperSample || lower > upper || upper >= math.MaxInt64 {
			d.state = stSeekError
			return false
		}
		var pos int64
		if fromLower {
			pos = int64(lower)
		} else {
			frac := float64(target-lowerSample) / float64(upperSample-lowerSample) * float64(upper-lower)
			pos = int64(lower) + int64(frac) - int64(approx)
		}
		if pos >= int64(upper) {
			pos = int64(upper) - 1
		}
		if pos < int64(lower) {
			pos = int64(lower)
		}
		if pos > d.size {
			// Past the end libsndfile's read callback returns nothing,
			// which libFLAC takes for an abort.
			d.state = stSeekError
			return false
		}
		d.flush(pos)
		d.unparseable = 0
		if !d.processSingle() || d.state == stAborted || d.samplesDecoded == 0 {
			if d.state != stAborted && d.atEOF() && !fromLower {
				fromLower = true
				continue
			}
			d.state = stSeekError
			return false
		}
		fromLower = false
		if !d.seeking {
			return true
		}
		this := d.lastFrame.sample
		if this+uint64(d.lastFrame.blocksize) >= upperSample && !firstSeek {
			if pos == int64(lower) {
				d.state = stSeekError
				return false
			}
			if approx != 0 {
				approx *= 2
			} else {
				approx = 16
			}
			continue
		}
		firstSeek = false
		if this < lowerSample {
			d.state = stSeekError
			return false
		}
		if target < this {
			upperSample = this + uint64(d.lastFrame.blocksize)
			upper = uint64(d.br.bytePos())
			approx = uint32(2*(upper-uint64(pos))/3 + 16)
		} else {
			lowerSample = this + uint64(d.lastFrame.blocksize)
			lower = uint64(d.br.bytePos())
			approx = uint32(2*(lower-uint64(pos))/3 + 16)
		}
	}
	d.state = stSeekError
	return false
}

// flush is a seek callback to pos followed by FLAC__stream_decoder_flush.
func (d *decoder) flush(pos int64) {
	d.br.seek(pos)
	d.samplesDecoded = 0
	d.lastFrameSet = false
	d.state = stSearchSync
}

// atEOF is libsndfile's end-of-file callback: the input position has
// reached the file length. After the decoder hit the end of the input it
// has; otherwise libFLAC's 8 KiB look-ahead decides, which is approximated
// from the distance to the end.
func (d *decoder) atEOF() bool {
	return d.state == stEndOfStream || d.size-d.br.bytePos() <= 8192
}

// seekPoint is one SEEKTABLE entry.
type seekPoint struct {
	sample, offset uint64
	frameSamples   uint32
}

const placeholderPoint = ^uint64(0)

// usable is libFLAC's filter against placeholder and bogus points.
func (p seekPoint) usable(total uint64) bool {
	return p.sample != placeholderPoint && p.frameSamples > 0 && (total == 0 || p.sample < total)
}

// seekPointBelow finds the last usable point at or before target, scanning
// from the end as libFLAC does (a table need not be sorted).
func (d *decoder) seekPointBelow(target, total uint64) (seekPoint, bool) {
	points := d.seekPoints()
	for i := len(points) - 1; i >= 0; i-- {
		if p := points[i]; p.usable(total) && p.sample <= target {
			return p, true
		}
	}
	return seekPoint{}, false
}

// seekPointAbove finds the first usable point after target.
func (d *decoder) seekPointAbove(target, total uint64) (seekPoint, bool) {
	for _, p := range d.seekPoints() {
		if p.usable(total) && p.sample > target {
			return p, true
		}
	}
	return seekPoint{}, false
}

// seekPoints loads the seek table from the input the first time a seek
// needs it. It was read in full when the metadata was, so it lies inside
// the input and its size is bounded by the input's.
func (d *decoder) seekPoints() []seekPoint {
	if d.pointsLoaded == d.table {
		return d.points
	}
	d.points = d.points[:0]
	var b [seekPointSize * 64]byte
	for i := uint32(0); i < d.table.points; {
		n := min(d.table.points-i, 64)
		chunk := b[:n*seekPointSize]
		got, _ := d.br.r.ReadAt(chunk, d.table.off+int64(i)*seekPointSize)
		d.br.fetched += int64(got)
		if got < len(chunk) {
			clear(chunk[got:])
		}
		for k := range n {
			p := chunk[k*seekPointSize:]
			d.points = append(d.points, seekPoint{
				sample:       binary.BigEndian.Uint64(p[0:8]),
				offset:       binary.BigEndian.Uint64(p[8:16]),
				frameSamples: uint32(binary.BigEndian.Uint16(p[16:18])),
			})
		}
		i += n
	}
	d.pointsLoaded = d.table
	return d.points
}
