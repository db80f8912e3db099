package probe

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// audioExtensions maps a file name extension to the containers whose
// content it announces. It is used for the "extension contradicts content"
// warning (docs/server.md#warnings) and, by callers, to pick audio files out of
// directories; it never decides how content is parsed.
var audioExtensions = map[string][]string{
	".wav":  {ContainerWAV},
	".wave": {ContainerWAV},
	".rf64": {ContainerWAV},
	".bw64": {ContainerWAV},
	".w64":  {ContainerW64},
	".flac": {ContainerFLAC},
	".fla":  {ContainerFLAC},
	".ogg":  {ContainerOgg},
	".oga":  {ContainerOgg},
	".opus": {ContainerOgg},
	".spx":  {ContainerOgg},
	".mp3":  {ContainerMP3},
	".mp2":  {ContainerMP3},
	".aif":  {ContainerAIFF},
	".aiff": {ContainerAIFF},
	".aifc": {ContainerAIFF},
	".au":   {ContainerAU},
	".snd":  {ContainerAU},
	".caf":  {ContainerCAF},
	".voc":  {ContainerVOC},
	".m4a":  {ContainerM4A},
	".mp4":  {ContainerM4A},
	".3gp":  {ContainerM4A},
	".mov":  {ContainerM4A},
	".aac":  {ContainerAAC, ContainerM4A},
	".webm": {ContainerWebM},
	".mka":  {ContainerWebM},
	".mkv":  {ContainerWebM},
	".amr":  {ContainerAMR},
	".awb":  {ContainerAMR},
	".wma":  {ContainerWMA},
	".asf":  {ContainerWMA},
}

// AudioExtensions lists the file name extensions taken for audio, sorted.
func AudioExtensions() []string {
	exts := make([]string, 0, len(audioExtensions))
	for e := range audioExtensions {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return exts
}

// IsAudioExtension reports whether name ends in an extension taken for audio.
func IsAudioExtension(name string) bool {
	_, ok := audioExtensions[strings.ToLower(filepath.Ext(name))]
	return ok
}

// extensionWarning says when name's extension announces another container
// than the content shows; "" when they agree or either is unknown.
func extensionWarning(name, container string) string {
	ext := strings.ToLower(filepath.Ext(name))
	want, ok := audioExtensions[ext]
	if !ok || container == ContainerUnknown || container == "" {
		return ""
	}
	for _, c := range want {
		if c == container {
			return ""
		}
	}
	return fmt.Sprintf("the extension %s says %s but the content is %s", ext, want[0], container)
}
