package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEConfigIsValid: the annotated config file in the README's
// Configuration section is valid by the published schema
// (schema/audiopreflight.schema.json, read by python3-jsonschema as an
// editor's validator would) and by config verify.
func TestREADMEConfigIsValid(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "```yaml\n# .audiopreflight.yaml\n")
	if !ok {
		t.Fatal("README.md has no ```yaml block starting with # .audiopreflight.yaml")
	}
	block, _, ok := strings.Cut(after, "```")
	if !ok {
		t.Fatal("the config block does not end")
	}
	block = "# .audiopreflight.yaml\n" + block
	if !strings.Contains(block, "ignore:") || !strings.Contains(block, "paths:") || !strings.Contains(block, "baseline:") {
		t.Errorf("the README's config shows too little:\n%s", block)
	}
	file := filepath.Join(t.TempDir(), ".audiopreflight.yaml")
	if err := os.WriteFile(file, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runBinary(t, nil, nil, "config", "verify", file)
	if code != 0 || !strings.Contains(out, ": valid (") {
		t.Errorf("config verify: exit %d, %s%s", code, out, stderr)
	}
	// Debian's python3, where python3-jsonschema installs.
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import jsonschema, yaml").Run(); err != nil {
		msg := "python3-jsonschema is missing: apt-get install python3-jsonschema (.ci/run installs it)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	py := exec.Command(python, "-c", `import sys, json, yaml, jsonschema
jsonschema.validate(yaml.safe_load(open(sys.argv[2])), json.load(open(sys.argv[1])))`, "schema/audiopreflight.schema.json", file)
	if out, err := py.CombinedOutput(); err != nil {
		t.Errorf("the schema refuses the README's config: %v\n%s", err, out)
	}
}
