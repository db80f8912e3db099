package probe

import (
	"slices"
	"strings"
	"testing"
)

// containersOf's switch and the sorted list AudioExtensions returns must
// name the same extensions: every extension of one to four letters and
// digits is looked up, and the ones found must be the list.
func TestAudioExtensionsMatchTheSwitch(t *testing.T) {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	var found []string
	var walk func(ext string)
	walk = func(ext string) {
		if len(ext) > 1 && containersOf(ext) != nil {
			found = append(found, ext)
		}
		if len(ext) == 5 {
			return
		}
		for i := range len(chars) {
			walk(ext + chars[i:i+1])
		}
	}
	walk(".")
	slices.Sort(found)
	if !slices.Equal(found, AudioExtensions()) {
		t.Errorf("containersOf takes %v,\nAudioExtensions lists %v", found, AudioExtensions())
	}
	for i, ext := range audioExtensions {
		if len(ext) > 5 {
			t.Errorf("%q: longer than this test looks", ext)
		}
		if i > 0 && audioExtensions[i-1] >= ext {
			t.Errorf("%q after %q: the list must be sorted, each extension once", ext, audioExtensions[i-1])
		}
		if name := "take" + strings.ToUpper(ext); !IsAudioExtension(name) {
			t.Errorf("IsAudioExtension(%q) = false", name)
		}
	}
	for _, name := range []string{"take", "take.txt", "take.wav.txt", ".", "take.", "take.wavx", "take.wa"} {
		if IsAudioExtension(name) {
			t.Errorf("IsAudioExtension(%q) = true", name)
		}
	}
}

func TestExtensionWarning(t *testing.T) {
	tests := []struct{ name, container, want string }{
		{"take.wav", ContainerWAV, ""},
		{"take.AAC", ContainerM4A, ""},
		{"take.aac", ContainerAAC, ""},
		{"take.txt", ContainerWAV, ""},
		{"take.wav", ContainerUnknown, ""},
		{"take.mp3", ContainerWAV, "the extension .mp3 says " + ContainerMP3 + " but the content is " + ContainerWAV},
		{"take.aac", ContainerOgg, "the extension .aac says " + ContainerAAC + " but the content is " + ContainerOgg},
	}
	for _, tt := range tests {
		if got := extensionWarning(tt.name, tt.container); got != tt.want {
			t.Errorf("extensionWarning(%q, %q) = %q, want %q", tt.name, tt.container, got, tt.want)
		}
	}
}

func TestExtensionLookupAllocatesNothing(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		_ = IsAudioExtension("take.wav")
		_ = extensionWarning("take.opus", ContainerOgg)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
