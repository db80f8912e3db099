package fix

import (
	"path/filepath"
	"slices"
	"strings"
)

// DefaultSuffix goes between a fixed file's name and its extension.
const DefaultSuffix = "-16k"

// extAliases are the extensions that name an output's kind of file ext: a
// fixed file keeps the input's extension when it is one of them. (A switch,
// not a map: a map would be filled by the package's initialiser at every
// start.)
func extAliases(ext string) []string {
	switch ext {
	case ".opus":
		return []string{".opus", ".ogg", ".oga"}
	case ".wav":
		return []string{".wav", ".wave"}
	case ".flac":
		return []string{".flac"}
	}
	return nil
}

// OutputExt is the extension of the fixed file of an input named name,
// for an output of the kind ext (Job.Ext): the input's own when it names
// that kind ("take.ogg" stays .ogg for Ogg-Opus), ext otherwise.
func OutputExt(name, ext string) string {
	inExt := filepath.Ext(name)
	if slices.Contains(extAliases(ext), strings.ToLower(inExt)) {
		return inExt
	}
	return ext
}

// OutputBase is the file name of the fixed file of an input whose file
// name is base: "take.webm" → "take-16k.opus" with the suffix "-16k".
// The command line and the browser name fixed files alike with it.
func OutputBase(base, ext, suffix string) string {
	return strings.TrimSuffix(base, filepath.Ext(base)) + suffix + OutputExt(base, ext)
}
