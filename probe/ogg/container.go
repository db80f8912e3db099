package ogg

// This file reproduces libsndfile 1.2.0's Ogg container layer (src/ogg.c):
// finding the first page, feeding the pages of one logical stream to it,
// unpacking a page's packets, finding the last page from the end of the
// file, and the bisection search that its seek uses. The server's read loop
// seeks after every block it reads, so the search runs on ordinary reads
// too and decides what a damaged file yields.

// sfError is a libsndfile error code (psf->error), kept with a reason.
type sfError struct {
	code   int
	reason string
}

const (
	sfeMalformed     = 1 // SFE_MALFORMED_FILE
	sfeInternal      = 2 // SFE_INTERNAL
	sfeUnimplemented = 3 // SFE_UNIMPLEMENTED
	sfeBadSeek       = 4 // SFE_BAD_SEEK
	sfeBadInfo       = 5 // SFE_BAD_SF_INFO
)

func (e *sfError) Error() string { return e.reason }

const (
	oggChunkSize    = 65536   // OGG_CHUNK_SIZE
	oggChunkSizeMax = 1 << 20 // OGG_CHUNK_SIZE_MAX
)

// oggFile is libsndfile's OGG_PRIVATE plus the parts of SF_PRIVATE the
// container code touches.
type oggFile struct {
	sync *syncReader
	os   stream

	opage   page   // odata->opage: the page read last
	opacket packet // odata->opacket

	pkt     []packet // odata->pkt: the packets of the page being decoded (up to 255)
	pktLen  int
	pktIndx int

	eos bool // odata->eos: the stream's last page has been read

	err *sfError // psf->error, sticky

	size int64

	holes     int   // sequence gaps met while reading that no bad page explains
	holeReach int64 // where the last one counted was
	// where the stream's page before the current one ended, and where the
	// current one ends: a gap between them with a bad page in it is that
	// page, already counted
	prevEnd, lastEnd int64
	// newHole is set when the page unpacked last follows a gap met for the
	// first time; skipped adds up the frames such gaps leave out, by the
	// granule positions on either side (the codec counts them)
	newHole bool
	skipped int64
	// pages of other logical streams met, for the stream summary
	others []otherStream

	home *fileState // where it and the codec streams live

	// how many bad pages and gaps the open met: the header's warnings say
	// those, the full read's the others
	openBad, openHoles int
}

type otherStream struct {
	serial int32
	off    int64
	bos    bool
	codec  string
}

func (f *oggFile) fail(code int, reason string) {
	if f.err == nil {
		f.err = &sfError{code: code, reason: reason}
	}
}

// syncSeek is ogg_sync_fseek.
func (f *oggFile) syncSeek(off int64) int64 {
	f.eos = false
	f.sync.seek(off)
	return off
}

// readFirstPage is ogg_read_first_page. The 12 bytes libsndfile's format
// detection read are already in the buffer, and the first page must start
// within the first 4096 bytes. A nil error with no page means there was
// none.
func (f *oggFile) readFirstPage() *sfError {
	// The 12 bytes read to identify the file are copied into the buffer
	// and reading goes on after them.
	f.syncSeek(0)
	f.sync.readInto(12)
	n := f.sync.nextPage(&f.opage, 4096-12, nil)
	if n == 0 {
		f.opage = page{}
		return nil
	}
	if !f.opage.bos() {
		return &sfError{sfeMalformed, "the first Ogg page does not begin a logical stream"}
	}
	f.os.resetSerial(f.opage.serial())
	if f.os.pagein(&f.opage) < 0 {
		return &sfError{sfeMalformed, "the first Ogg page has an unknown version"}
	}
	if f.os.packetout(&f.opacket, true) != 1 {
		return &sfError{sfeMalformed, "the first Ogg page holds no complete packet"}
	}
	return nil
}

// streamNextPage is ogg_stream_next_page: the next page of our logical
// stream into the stream state. 1, 0 at the end, -1 on error.
func (f *oggFile) streamNextPage() int {
	if f.eos {
		return 0
	}
	for {
		n := f.sync.nextPage(&f.opage, -1, nil)
		if n == 0 {
			// "File ended unexpectedly without an End-Of-Stream flag set."
			f.eos = true
			return 0
		}
		if f.opage.serial() == f.os.serial {
			break
		}
		f.noteOther(&f.opage)
	}
	if f.opage.eos() {
		f.eos = true
	}
	f.prevEnd, f.lastEnd = f.lastEnd, f.opage.off+int64(f.opage.size())
	if f.os.pagein(&f.opage) < 0 {
		f.fail(sfeInternal, "an Ogg page could not be taken into its stream")
		return -1
	}
	return 1
}

func (f *oggFile) noteOther(pg *page) {
	for _, o := range f.others {
		if o.serial == pg.serial() {
			return
		}
	}
	if len(f.others) >= 16 {
		return
	}
	f.others = append(f.others, otherStream{serial: pg.serial(), off: pg.off, bos: pg.bos(), codec: classify(pg.body())})
}

// noteGap counts what a gap in the page sequence left out: the granule
// positions from where decoding stood (before) to where it picks up again
// (after), in frames of factor granule units each. Granule positions that
// run backwards or past the stream's length say nothing usable.
func (f *oggFile) noteGap(before, after, factor uint64) {
	if after <= before || factor == 0 {
		return
	}
	if gap := (after - before) / factor; gap <= uint64(f.size)*64 {
		f.skipped += int64(gap)
	}
}

// maxPagePackets is how many packets libsndfile unpacks from a page.
const maxPagePackets = 255

// unpackPage is ogg_stream_unpack_page: every packet available after the
// next page(s) into f.pkt. 1, 2 when a hole was met first, 0 at the end,
// -1 on error.
func (f *oggFile) unpackPage() int {
	f.pktIndx = 0
	if len(f.pkt) < maxPagePackets {
		f.pkt = append(f.pkt, make([]packet, maxPagePackets-len(f.pkt))...)
	}
	nn := f.os.packetout(&f.pkt[0], true)
	if nn == 0 {
		for nn == 0 {
			nn = f.streamNextPage()
			if nn <= 0 {
				f.pktLen = 0
				return nn
			}
			nn = f.os.packetout(&f.pkt[0], true)
		}
	}
	foundHole := false
	f.newHole = false
	if nn == -1 {
		if f.opage.off > f.holeReach {
			if st := f.sync.stats; st == nil || !st.badBetween(f.prevEnd, f.opage.off) {
				f.holes++
			}
			f.holeReach = f.opage.off
			f.newHole = true
		}
		// The packet slot keeps its old content when nothing follows the
		// hole yet, as libsndfile's does.
		f.os.packetout(&f.pkt[0], true)
		foundHole = true
	}
	n, ret := f.os.packetsOut(f.pkt[1:maxPagePackets])
	if ret == 1 && f.os.packetout(nil, false) == 1 {
		f.fail(sfeInternal, "more than 255 packets on one Ogg page")
		return -1
	}
	f.pktLen = 1 + n
	if foundHole {
		return 2
	}
	return 1
}

// lastPageBefore is ogg_sync_last_page_before: the offset of the last page
// of the logical stream serial that has a granule position, searching
// backwards from offset in growing chunks; its granule position goes to
// *gp. -1 when there is none (any trailing bytes that are not a complete
// page end the search too: libsndfile 1.2.0 treats running out of data as
// failure).
func (f *oggFile) lastPageBefore(gp *uint64, offset int64, serial int32) int64 {
	originalEnd := offset
	end, begin := offset, offset
	found := int64(-1)
	var foundGP uint64 = ^uint64(0)
	chunk := int64(oggChunkSize)
	for {
		begin = max(begin-chunk, 0)
		position := f.syncSeek(begin)
		leftLink := false
		for position < end {
			ret := f.sync.nextPage(&f.opage, end-position, &position)
			if ret <= 0 {
				return -1
			}
			if f.opage.serial() == serial {
				if pg := uint64(f.opage.granule()); pg != ^uint64(0) {
					found = position
					foundGP = pg
				}
			} else {
				leftLink = true
				f.noteOther(&f.opage)
			}
			position += int64(ret)
		}
		if (leftLink || begin == 0) && found < 0 {
			f.fail(sfeMalformed, "no page of the stream with a granule position")
			return -1
		}
		chunk = min(2*chunk, oggChunkSizeMax)
		end = min(begin+maxPageSize-1, originalEnd)
		if found >= 0 {
			break
		}
	}
	*gp = foundGP
	return found
}

// rescale is ogg_page_search_do_rescale: x from [0, from] to [0, to].
func rescale(x, from, to uint64) uint64 {
	if x >= from {
		return to
	}
	if x == 0 {
		return 0
	}
	var frac uint64
	for range 63 {
		frac <<= 1
		if x >= from>>1 {
			x -= from - x
			frac |= 1
		} else {
			x <<= 1
		}
	}
	var ret uint64
	for range 63 {
		if frac&1 != 0 {
			ret = (ret & to & 1) + (ret >> 1) + (to >> 1)
		} else {
			ret >>= 1
		}
		frac >>= 1
	}
	return ret
}

// continuedData is ogg_page_search_continued_data.
func (f *oggFile) continuedData(pg *page) {
	f.os.pagein(pg)
	for f.os.packetout(&f.opacket, true) != 0 {
	}
}

// seekPageSearch is ogg_stream_seek_page_search (libsndfile's bisection
// after opusfile's op_pcm_seek_page), including its early returns.
func (f *oggFile) seekPageSearch(pg *page, targetGP, pcmStart, pcmEnd uint64, bestGP *uint64, begin, end int64, gpRate uint64) int {
	*bestGP = pcmStart
	best, bestStart := begin, begin
	boundary := end
	pageOffset := int64(-1)
	seekPos := int64(-1)
	buffering, forceBisect := false, false

	f.os.resetSerial(f.os.serial)

	d0 := end - begin
	d1, d2 := d0, d0
	for begin < end {
		var bisect int64
		if end-begin < oggChunkSize {
			bisect = begin
		} else {
			d0 = d1 >> 1
			d1 = d2 >> 1
			d2 = (end - begin) >> 1
			if forceBisect {
				bisect = begin + ((end - begin) >> 1)
			} else {
				bisect = begin + int64(rescale(targetGP-pcmStart, pcmEnd-pcmStart, uint64(end-begin)))
			}
			if bisect-oggChunkSize < begin {
				bisect = begin
			} else {
				bisect -= oggChunkSize
			}
			forceBisect = false
		}
		if seekPos != bisect {
			if buffering {
				f.os.reset()
			}
			buffering = false
			pageOffset = -1
			seekPos = f.syncSeek(bisect)
		}
		nextBoundary := boundary
		for begin < end {
			ret := f.sync.nextPage(pg, boundary-seekPos, &seekPos)
			if ret <= 0 {
				return ret
			}
			pageOffset = seekPos
			seekPos += int64(pg.size())
			nextBoundary = min(pageOffset, nextBoundary)
			if f.os.serial != pg.serial() {
				continue
			}
			hasPackets := pg.packets() > 0
			gp := ^uint64(0)
			if hasPackets {
				gp = uint64(pg.granule())
			}
			if gp == ^uint64(0) {
				if buffering {
					if !hasPackets {
						f.os.pagein(pg)
					} else {
						f.os.reset()
						buffering = false
					}
				}
				continue
			}
			if gp < targetGP {
				begin = seekPos
				if pcmStart > gp || pcmEnd < gp {
					break
				}
				best, bestStart = begin, begin
				if buffering {
					f.os.reset()
				}
				if pg.endsContinued() {
					f.continuedData(pg)
					bestStart = pageOffset
					buffering = true
				}
				*bestGP = gp
				pcmStart = gp
				if targetGP-gp > gpRate {
					break
				}
				bisect = begin
			} else {
				if bisect <= begin+1 {
					end = begin
				} else {
					end = bisect
					boundary = nextBoundary
					forceBisect = end-begin > d0*2
					if pcmEnd > gp && pcmStart <= gp {
						pcmEnd = gp
					}
				}
				break
			}
		}
	}
	if !buffering {
		if bestStart != pageOffset {
			pageOffset = -1
			seekPos = f.syncSeek(bestStart)
		}
		if bestStart < best {
			if pageOffset < 0 {
				f.sync.nextPage(pg, -1, &seekPos)
				if seekPos != bestStart {
					return -1
				}
			}
			f.continuedData(pg)
			pageOffset = -1
		}
	}
	if pageOffset >= 0 {
		f.os.pagein(pg)
	}
	return 0
}

// classify is libsndfile's ogg_page_classify: the codec named by the
// first bytes of a stream's first page.
func classify(body []byte) string {
	for _, c := range codecSignatures {
		if len(body) >= len(c.magic) && string(body[:len(c.magic)]) == c.magic {
			return c.name
		}
	}
	return ""
}

const (
	codecAnnodex = "annodex"
	codecFLAC    = "flac"
	codecPCM     = "pcm"
	codecSpeex   = "speex"
	codecVorbis  = "vorbis"
	codecOpus    = "opus"
)

var codecSignatures = []struct{ magic, name string }{
	{"Annodex\x00", codecAnnodex},
	{"AnxData", codecAnnodex},
	{"\x7fFLAC", codecFLAC},
	{"fLaC", codecFLAC},
	{"PCM     ", codecPCM},
	{"Speex", codecSpeex},
	{"\x01vorbis", codecVorbis},
	{"OpusHead", codecOpus},
}
