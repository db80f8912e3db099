package probe

// Sniffing order. libsndfile's guess_file_type (src/sndfile.c) tries the
// signatures in a fixed order and takes the first that matches; these
// constants put the registered formats in that order, so that content that
// could match two signatures is taken for the one libsndfile picks.
// Formats libsndfile does not open come after, from OrderDetectOnly.
const (
	OrderWAV   = 10 // "RIFF"/"RIFX" ... "WAVE"
	OrderAIFF  = 20 // "FORM" ... "AIFF"/"AIFC" (and 8SVX/16SV)
	OrderAU    = 30 // ".snd" / "dns."
	OrderPAF   = 35
	OrderNIST  = 40
	OrderVOC   = 50 // "Creative Voice File"
	OrderIRCAM = 55
	OrderW64   = 60 // "riff" (Sony Wave64)
	OrderMAT   = 65
	OrderPVF   = 70
	OrderXI    = 75
	OrderCAF   = 80 // "caff" ... "desc"
	OrderOgg   = 90 // "OggS"
	OrderWVE   = 95
	OrderTXW   = 100
	OrderSDS   = 105
	OrderMPC2K = 110
	OrderREX2  = 115
	OrderWMA   = 120 // ASF GUID: recognised, refused
	OrderHTK   = 125
	OrderFLAC  = 130 // "fLaC"
	OrderAVR   = 135
	OrderRF64  = 140 // "RF64" ... "WAVE"
	OrderMPEG  = 900 // MPEG audio frame sync: libsndfile tries it last
)
