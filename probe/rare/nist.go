package rare

import (
	"bytes"

	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/probe/internal/sndfile"
)

// NIST SPHERE (the speech corpora format, LDC's SPHERE 2.6 header): a text
// header "NIST_1A\n   1024\n" of key -type value lines up to "end_head",
// padded to its stated length, then PCM (1 to 4 bytes, either byte order),
// µ-law or A-law. libsndfile (src/nist.c) reads exactly 1024 header bytes
// (a shorter file reads as an empty header and does not open), looks keys
// up anywhere in them with strstr and parses values with sscanf; shortened
// ("shorten", "wavpack") and non-interleaved data do not open.

const nistHeaderLength = 1024

// readNIST follows nist_read_header and nist_open.
func readNIST(f *sndfile.File, info *probe.Info) error {
	var raw [nistHeaderLength + 2]byte
	f.H.Readf("pb", 0, raw[:nistHeaderLength], nistHeaderLength)
	hdr := raw[:cStrLen(raw[:nistHeaderLength+1])]
	if i := bytes.Index(hdr, []byte("end_head")); i >= 0 {
		cut := i + len("end_head") + 1
		if cut < len(hdr) {
			hdr = hdr[:cut]
		}
	}
	if bytes.HasPrefix(hdr, []byte("NIST_1A\r\n   1024\r\n")) {
		return f.Fail(0, "header with CR-LF line ends (converted as text)")
	}
	if !bytes.HasPrefix(hdr, []byte("NIST_1A\n")) {
		return f.Fail(0, "no NIST_1A header")
	}
	info.Variant = "NIST_1A"

	// "NIST_1A\n%d\n": the header length.
	f.DataOffset = nistHeaderLength
	if v, _, ok := sndfile.ScanInt(hdr[len("NIST_1A"):]); ok {
		f.DataOffset = int64(v)
	}

	encoding := sndfile.PCMU8
	var str []byte // scanf's shared %s buffer
	if i := bytes.Index(hdr, []byte("sample_coding -s")); i >= 0 {
		rest := hdr[i+len("sample_coding -s"):]
		encoding = sndfile.CodecNone
		if _, n, ok := sndfile.ScanInt(rest); ok {
			if s, ok := scanString(rest[n:], 63); ok {
				str = s
				switch string(s) {
				case "pcm":
					encoding = sndfile.PCMU8
				case "alaw":
					encoding = sndfile.ALaw
				case "ulaw", "mu-law":
					encoding = sndfile.ULaw
				}
			}
		}
	}
	if v, ok := scanKey(hdr, "channel_count -i "); ok {
		f.Channels = v
	}
	if v, ok := scanKey(hdr, "sample_rate -i "); ok {
		f.Samplerate = v
	}
	if v, ok := scanKey(hdr, "sample_n_bytes -i "); ok {
		f.Bytewidth = v
	}
	info.SampleRate, info.Channels = int(f.Samplerate), int(f.Channels)
	f.Endian = sndfile.Little
	if i := bytes.Index(hdr, []byte("sample_byte_format -s")); i >= 0 {
		rest := hdr[i+len("sample_byte_format -s"):]
		if n, used, ok := sndfile.ScanUint(rest); ok {
			if s, ok := scanString(rest[used:], 8); ok {
				str = s
				if n > 1 {
					if f.Bytewidth == 0 {
						f.Bytewidth = int32(n)
					} else if uint32(f.Bytewidth)-n != 0 {
						return f.Fail(0, "sample_n_bytes disagrees with sample_byte_format")
					}
					switch string(str) {
					case "01":
						f.Endian = sndfile.Little
					case "10":
						f.Endian = sndfile.Big
					default:
						return f.Unsupported("sample byte format " + string(str))
					}
				}
			}
		}
	}
	if bytes.Contains(hdr, []byte("channels_interleaved -s5 FALSE")) {
		return f.Unsupported("non-interleaved channels")
	}
	f.Blockwidth = f.Channels * f.Bytewidth
	f.DataLength = f.FileLength - f.DataOffset
	f.H.FSeek(f.DataOffset, sndfile.SeekSet)

	switch encoding {
	case sndfile.PCMU8:
		f.Codec = sndfile.SignedPCM(int(f.Bytewidth))
	case sndfile.CodecNone:
		return f.Unsupported("NIST sample coding other than pcm, ulaw and alaw")
	default:
		f.Codec = encoding
	}
	return f.InitCodec()
}

// scanKey finds key and reads the integer after it (sscanf "%d").
func scanKey(hdr []byte, key string) (int32, bool) {
	i := bytes.Index(hdr, []byte(key))
	if i < 0 {
		return 0, false
	}
	v, _, ok := sndfile.ScanInt(hdr[i+len(key):])
	return v, ok
}

// scanString is scanf's " %Ns": skip white space, then up to n
// non-white-space bytes.
func scanString(b []byte, n int) ([]byte, bool) {
	i := 0
	for i < len(b) && b[i] != 0 && sndfile.IsSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) && j-i < n && b[j] != 0 && !sndfile.IsSpace(b[j]) {
		j++
	}
	if j == i {
		return nil, false
	}
	return b[i:j], true
}

// cStrLen is strlen.
func cStrLen(b []byte) int {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return i
	}
	return len(b)
}
