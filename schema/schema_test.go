package schema

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// audiopreflight links no schema generator: the reflector and what it
// brings (a YAML library, Go's source parser for doc comments) would be
// initialised and mapped in by every run of the binary, for one command
// that prints a file.
func TestBinaryLinksNoSchemaGenerator(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/audiopreflight/audiopreflight").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/audiopreflight/audiopreflight/schema") {
		t.Fatalf("go list -deps does not list this package:\n%s", out)
	}
	for _, pkg := range deps {
		if strings.HasPrefix(pkg, "github.com/invopop/jsonschema") || strings.HasPrefix(pkg, "go.yaml.in/yaml/v4") ||
			strings.HasPrefix(pkg, "go/") {
			t.Errorf("audiopreflight links %s", pkg)
		}
	}
}
