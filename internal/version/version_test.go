package version

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A release build sets every field by the linker, as .goreleaser.yaml
// does; none of them may read "unknown" then, whatever the VCS stamp says.
func TestReleaseLdflagsFillEveryField(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "audiopreflight")
	pkg := "github.com/audiopreflight/audiopreflight/internal/version"
	ldflags := strings.Join([]string{
		"-X " + pkg + ".version=v9.9.9",
		"-X " + pkg + ".commit=0123456789abcdef0123456789abcdef01234567",
		"-X " + pkg + ".date=2026-11-26T00:00:00Z",
		"-X " + pkg + ".commitTime=2026-11-25T12:00:00Z",
	}, " ")
	build := exec.Command("go", "build", "-buildvcs=false", "-trimpath", "-ldflags", ldflags, "-o", bin, "../..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version", "-o", "json").Output()
	if err != nil {
		t.Fatalf("version -o json: %v", err)
	}
	var got Info
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("version -o json printed %q: %v", out, err)
	}
	want := Info{Version: "v9.9.9", Commit: "0123456789ab", CommitTime: "2026-11-25T12:00:00Z", BuildTime: "2026-11-26T00:00:00Z"}
	if got.Version != want.Version || got.Commit != want.Commit || got.CommitTime != want.CommitTime || got.BuildTime != want.BuildTime {
		t.Errorf("version -o json = %+v, want %+v", got, want)
	}
	// And the goreleaser configuration passes every one of them.
	cfg, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"version", "commit", "date", "commitTime"} {
		if !strings.Contains(string(cfg), pkg+"."+v+"=") {
			t.Errorf(".goreleaser.yaml does not set %s.%s", pkg, v)
		}
	}
}
