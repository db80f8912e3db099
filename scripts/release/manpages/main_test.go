package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {""}, {"a", "b"}} {
		var stderr strings.Builder
		if code := run(args, func(string) string { return "" }, &stderr); code != 2 || !strings.Contains(stderr.String(), "usage: manpages DIR") {
			t.Errorf("manpages %q: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

func TestWritesPages(t *testing.T) {
	dir := t.TempDir()
	var stderr strings.Builder
	if code := run([]string{dir}, func(string) string { return "" }, &stderr); code != 0 || stderr.Len() != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "audiopreflight-check.1")); err != nil {
		t.Error(err)
	}
	stderr.Reset()
	env := map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}
	if code := run([]string{dir}, func(k string) string { return env[k] }, &stderr); code != 1 || !strings.Contains(stderr.String(), "manpages: SOURCE_DATE_EPOCH") {
		t.Errorf("bad SOURCE_DATE_EPOCH: exit %d, stderr %q", code, stderr.String())
	}
}
