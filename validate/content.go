package validate

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Content is what bytes that are no audio format look like, told from
// their first bytes (the Evidence's Head): a rejection can then say "this
// is an HTML page" instead of suggesting a conversion that cannot work.
type Content struct {
	// Kind is one of the Content* constants.
	Kind string
	// What names it for people: "an HTML page", "a ZIP archive".
	What string
	// Extract is the command that takes a compressed or archived file
	// apart, with IN standing for the input; "" for other kinds.
	Extract string
}

// Kinds of content.
const (
	ContentHTML       = "html"
	ContentJSON       = "json"
	ContentXML        = "xml"
	ContentBase64     = "base64"
	ContentText       = "text"
	ContentArchive    = "archive"
	ContentZeros      = "zeros"
	ContentDocument   = "document" // PDF, images, executables, databases
	ContentMIDI       = "midi"
	ContentBinaryData = "binary"
)

// magic is one row of the table of non-audio signatures; a '?' in sig
// matches any byte.
type magic struct {
	off     int
	sig     string
	kind    string
	what    string
	extract string
}

// nonAudio are the signatures of files that turn up where a recording was
// expected: archives of recordings, documents and images uploaded by
// mistake, programs.
var nonAudio = []magic{
	{0, "PK\x03\x04", ContentArchive, "a ZIP archive", "unzip IN"},
	{0, "PK\x05\x06", ContentArchive, "an empty ZIP archive", ""},
	{0, "\x1f\x8b", ContentArchive, "gzip-compressed data", "gzip -dkc IN > OUT"},
	{0, "BZh", ContentArchive, "bzip2-compressed data", "bzip2 -dkc IN > OUT"},
	{0, "\xfd7zXZ\x00", ContentArchive, "xz-compressed data", "xz -dkc IN > OUT"},
	{0, "\x28\xb5\x2f\xfd", ContentArchive, "Zstandard-compressed data", "zstd -dc IN > OUT"},
	{0, "7z\xbc\xaf\x27\x1c", ContentArchive, "a 7-Zip archive", "7z x IN"},
	{0, "Rar!\x1a\x07", ContentArchive, "a RAR archive", "unrar x IN"},
	{257, "ustar", ContentArchive, "a tar archive", "tar -xf IN"},
	{0, "%PDF-", ContentDocument, "a PDF document", ""},
	{0, "\x89PNG\r\n\x1a\n", ContentDocument, "a PNG image", ""},
	{0, "\xff\xd8\xff", ContentDocument, "a JPEG image", ""},
	{0, "GIF8", ContentDocument, "a GIF image", ""},
	{0, "RIFF????WEBP", ContentDocument, "a WebP image", ""},
	{0, "II*\x00", ContentDocument, "a TIFF image", ""},
	{0, "MM\x00*", ContentDocument, "a TIFF image", ""},
	{0, "\x7fELF", ContentDocument, "a program (ELF executable)", ""},
	{0, "\xcf\xfa\xed\xfe", ContentDocument, "a program (Mach-O executable)", ""},
	{0, "SQLite format 3\x00", ContentDocument, "an SQLite database", ""},
	{0, "MThd", ContentMIDI, "a MIDI file (notes, not sound)", ""},
}

// weakNonAudio are signatures too short to trust over text: they are
// tried once the bytes are known not to be text.
var weakNonAudio = []magic{
	{0, "MZ", ContentDocument, "a program (Windows executable)", ""},
}

func (m magic) matches(head []byte) bool {
	if len(head) < m.off+len(m.sig) {
		return false
	}
	for i := 0; i < len(m.sig); i++ {
		if m.sig[i] != '?' && head[m.off+i] != m.sig[i] {
			return false
		}
	}
	return true
}

// LooksLike says what a file that is no audio format looks like, from its
// first bytes (head) and its size: text (HTML, JSON, XML, base64, plain),
// an archive or compressed file, a document or image, a program, zeros,
// or unrecognised binary data.
func LooksLike(head []byte, size int64) Content {
	if len(head) > 0 && allZero(head) {
		if size <= int64(len(head)) {
			return Content{Kind: ContentZeros, What: "zero bytes only"}
		}
		return Content{Kind: ContentZeros, What: fmt.Sprintf("zero bytes in its first %d bytes", len(head))}
	}
	for _, m := range nonAudio {
		if m.matches(head) {
			return Content{Kind: m.kind, What: m.what, Extract: m.extract}
		}
	}
	if c, ok := textContent(head, size); ok {
		return c
	}
	for _, m := range weakNonAudio {
		if m.matches(head) {
			return Content{Kind: m.kind, What: m.what, Extract: m.extract}
		}
	}
	n := min(len(head), 8)
	return Content{Kind: ContentBinaryData, What: fmt.Sprintf("binary data that starts % x", head[:n])}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// textContent tells text from binary the way file(1) and net/http's
// sniffer do — no NUL and almost no control bytes, valid UTF-8 or UTF-16
// with a byte-order mark — and then what kind of text it is.
func textContent(head []byte, size int64) (Content, bool) {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return Content{Kind: ContentText, What: "text (UTF-16)"}, true
	}
	b := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	// The head may end inside a character.
	if size > int64(len(head)) {
		for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	if !utf8.Valid(b) {
		return Content{}, false
	}
	control := 0
	for _, c := range b {
		switch {
		case c == 0:
			return Content{}, false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b, c == 0x7f:
			control++
		}
	}
	if control*100 > len(b) {
		return Content{}, false
	}
	t := strings.ToLower(strings.TrimSpace(string(b)))
	switch {
	case t == "":
		return Content{Kind: ContentText, What: "blank text (only spaces and line breaks)"}, true
	case strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") || strings.HasPrefix(t, "<head") ||
		strings.HasPrefix(t, "<body") || strings.HasPrefix(t, "<!--") && strings.Contains(t, "<html"):
		return Content{Kind: ContentHTML, What: "an HTML page"}, true
	case strings.HasPrefix(t, "<?xml") || strings.HasPrefix(t, "<svg"):
		return Content{Kind: ContentXML, What: "an XML document"}, true
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		return Content{Kind: ContentJSON, What: "a JSON document"}, true
	case strings.HasPrefix(t, "data:") && strings.Contains(t[:min(len(t), 100)], ";base64,"):
		return Content{Kind: ContentBase64, What: "a data: URL holding base64 text"}, true
	case isBase64Text(t):
		return Content{Kind: ContentBase64, What: "base64 text"}, true
	}
	return Content{Kind: ContentText, What: "text"}, true
}

// isBase64Text reports whether t is base64: at least 16 characters of the
// standard or URL-safe alphabet, padding and line breaks, nothing else.
func isBase64Text(t string) bool {
	letters := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/', c == '-', c == '_':
			letters++
		case c == '=', c == '\n', c == '\r':
		default:
			return false
		}
	}
	return letters >= 16
}
