// Package detect recognises containers the server's reader does not open,
// so that a rejection can name them: MP4/M4A/3GP/QuickTime (ISO/IEC
// 14496-12 "ftyp" box), WebM/Matroska (EBML, RFC 8794, DocType), AMR and
// AMR-WB storage files (RFC 4867 §5) and ASF/WMA (the ASF header object
// GUID). libsndfile 1.2.0 knows none of them: its guess_file_type returns
// nothing for them (the ASF GUID is even tested, then refused), so they do
// not open (docs/server.md#formats-that-do-not-open). Each reports the
// container and, where the first bytes tell it, a variant.
package detect

import (
	"bytes"
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

func init() {
	for _, f := range []probe.Format{
		{Name: probe.ContainerWMA, Magic: "\x30\x26\xB2\x75\x8E\x66\xCF\x11", Order: probe.OrderWMA, ReadHeader: readASF},
		{Name: probe.ContainerM4A, Magic: "????ftyp", Order: probe.OrderDetectOnly, ReadHeader: readISO},
		{Name: probe.ContainerM4A, Magic: "????moov", Order: probe.OrderDetectOnly, ReadHeader: readISO},
		{Name: probe.ContainerWebM, Magic: "\x1A\x45\xDF\xA3", Order: probe.OrderDetectOnly + 1, ReadHeader: readEBML},
		{Name: probe.ContainerAMR, Magic: "#!AMR", Order: probe.OrderDetectOnly + 2, ReadHeader: readAMR},
	} {
		probe.RegisterFormat(f)
	}
}

// refusal is the error every detected container gets.
func refusal(container, what string) error {
	return &probe.UnsupportedError{Format: container, Msg: what + " is not read by the server's reader (libsndfile)"}
}

// head reads up to n leading bytes.
func head(r io.ReaderAt, size int64, n int) []byte {
	if size < int64(n) {
		n = int(size)
	}
	if n <= 0 {
		return nil
	}
	b := make([]byte, n)
	m, _ := r.ReadAt(b, 0)
	return b[:m]
}

// readISO names an ISO base media file by its major brand.
func readISO(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerM4A}
	b := head(r, size, 12)
	if len(b) >= 8 && string(b[4:8]) == "moov" {
		info.Variant = "mov"
		return info, refusal(probe.ContainerM4A, "QuickTime")
	}
	if len(b) >= 12 {
		info.Variant = brandVariant(b[8:12])
	}
	what := "MP4/M4A"
	switch info.Variant {
	case "3gp", "3g2":
		what = "3GPP"
	case "mov":
		what = "QuickTime"
	}
	return info, refusal(probe.ContainerM4A, what)
}

// brandVariant maps an ftyp major brand to a short name.
func brandVariant(brand []byte) string {
	b := string(brand)
	switch {
	case b == "M4A " || b == "M4B " || b == "M4P ":
		return "m4a"
	case b == "M4V " || b == "M4VH" || b == "M4VP":
		return "m4v"
	case b == "qt  ":
		return "mov"
	case b == "f4a " || b == "f4v ":
		return "f4v"
	case b[:3] == "3gp" || b[:3] == "3ge" || b[:3] == "3gg" || b[:3] == "3gs" || b[:3] == "3gr":
		return "3gp"
	case b[:3] == "3g2":
		return "3g2"
	case b == "isom" || b == "iso2" || b == "iso4" || b == "iso5" || b == "iso6" || b == "mp41" || b == "mp42" ||
		b == "avc1" || b == "dash" || b == "mmp4" || b == "MSNV":
		return "mp4"
	}
	out := bytes.TrimRight(brand, " \x00")
	for _, c := range out {
		if c < 0x20 || c > 0x7E {
			return ""
		}
	}
	return string(out)
}

// readEBML tells WebM from Matroska by the EBML header's DocType.
func readEBML(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerWebM}
	info.Variant = docType(head(r, size, 64))
	what := "WebM/Matroska"
	switch info.Variant {
	case "webm":
		what = "WebM"
	case "matroska":
		what = "Matroska"
	}
	return info, refusal(probe.ContainerWebM, what)
}

// docType finds the DocType element (ID 0x4282) in the EBML header.
func docType(b []byte) string {
	if len(b) < 5 {
		return ""
	}
	// Skip the header's own ID and size.
	pos := 4
	_, n := vint(b[pos:])
	if n == 0 {
		return ""
	}
	pos += n
	for pos+2 < len(b) {
		id := int(b[pos])<<8 | int(b[pos+1])
		if b[pos]&0x80 != 0 {
			// One-byte IDs (Void 0xEC, CRC-32 0xBF) are not in the header
			// we care about; two-byte IDs start 0x4_.
			id = int(b[pos])
			pos++
		} else {
			pos += 2
		}
		sz, n := vint(b[pos:])
		if n == 0 {
			return ""
		}
		pos += n
		if sz < 0 || int64(pos)+sz > int64(len(b)) {
			return ""
		}
		if id == 0x4282 {
			return string(bytes.TrimRight(b[pos:pos+int(sz)], "\x00"))
		}
		pos += int(sz)
	}
	return ""
}

// vint decodes an EBML variable-size integer: its value and length, 0
// when b does not hold one.
func vint(b []byte) (int64, int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	n := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 8 || len(b) < n {
		return 0, 0
	}
	v := int64(b[0] & (0xFF >> n))
	for i := 1; i < n; i++ {
		v = v<<8 | int64(b[i])
	}
	return v, n
}

// readAMR tells narrow-band from wide-band AMR by the magic line.
func readAMR(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerAMR}
	b := head(r, size, 12)
	what := "AMR"
	switch {
	case bytes.HasPrefix(b, []byte("#!AMR\n")):
		info.Variant, what = "amr-nb", "AMR-NB"
	case bytes.HasPrefix(b, []byte("#!AMR-WB\n")):
		info.Variant, what = "amr-wb", "AMR-WB"
	case bytes.HasPrefix(b, []byte("#!AMR_MC1.0\n")):
		info.Variant, what = "amr-nb-mc", "multichannel AMR-NB"
	case bytes.HasPrefix(b, []byte("#!AMR-WB_MC1.0\n")):
		info.Variant, what = "amr-wb-mc", "multichannel AMR-WB"
	}
	return info, refusal(probe.ContainerAMR, what)
}

// readASF names an ASF file; libsndfile tests its GUID and refuses it.
func readASF(r io.ReaderAt, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: probe.ContainerWMA, Variant: "asf"}
	return info, refusal(probe.ContainerWMA, "ASF (WMA/WMV)")
}
