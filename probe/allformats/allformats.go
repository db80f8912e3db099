// Package allformats registers every format the prober knows. Import it
// for its side effect, as image decoders are imported:
//
//	import _ "github.com/audiopreflight/audiopreflight/probe/allformats"
package allformats

import (
	_ "github.com/audiopreflight/audiopreflight/probe/aiff"
	_ "github.com/audiopreflight/audiopreflight/probe/au"
	_ "github.com/audiopreflight/audiopreflight/probe/caf"
	_ "github.com/audiopreflight/audiopreflight/probe/detect"
	_ "github.com/audiopreflight/audiopreflight/probe/flac"
	_ "github.com/audiopreflight/audiopreflight/probe/mpeg"
	_ "github.com/audiopreflight/audiopreflight/probe/ogg"
	_ "github.com/audiopreflight/audiopreflight/probe/rare"
	_ "github.com/audiopreflight/audiopreflight/probe/voc"
	_ "github.com/audiopreflight/audiopreflight/probe/wav"
)
