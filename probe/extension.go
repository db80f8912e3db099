package probe

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// containersOf returns the containers whose content a file name extension
// (lower case, with its dot) announces; nil when it is not an extension
// taken for audio. It is used for the "extension contradicts content"
// warning (docs/server.md#warnings) and, by callers, to pick audio files
// out of directories; it never decides how content is parsed. (A switch:
// a map would be filled by the package's initialiser at every start, and
// the switch is also the faster lookup, once per input.)
func containersOf(ext string) []string {
	switch ext {
	case ".wav", ".wave", ".rf64", ".bw64":
		return inWAV
	case ".w64":
		return inW64
	case ".flac", ".fla":
		return inFLAC
	case ".ogg", ".oga", ".opus", ".spx":
		return inOgg
	case ".mp3", ".mp2":
		return inMP3
	case ".aif", ".aiff", ".aifc":
		return inAIFF
	case ".au", ".snd":
		return inAU
	case ".caf":
		return inCAF
	case ".voc":
		return inVOC
	case ".m4a", ".mp4", ".3gp", ".mov":
		return inM4A
	case ".aac":
		return inAAC
	case ".webm", ".mka", ".mkv":
		return inWebM
	case ".amr", ".awb":
		return inAMR
	case ".wma", ".asf":
		return inWMA
	}
	return nil
}

// What containersOf returns: each a slice the linker lays out.
var (
	inWAV  = []string{ContainerWAV}
	inW64  = []string{ContainerW64}
	inFLAC = []string{ContainerFLAC}
	inOgg  = []string{ContainerOgg}
	inMP3  = []string{ContainerMP3}
	inAIFF = []string{ContainerAIFF}
	inAU   = []string{ContainerAU}
	inCAF  = []string{ContainerCAF}
	inVOC  = []string{ContainerVOC}
	inM4A  = []string{ContainerM4A}
	inAAC  = []string{ContainerAAC, ContainerM4A}
	inWebM = []string{ContainerWebM}
	inAMR  = []string{ContainerAMR}
	inWMA  = []string{ContainerWMA}
)

// audioExtensions are containersOf's extensions, sorted (a test holds the
// two equal).
var audioExtensions = []string{
	".3gp", ".aac", ".aif", ".aifc", ".aiff", ".amr", ".asf", ".au",
	".awb", ".bw64", ".caf", ".fla", ".flac", ".m4a", ".mka", ".mkv",
	".mov", ".mp2", ".mp3", ".mp4", ".oga", ".ogg", ".opus", ".rf64",
	".snd", ".spx", ".voc", ".w64", ".wav", ".wave", ".webm", ".wma",
}

// AudioExtensions lists the file name extensions taken for audio, sorted.
func AudioExtensions() []string {
	return slices.Clone(audioExtensions)
}

// IsAudioExtension reports whether name ends in an extension taken for audio.
func IsAudioExtension(name string) bool {
	return containersOf(strings.ToLower(filepath.Ext(name))) != nil
}

// extensionWarning says when name's extension announces another container
// than the content shows; "" when they agree or either is unknown.
func extensionWarning(name, container string) string {
	ext := strings.ToLower(filepath.Ext(name))
	want := containersOf(ext)
	if want == nil || container == ContainerUnknown || container == "" {
		return ""
	}
	for _, c := range want {
		if c == container {
			return ""
		}
	}
	return fmt.Sprintf("the extension %s says %s but the content is %s", ext, want[0], container)
}
