package main

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/objectstore/s3test"
)

// recipe returns the first fenced block of lang under the heading of
// docs/scale.md.
func recipe(t *testing.T, heading, lang string) string {
	t.Helper()
	doc, err := os.ReadFile("docs/scale.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("docs/scale.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "```"+lang+"\n")
	if !ok {
		t.Fatalf("docs/scale.md, %s: no ```%s block", heading, lang)
	}
	block, _, _ = strings.Cut(block, "```")
	return block
}

// archiveBucket lays the committed corpus out as s3://archive/recordings/
// on versitygw, and returns the environment that reaches it and the
// sorted JSONL lines of one header check of the whole prefix.
func archiveBucket(t *testing.T) (*s3test.Versity, []string, []string) {
	t.Helper()
	v := s3test.StartVersity(t)
	err := filepath.WalkDir("testdata/corpus", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/corpus", p)
		v.Put(t, "archive", "recordings/"+filepath.ToSlash(rel), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	env := objectEnv(t, v.URL)
	code, out, stderr := runBinary(t, nil, env, "check", "--read-objects", "--header-only", "-o", "jsonl", "s3://archive/recordings/")
	if code == 2 || stderr != "" || strings.Count(out, "\n") < 1000 {
		t.Fatalf("one run: exit %d, stderr %q", code, stderr)
	}
	return v, env, sortedLines(out)
}

// sameReport fails unless the merged reports hold one run's lines.
func sameReport(t *testing.T, what, merged string, want []string) {
	t.Helper()
	got := sortedLines(merged)
	if !slices.Equal(got, want) {
		t.Errorf("%s: the merged reports have %d lines, one run %d, and they differ", what, len(got), len(want))
	}
}

func readReports(t *testing.T, pattern string) string {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	return all.String()
}

// Every recipe of docs/scale.md, run here as its engine would run it.
func TestScaleRecipes(t *testing.T) {
	v, env, want := archiveBucket(t)

	t.Run("Kubernetes Indexed Job", func(t *testing.T) {
		job := recipe(t, "Kubernetes Indexed Job", "yaml")
		m := regexp.MustCompile(`(?m)^\s*args: (\[.*\])$`).FindStringSubmatch(job)
		c := regexp.MustCompile(`(?m)^\s*completions: (\d+)$`).FindStringSubmatch(job)
		if m == nil || c == nil || !strings.Contains(job, "completionMode: Indexed") || !strings.Contains(job, "image: ghcr.io/audiopreflight/audiopreflight") {
			t.Fatalf("not an Indexed Job of the project's image:\n%s", job)
		}
		var args []string
		if err := json.Unmarshal([]byte(m[1]), &args); err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(c[1])
		reports := t.TempDir() + "/"
		args = replaceArg(args, "/reports/", reports)
		for k := range n {
			if code, _, stderr := runBinary(t, nil, append(slices.Clone(env), fmt.Sprintf("JOB_COMPLETION_INDEX=%d", k)), args...); code != 0 {
				t.Fatalf("index %d: exit %d: %s", k, code, stderr)
			}
		}
		sameReport(t, "Indexed Job", readReports(t, reports+fmt.Sprintf("report-*-of-%d.jsonl", n)), want)
	})

	t.Run("AWS Batch array job", func(t *testing.T) {
		var def struct {
			Type                string            `json:"type"`
			Parameters          map[string]string `json:"parameters"`
			ContainerProperties struct {
				Image   string   `json:"image"`
				Command []string `json:"command"`
			} `json:"containerProperties"`
		}
		if err := json.Unmarshal([]byte(recipe(t, "AWS Batch array job", "json")), &def); err != nil {
			t.Fatal(err)
		}
		args := def.ContainerProperties.Command
		for i, a := range args {
			if name, ok := strings.CutPrefix(a, "Ref::"); ok {
				args[i] = def.Parameters[name]
			}
		}
		n, err := strconv.Atoi(def.Parameters["shards"])
		if err != nil || def.Type != "container" || !strings.HasPrefix(def.ContainerProperties.Image, "ghcr.io/audiopreflight/audiopreflight") {
			t.Fatalf("not a job definition of the project's image with a number of shards: %+v", def)
		}
		reports := t.TempDir() + "/"
		args = replaceArg(args, "/reports/", reports)
		for k := range n {
			if code, _, stderr := runBinary(t, nil, append(slices.Clone(env), fmt.Sprintf("AWS_BATCH_JOB_ARRAY_INDEX=%d", k)), args...); code != 0 {
				t.Fatalf("child %d: exit %d: %s", k, code, stderr)
			}
		}
		sameReport(t, "AWS Batch", readReports(t, reports+"report-*.jsonl"), want)
	})

	t.Run("S3 Batch Operations over an Inventory", func(t *testing.T) {
		line := firstLine(t, recipe(t, "S3 Batch Operations over an Inventory", "sh"), "audiopreflight check ")
		args := strings.Fields(strings.TrimPrefix(line, "audiopreflight "))
		manifest := argAfter(t, args, "--files-from")
		shardArg := argAfter(t, args, "--shard")
		n, _ := strconv.Atoi(shardArg[strings.IndexByte(shardArg, '/')+1:])
		layInventory(t, v, manifest, want)
		var merged strings.Builder
		for k := range n {
			code, out, stderr := runBinary(t, nil, env, replaceArg(args, shardArg, fmt.Sprintf("%d/%d", k, n))...)
			if code != 0 || stderr != "" {
				t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
			}
			merged.WriteString(out)
		}
		sameReport(t, "Inventory", merged.String(), want)
	})

	t.Run("Spark RDD.pipe", func(t *testing.T) {
		m := regexp.MustCompile(`\.pipe\("audiopreflight ([^"]+)"\)`).FindStringSubmatch(recipe(t, "Spark RDD.pipe", "python"))
		if m == nil {
			t.Fatal("no RDD.pipe(\"audiopreflight …\") in the recipe")
		}
		args := strings.Fields(m[1])
		names := inputNames(t, want)
		const partitions = 3
		var merged strings.Builder
		for p := range partitions {
			var part []string
			for i := p; i < len(names); i += partitions {
				part = append(part, names[i])
			}
			code, out, stderr := runBinary(t, []byte(strings.Join(part, "\n")+"\n"), env, args...)
			if code != 0 || stderr != "" {
				t.Fatalf("partition %d: exit %d: %s", p, code, stderr)
			}
			merged.WriteString(out)
		}
		sameReport(t, "RDD.pipe", merged.String(), want)
	})

	t.Run("GNU parallel over hosts", func(t *testing.T) {
		if _, err := exec.LookPath("parallel"); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("GNU parallel is not installed (.ci/run installs it)")
			}
			t.Skip("GNU parallel is not installed (apt-get install parallel)")
		}
		script := recipe(t, "GNU parallel over hosts", "sh")
		if !strings.Contains(script, "-S host1,host2") {
			t.Fatalf("no -S host1,host2 in the recipe:\n%s", script)
		}
		script = strings.Replace(script, "-S host1,host2", "-S :", 1)
		dir := t.TempDir()
		script = strings.ReplaceAll(script, "--workdir /tmp", "--workdir "+dir)
		c := exec.Command("bash", "-euo", "pipefail", "-c", script)
		c.Dir = dir
		c.Env = append(append(os.Environ(), "PATH="+filepath.Dir(binary)+":"+os.Getenv("PATH"), "NO_COLOR=1"), env...)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		merged, err := os.ReadFile(filepath.Join(dir, "archive.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		sameReport(t, "parallel", string(merged), want)
	})
}

func replaceArg(args []string, old, new string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if a == old {
			out[i] = new
		}
	}
	return out
}

func argAfter(t *testing.T, args []string, flag string) string {
	t.Helper()
	i := slices.Index(args, flag)
	if i < 0 || i+1 == len(args) {
		t.Fatalf("no %s in %q", flag, args)
	}
	return args[i+1]
}

func firstLine(t *testing.T, block, prefix string) string {
	t.Helper()
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	t.Fatalf("no line starting with %q in\n%s", prefix, block)
	return ""
}

// inputNames are the inputs of JSONL lines, in order.
func inputNames(t *testing.T, lines []string) []string {
	t.Helper()
	var names []string
	for _, l := range lines {
		var r struct{ Input string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		names = append(names, r.Input)
	}
	return names
}

// layInventory writes an S3 Inventory report of the objects of lines as
// S3 does, at the manifest URI given: the manifest, and one gzipped CSV
// data file in the destination bucket's data/ directory with the keys
// URL-encoded, a delete marker and an older version among the rows.
func layInventory(t *testing.T, v *s3test.Versity, manifestURI string, lines []string) {
	t.Helper()
	rest, ok := strings.CutPrefix(manifestURI, "s3://")
	if !ok {
		t.Fatalf("the recipe's manifest %q is not in a bucket", manifestURI)
	}
	bucket, key, _ := strings.Cut(rest, "/")
	base := strings.TrimSuffix(key, "/manifest.json")
	base = base[:strings.LastIndexByte(base, '/')]
	var csv bytes.Buffer
	gz := gzip.NewWriter(&csv)
	for i, name := range inputNames(t, lines) {
		b, k, _ := strings.Cut(strings.TrimPrefix(name, "s3://"), "/")
		fmt.Fprintf(gz, "%q,%q,\"v%d\",\"true\",\"false\",\"100\"\n", b, url.QueryEscape(k), i)
		if i%100 == 0 {
			fmt.Fprintf(gz, "%q,%q,\"old%d\",\"false\",\"false\",\"100\"\n", b, url.QueryEscape(k), i)
			fmt.Fprintf(gz, "%q,%q,\"dm%d\",\"true\",\"true\",\"\"\n", b, url.QueryEscape(k+".deleted.wav"), i)
		}
	}
	gz.Close()
	dataKey := base + "/data/0b5a6f2e-1111-2222-3333-444455556666.csv.gz"
	sum := md5.Sum(csv.Bytes())
	manifest, _ := json.Marshal(map[string]any{
		"sourceBucket": "archive", "destinationBucket": "arn:aws:s3:::" + bucket, "version": "2016-11-30",
		"fileFormat": "CSV", "fileSchema": "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size",
		"files": []map[string]any{{"key": dataKey, "size": csv.Len(), "MD5checksum": hex.EncodeToString(sum[:])}},
	})
	v.Put(t, bucket, dataKey, csv.Bytes())
	v.Put(t, bucket, key, manifest)
}
