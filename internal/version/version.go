// Package version says which build of audiopreflight is running.
package version

import (
	"runtime/debug"
	"strings"
)

// Set at release time by the linker:
//
//	-X github.com/audiopreflight/audiopreflight/internal/version.version=v1.2.3
//	-X github.com/audiopreflight/audiopreflight/internal/version.commit=abc1234
//	-X github.com/audiopreflight/audiopreflight/internal/version.date=2026-11-26T00:00:00Z
var (
	version = ""
	commit  = ""
	date    = ""
)

// Info describes the running build.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Modified  bool   `json:"modified,omitempty"`
}

// Get returns the release values when the linker set them, and otherwise
// what the Go toolchain recorded (`go install ...@v1.2.3` records the module
// version; a build from a checkout records the VCS revision and time).
func Get() Info {
	info := Info{Version: version, Commit: commit, Date: date}
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
				if info.Date == "" {
					info.Date = s.Value
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
	return info
}

// UserAgent is the User-Agent of the tool's HTTP requests.
func UserAgent() string { return "audiopreflight/" + Get().Version }
