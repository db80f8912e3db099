//go:build unix

package inputs

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

const unprivilegedEnv = "AUDIOPREFLIGHT_INPUTS_UNPRIVILEGED"

// permissionTree makes files and directories nobody but root may read, in
// the current directory.
func permissionTree(t *testing.T) {
	t.Helper()
	tree(t, ".", "rec/ok.wav", "rec/locked/y.wav", "rec/secret.wav", "locked/x.wav")
	for _, p := range []string{"rec/locked", "rec/secret.wav", "locked"} {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(p, 0o755) })
	}
}

var permissionArgs = []string{"rec", "rec/secret.wav", "locked/x.wav", "locked/*.wav", "locked"}

// wantUnprivileged is what a user who is not root sees: read permission
// is checked for files named, not for files found.
var wantUnprivileged = []string{
	"error: rec/locked: permission denied",
	"rec/ok.wav",
	"rec/secret.wav",
	"error: rec/secret.wav: permission denied",
	"error: locked/x.wav: permission denied",
	"error: locked: permission denied",
	"error: locked: permission denied",
}

// wantRoot is what root sees: permissions do not stop it.
var wantRoot = []string{
	"rec/locked/y.wav", "rec/ok.wav", "rec/secret.wav",
	"rec/secret.wav",
	"locked/x.wav",
	"locked/x.wav",
	"locked/x.wav",
}

func checkPermissions(t *testing.T, want []string) {
	t.Helper()
	in, err := expand(t, permissionArgs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := show(in); !slices.Equal(got, want) {
		t.Errorf("Expand(%q) as uid %d\n got %q\nwant %q", permissionArgs, os.Geteuid(), got, want)
	}
}

// TestPermissions checks unreadable files and directories. As root, where
// permissions do not fail, it checks root's view, then runs
// TestPermissionsUnprivileged in a copy of the test binary as nobody.
func TestPermissions(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Chdir(t.TempDir())
		permissionTree(t)
		checkPermissions(t, wantUnprivileged)
		return
	}
	t.Chdir(t.TempDir())
	permissionTree(t)
	checkPermissions(t, wantRoot)

	// The same tree seen by an unprivileged user.
	if asNobody(t, "TestPermissionsUnprivileged", func(string) { permissionTree(t) }) {
		t.Logf("checked as root and as uid 65534")
	}
}

// asNobody runs the test named test in a copy of the test binary as uid
// 65534, with unprivilegedEnv set, in a fresh directory that prepare
// fills first (the current directory then). It fails t if that test
// fails, and reports false when it could not start it.
func asNobody(t *testing.T, test string, prepare func(dir string)) bool {
	t.Helper()
	// Every directory on the way must be open to it, and the test binary
	// too.
	dir := t.TempDir()
	for p := dir; p != filepath.Dir(p) && strings.HasPrefix(p, os.TempDir()+"/"); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "inputs.test")
	copyFile(t, exe, bin)
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	prepare(work)
	cmd := exec.Command(bin, "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), unprivilegedEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) == 0 {
		// Not even started (no setuid in this environment): root's view
		// was checked; say plainly that this half was not.
		t.Logf("running as root; %s could not start as an unprivileged user (%v): permission failures are untested here", test, err)
		return false
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+test) {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	return true
}

// TestPermissionsUnprivileged is TestPermissions' other half, run by it as
// an unprivileged user in the directory it prepared.
func TestPermissionsUnprivileged(t *testing.T) {
	if os.Getenv(unprivilegedEnv) != "1" {
		t.Skip("run by TestPermissions as an unprivileged user")
	}
	if os.Geteuid() == 0 {
		t.Fatal("running as root")
	}
	checkPermissions(t, wantUnprivileged)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
