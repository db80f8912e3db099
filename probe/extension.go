package probe

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// audioExtensions are the file name extensions that announce audio, with
// the containers whose content each announces, sorted by extension. They
// are used for the "extension contradicts content" warning
// (docs/server.md#warnings) and, by callers, to pick audio files out of
// directories; they never decide how content is parsed. (A sorted table
// rather than a map: the linker lays it out, where a map would be built by
// the package's initialiser at every start.)
var audioExtensions = []audioExtension{
	{".3gp", []string{ContainerM4A}},
	{".aac", []string{ContainerAAC, ContainerM4A}},
	{".aif", []string{ContainerAIFF}},
	{".aifc", []string{ContainerAIFF}},
	{".aiff", []string{ContainerAIFF}},
	{".amr", []string{ContainerAMR}},
	{".asf", []string{ContainerWMA}},
	{".au", []string{ContainerAU}},
	{".awb", []string{ContainerAMR}},
	{".bw64", []string{ContainerWAV}},
	{".caf", []string{ContainerCAF}},
	{".fla", []string{ContainerFLAC}},
	{".flac", []string{ContainerFLAC}},
	{".m4a", []string{ContainerM4A}},
	{".mka", []string{ContainerWebM}},
	{".mkv", []string{ContainerWebM}},
	{".mov", []string{ContainerM4A}},
	{".mp2", []string{ContainerMP3}},
	{".mp3", []string{ContainerMP3}},
	{".mp4", []string{ContainerM4A}},
	{".oga", []string{ContainerOgg}},
	{".ogg", []string{ContainerOgg}},
	{".opus", []string{ContainerOgg}},
	{".rf64", []string{ContainerWAV}},
	{".snd", []string{ContainerAU}},
	{".spx", []string{ContainerOgg}},
	{".voc", []string{ContainerVOC}},
	{".w64", []string{ContainerW64}},
	{".wav", []string{ContainerWAV}},
	{".wave", []string{ContainerWAV}},
	{".webm", []string{ContainerWebM}},
	{".wma", []string{ContainerWMA}},
}

type audioExtension struct {
	ext        string
	containers []string
}

// containersOf returns the containers ext (lower case, with its dot)
// announces; nil when it is not an audio extension.
func containersOf(ext string) []string {
	i, ok := slices.BinarySearchFunc(audioExtensions, ext, func(e audioExtension, ext string) int {
		return strings.Compare(e.ext, ext)
	})
	if !ok {
		return nil
	}
	return audioExtensions[i].containers
}

// AudioExtensions lists the file name extensions taken for audio, sorted.
func AudioExtensions() []string {
	exts := make([]string, len(audioExtensions))
	for i, e := range audioExtensions {
		exts[i] = e.ext
	}
	return exts
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
