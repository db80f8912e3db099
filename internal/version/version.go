// Package version says which build of audiopreflight is running.
package version

import (
	"runtime/debug"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
)

// Set at release time by the linker:
//
//	-X github.com/audiopreflight/audiopreflight/internal/version.version=v1.2.3
//	-X github.com/audiopreflight/audiopreflight/internal/version.commit=abc1234
//	-X github.com/audiopreflight/audiopreflight/internal/version.date=2026-11-26T00:00:00Z
//	-X github.com/audiopreflight/audiopreflight/internal/version.commitTime=2026-11-25T12:00:00Z
//
// date is when the release was built. commitTime is set too, because a
// release build has no VCS stamp of its own (GoReleaser builds from a
// clean tree but the stamp is not guaranteed, e.g. with -trimpath or
// -buildvcs=false), and "commit time: unknown" in a release is a poor
// answer to "which build is this?".
var (
	version    = ""
	commit     = ""
	date       = ""
	commitTime = ""
)

// Unknown is the one word every field uses, in text and JSON alike, when
// the build did not record it.
const Unknown = "unknown"

// Info describes the running build.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	// CommitTime is when the commit was made (the VCS stamp).
	CommitTime string `json:"commit_time"`
	// BuildTime is when a release was built; only releases record it.
	BuildTime string `json:"build_time,omitempty"`
	GoVersion string `json:"go_version"`
	// Modified says the build's checkout had uncommitted changes.
	Modified bool `json:"modified"`
}

// Get returns the release values when the linker set them, and otherwise
// what the Go toolchain recorded (`go install ...@v1.2.3` records the module
// version; a build from a checkout records the VCS revision and its time).
// The build's record is read once, when first asked for: a run that prints
// no version and downloads nothing never parses it.
func Get() Info { return get.Get() }

var get = lazy.Value[Info]{New: read}

func read() Info {
	info := Info{Version: version, Commit: commit, CommitTime: commitTime, BuildTime: date}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		info.GoVersion = bi.GoVersion
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.CommitTime == "" {
					info.CommitTime = s.Value
				}
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	if len(info.Commit) > 12 && !strings.Contains(info.Commit, "-") {
		info.Commit = info.Commit[:12]
	}
	for _, field := range []*string{&info.Commit, &info.CommitTime, &info.GoVersion} {
		if *field == "" {
			*field = Unknown
		}
	}
	return info
}

// UserAgent is the User-Agent of the tool's HTTP requests.
func UserAgent() string { return "audiopreflight/" + Get().Version }
