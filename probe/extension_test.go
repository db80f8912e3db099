package probe

import (
	"strings"
	"testing"
)

// The lookup is a binary search: an entry out of order, or twice, would
// silently not be found.
func TestAudioExtensionsSorted(t *testing.T) {
	for i, e := range audioExtensions {
		if !strings.HasPrefix(e.ext, ".") || e.ext != strings.ToLower(e.ext) || len(e.containers) == 0 {
			t.Errorf("entry %q %v: want a lower-case extension with its dot and at least one container", e.ext, e.containers)
		}
		if i > 0 && audioExtensions[i-1].ext >= e.ext {
			t.Errorf("%q after %q: the table must be sorted, each extension once", e.ext, audioExtensions[i-1].ext)
		}
		if name := "take" + strings.ToUpper(e.ext); !IsAudioExtension(name) {
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
