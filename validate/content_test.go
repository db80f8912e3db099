package validate

import (
	"bytes"
	"strings"
	"testing"
)

func TestLooksLike(t *testing.T) {
	tar := make([]byte, 512)
	copy(tar, "recording.wav")
	copy(tar[257:], "ustar\x0000")
	tests := []struct {
		head string
		size int64 // 0: the head is the whole file
		kind string
		what string
	}{
		{"<!DOCTYPE html>\n<html><body>Sign in</body></html>", 0, ContentHTML, "an HTML page"},
		{"\ufeff  <html lang=en>", 0, ContentHTML, "an HTML page"},
		{"<!-- saved --><html>", 0, ContentHTML, "an HTML page"},
		{`{"detail": "Not Found"}`, 0, ContentJSON, "a JSON document"},
		{"[1, 2]", 0, ContentJSON, "a JSON document"},
		{`<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>`, 0, ContentXML, "an XML document"},
		{"UklGRiQAAABXQVZFZm10IBAAAAABAAEAgD4AAAB9AAACABAAZGF0YQAAAAA=\n", 0, ContentBase64, "base64 text"},
		{"data:audio/wav;base64,UklGRiQAAABXQVZF", 0, ContentBase64, "a data: URL holding base64 text"},
		{"meeting notes\nsecond line\n", 0, ContentText, "text"},
		{"caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9 \xe2\x82", 100, ContentText, "text"}, // the head ends inside a character
		{"\xff\xfeh\x00i\x00", 0, ContentText, "text (UTF-16)"},
		{"  \n\t ", 0, ContentText, "blank text (only spaces and line breaks)"},
		{"MZ is a text that starts like a program", 0, ContentText, "text"},
		{"MZ\x90\x00\x03\x00\x00\x00", 0, ContentDocument, "a program (Windows executable)"},
		{"PK\x03\x04\x14\x00", 0, ContentArchive, "a ZIP archive"},
		{"\x1f\x8b\x08\x00", 0, ContentArchive, "gzip-compressed data"},
		{"BZh91AY", 0, ContentArchive, "bzip2-compressed data"},
		{"\xfd7zXZ\x00\x00", 0, ContentArchive, "xz-compressed data"},
		{"\x28\xb5\x2f\xfd\x00", 0, ContentArchive, "Zstandard-compressed data"},
		{"7z\xbc\xaf\x27\x1c\x00", 0, ContentArchive, "a 7-Zip archive"},
		{string(tar), 10240, ContentArchive, "a tar archive"},
		{"%PDF-1.7\n", 0, ContentDocument, "a PDF document"},
		{"\x89PNG\r\n\x1a\n\x00", 0, ContentDocument, "a PNG image"},
		{"\xff\xd8\xff\xe0\x00\x10JFIF", 0, ContentDocument, "a JPEG image"},
		{"RIFF\x10\x00\x00\x00WEBPVP8 ", 0, ContentDocument, "a WebP image"},
		{"\x7fELF\x02\x01\x01", 0, ContentDocument, "a program (ELF executable)"},
		{"SQLite format 3\x00", 0, ContentDocument, "an SQLite database"},
		{"MThd\x00\x00\x00\x06", 0, ContentMIDI, "a MIDI file (notes, not sound)"},
		{"\x00\x00\x00\x00", 0, ContentZeros, "zero bytes only"},
		{"\x00\x00\x00\x00", 1 << 20, ContentZeros, "zero bytes in its first 4 bytes"},
		{"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09", 0, ContentBinaryData, "binary data that starts 00 01 02 03 04 05 06 07"},
		{"a\x00b", 0, ContentBinaryData, "binary data that starts 61 00 62"},
	}
	for _, tt := range tests {
		size := tt.size
		if size == 0 {
			size = int64(len(tt.head))
		}
		got := LooksLike([]byte(tt.head), size)
		if got.Kind != tt.kind || got.What != tt.what {
			t.Errorf("LooksLike(%q) = %s %q, want %s %q", tt.head, got.Kind, got.What, tt.kind, tt.what)
		}
	}
}

// TestLooksLikeControlBytes: a few control bytes in a long text leave it
// text; many make it binary.
func TestLooksLikeControlBytes(t *testing.T) {
	text := []byte(strings.Repeat("a line of text\n", 20))
	text[5] = 0x01
	if got := LooksLike(text, int64(len(text))); got.Kind != ContentText {
		t.Errorf("one control byte: %s", got.Kind)
	}
	binary := bytes.Repeat([]byte{'a', 0x02}, 100)
	if got := LooksLike(binary, int64(len(binary))); got.Kind != ContentBinaryData {
		t.Errorf("half control bytes: %s", got.Kind)
	}
}
