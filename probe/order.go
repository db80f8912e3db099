package probe

// Sniffing order. libsndfile 1.2.0's guess_file_type (src/sndfile.c) reads
// the first 12 bytes (an input shorter than that opens as nothing) and tries
// the signatures in a fixed order, taking the first that matches; these
// constants put the registered formats in that order, so that content that
// could match two signatures is taken for the one libsndfile picks.
//
// Some of its checks stop the search without naming a format: "FORM" followed
// by anything but AIFF, AIFC, 8SVX or 16SV, and the ASF (WMA) GUID. A format
// registered for such a signature without a ReadHeader has the same effect.
//
// An ID3v2 tag is not a format: guess_file_type skips it and starts again on
// the bytes after it (see id3.go), where it sits in the order.
//
// Formats libsndfile does not know come after, from OrderDetectOnly.
const (
	OrderWAV   = 10  // "RIFF"/"RIFX" ... "WAVE"
	OrderAIFF  = 20  // "FORM" ... "AIFF"/"AIFC" (and 8SVX/16SV); any other "FORM" stops the search
	OrderAU    = 30  // ".snd" / "dns."
	OrderPAF   = 35  // "fap " / " paf"
	OrderNIST  = 40  // "NIST"
	OrderVOC   = 50  // "Creative Voice File"
	OrderIRCAM = 55  // 0x64A3 magic, either byte order
	OrderW64   = 60  // "riff" (Sony Wave64)
	OrderMAT   = 65  // MAT4 (two patterns), then MAT5 "MATLAB 5"
	OrderPVF   = 70  // "PVF1"
	OrderXI    = 75  // "Extended Ins"
	OrderCAF   = 80  // "caff" ... "desc"
	OrderOgg   = 90  // "OggS"
	OrderWVE   = 95  // "ALawSoundFil"
	OrderDWD   = 97  // "DiamondWare "
	OrderTXW   = 100 // "LM89" / "53\0\0"
	OrderSDS   = 105 // MIDI sample dump
	OrderMPC2K = 110 // 0x01 0x04
	OrderREX2  = 115 // "CAT " ... "REX2"
	OrderWMA   = 120 // ASF GUID: recognised, refused (stops the search)
	OrderHTK   = 125 // depends on the file length
	OrderFLAC  = 130 // "fLaC"
	OrderAVR   = 135 // "2BIT"
	OrderRF64  = 140 // "RF64" ... "WAVE"
	OrderID3   = 145 // "ID3" + version 2, 3 or 4: skipped, sniffing starts again after it
	OrderMPEG  = 900 // MPEG audio frame sync: libsndfile tries it last (first, right after an ID3v2 tag)
)

// Detect-only formats: recognised so that a rejection can name them, never
// opened (their Format has no ReadHeader).
const (
	OrderADTS = OrderDetectOnly + 50 // ADTS AAC: 12-bit sync 0xFFF with layer 00
)
