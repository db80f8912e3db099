package preflight_test

import (
	"os"
	"strings"
	"testing"
)

// TestREADMESnippetsAreTheExamples: every Go snippet of the README's "Use
// it from Go" is in this package's examples (so it compiles and runs),
// and every output block there is an example's output.
func TestREADMESnippetsAreTheExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Use it from Go\n")
	if !ok {
		t.Fatal("README has no Use it from Go section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	// The examples as the README shows them: indented one tab less, and
	// their output without the comment marks.
	var code, output strings.Builder
	for _, line := range strings.Split(string(examples), "\n") {
		line = strings.TrimPrefix(line, "\t")
		code.WriteString(line + "\n")
		out, _ := strings.CutPrefix(line, "// ")
		output.WriteString(out + "\n")
	}
	blocks := 0
	parts := strings.Split(section, "```")
	for i := 1; i < len(parts); i += 2 {
		lang, snippet, _ := strings.Cut(parts[i], "\n")
		in := map[string]string{"go": code.String(), "": output.String()}[lang]
		if in == "" {
			continue
		}
		blocks++
		if !strings.Contains(in, snippet) {
			t.Errorf("README snippet is not in example_test.go:\n%s", snippet)
		}
	}
	if blocks < 4 {
		t.Errorf("%d Go snippets and outputs in the README, want 4 or more", blocks)
	}
}
