package wav

import "testing"

func TestW64Folds(t *testing.T) {
	for _, g := range []struct {
		id   string
		guid [16]byte
		fold int32
	}{
		{"riff", w64RIFF, foldRIFF}, {"wave", w64WAVE, foldWAVE}, {"fmt ", w64Fmt, foldFmt},
		{"fact", w64Fact, foldFact}, {"data", w64Data, foldData}, {"acid", w64ACID, foldACID},
		{"list", w64List, foldList}, {"junk", w64Junk, foldJunk},
	} {
		if got := foldGUID(g.guid[:]); got != g.fold {
			t.Errorf("%q: the GUID folds to %#x, the constant is %#x", g.id, got, g.fold)
		}
		if id, ok := w64PartID(g.fold); !ok || id != g.id {
			t.Errorf("w64PartID(%#x) = %q, %v; want %q", g.fold, id, ok, g.id)
		}
	}
	if id, ok := w64PartID(foldGUID(make([]byte, 16))); ok {
		t.Errorf("an unknown GUID is named %q", id)
	}
}

func TestChunkIDSets(t *testing.T) {
	id := func(s string) uint32 {
		return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
	}
	for _, tt := range []struct {
		set  func(uint32) bool
		name string
		in   []string
		out  []string
	}{
		{infoText, "infoText", []string{"ISFT", "ITRK", "ICMT"}, []string{"INFO", "isft", "ISF ", "labl"}},
		{exifText, "exifText", []string{"emnt", "eucm", "emdl"}, []string{"ever", "olym", "EMNT"}},
		{skippedChunk, "skippedChunk", []string{"iXML", "clm ", "FLLR", "JUNK"}, []string{"junk", "data", "fmt ", "LIST", "clm\x00"}},
	} {
		for _, s := range tt.in {
			if !tt.set(id(s)) {
				t.Errorf("%s(%q) = false", tt.name, s)
			}
		}
		for _, s := range tt.out {
			if tt.set(id(s)) {
				t.Errorf("%s(%q) = true", tt.name, s)
			}
		}
	}
	if idEmdl != id("emdl") || idAdtl != id("adtl") || idOlym != id("olym") {
		t.Error("an identifier constant does not spell its name")
	}
}
