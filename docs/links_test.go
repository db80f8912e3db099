// Package docs holds the project's documents; its test keeps the
// references to them, from the code and from each other, resolvable.
package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

const repoRoot = ".."

// docRef finds a reference to a section of one of the project's documents
// in code, scripts and comments: docs/server.md#sync-limit,
// CONTRIBUTING.md#benchmarks, README.md#warnings.
var docRef = regexp.MustCompile(`((?:docs/)?[A-Za-z][A-Za-z0-9_-]*\.md)#([A-Za-z0-9_-]+)`)

// mdLink finds the target of a Markdown link: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestReferencesResolve requires every reference to a document section, in
// every source, script and document of the repository, to name a heading
// that exists: code comments point into docs/server.md instead of
// explaining the server again, and a renamed heading must not leave them
// pointing nowhere.
func TestReferencesResolve(t *testing.T) {
	anchors := map[string]map[string]bool{} // repo-relative .md path → its heading slugs
	anchorsOf := func(rel string) map[string]bool {
		if a, ok := anchors[rel]; ok {
			return a
		}
		b, err := os.ReadFile(filepath.Join(repoRoot, rel))
		if err != nil {
			anchors[rel] = nil
			return nil
		}
		anchors[rel] = headingSlugs(string(b))
		return anchors[rel]
	}
	checked := 0
	walkSources(t, func(rel string, text string) {
		for _, ref := range references(rel, text) {
			checked++
			target := ref.file
			a := anchorsOf(target)
			switch {
			case a == nil:
				t.Errorf("%s: %s#%s: no document %s", rel, ref.file, ref.anchor, target)
			case ref.anchor != "" && !a[ref.anchor]:
				t.Errorf("%s: %s#%s: %s has no heading with that anchor", rel, ref.file, ref.anchor, target)
			}
		}
	})
	if checked < 10 {
		t.Fatalf("only %d references found: is the walk looking at the repository?", checked)
	}
}

// TestNoReferencesOutsideTheRepository: the repository explains itself.
// Code, scripts and documents point to docs/server.md and its siblings,
// never to a specification, a model or a benchmark kit beside the clone
// (only the external corpora may live there, read through
// AUDIOPREFLIGHT_CORPORA).
func TestNoReferencesOutsideTheRepository(t *testing.T) {
	outside := []string{"SPEC.md", "SPEC §", "shared/oracle", "shared/bench", "/work/shared"}
	walkSources(t, func(rel, text string) {
		if rel == "docs/links_test.go" {
			return
		}
		for i, line := range strings.Split(text, "\n") {
			for _, o := range outside {
				if strings.Contains(line, o) {
					t.Errorf("%s:%d cites %q, which is not in the repository: point to a section of docs/server.md instead", rel, i+1, o)
				}
			}
		}
	})
}

type reference struct{ file, anchor string }

// references lists the document references in one file's text, with the
// target as a repository-relative path.
func references(rel, text string) []reference {
	var out []reference
	seen := map[reference]bool{}
	add := func(r reference) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	isMarkdown := strings.HasSuffix(rel, ".md")
	if isMarkdown {
		// Links between documents, relative to the document.
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			if file == "" {
				file = rel
			} else {
				file = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(rel), file)))
			}
			if strings.HasSuffix(file, ".md") {
				add(reference{file, anchor})
			}
		}
		return out
	}
	// In code and scripts, references are written from the repository root.
	for _, m := range docRef.FindAllStringSubmatch(text, -1) {
		add(reference{m[1], m[2]})
	}
	return out
}

// walkSources calls fn with every text file of the repository that can
// hold a reference: sources, scripts, documents.
func walkSources(t *testing.T, fn func(rel, text string)) {
	t.Helper()
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" || rel == "testdata" || strings.HasSuffix(rel, "/testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(rel) {
		case ".go", ".sh", ".py", ".md", ".yaml", ".yml":
		default:
			if !strings.HasPrefix(rel, ".ci/") {
				return nil
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fn(rel, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// headingSlugs returns the anchors of a Markdown document's headings, made
// the way GitHub makes them: lower case, punctuation dropped, spaces as
// hyphens, "-1", "-2", … for repeats. Fenced code blocks hold no headings.
func headingSlugs(doc string) map[string]bool {
	slugs := map[string]bool{}
	count := map[string]int{}
	fenced := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		slug := slugify(title)
		if n := count[slug]; n > 0 {
			slugs[slug+"-"+itoa(n)] = true
		} else {
			slugs[slug] = true
		}
		count[slug]++
	}
	return slugs
}

func slugify(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestHeadingSlugs(t *testing.T) {
	got := headingSlugs("# How the API reads\n## Ogg-Opus rate\n```\n# not a heading\n```\n## URLs\n### `probe` and `validate`\n## URLs\n")
	for _, want := range []string{"how-the-api-reads", "ogg-opus-rate", "urls", "probe-and-validate", "urls-1"} {
		if !got[want] {
			t.Errorf("no anchor %q in %v", want, got)
		}
	}
	if got["not-a-heading"] {
		t.Error("a line in a code block was taken for a heading")
	}
}
