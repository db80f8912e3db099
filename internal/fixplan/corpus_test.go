package fixplan_test

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/fixplan"
	"github.com/audiopreflight/audiopreflight/internal/oggmux"
	"github.com/audiopreflight/audiopreflight/internal/oracle"
	"github.com/audiopreflight/audiopreflight/internal/wavheader"
	"github.com/audiopreflight/audiopreflight/probe"
	"github.com/audiopreflight/audiopreflight/validate"
)

var (
	update     = flag.Bool("update", false, "rewrite the fixed files of the fix corpus (testdata/corpus/fix/out)")
	corpusRoot = flag.String("fixcorpus", "../../testdata/corpus", "the corpus whose fix family is checked or written")
)

// corpusInput is one input of the fix corpus and where its fixed file goes.
type corpusInput struct {
	path string // the input
	out  string // the fixed file, relative to the fix family
}

// fixInputs are the fix family's own inputs and the files of the ogg and
// wav families (those their golden files list).
func fixInputs(t *testing.T) []corpusInput {
	t.Helper()
	root := *corpusRoot
	var ins []corpusInput
	own, err := filepath.Glob(filepath.Join(root, "fix", "in", "*"))
	if err != nil || len(own) == 0 {
		t.Fatalf("no inputs under %s/fix/in: %v", root, err)
	}
	for _, p := range own {
		ins = append(ins, corpusInput{p, "out/" + filepath.Base(p)})
	}
	for _, fam := range []string{"ogg", "wav"} {
		for _, v := range oracle.MustLoad(t, filepath.Join(root, fam, "expected-unscripted.jsonl")) {
			ins = append(ins, corpusInput{filepath.Join(root, fam, v.Input), "out/" + fam + "/" + v.Input})
		}
	}
	return ins
}

// outName is the fixed file's name: the input's, with the output's
// extension added when it differs.
func outName(rel, ext string) string {
	if filepath.Ext(rel) == ext {
		return rel
	}
	return rel + ext
}

// planFile checks one input as check does (unscripted, sync) and plans
// its lossless fix.
func planFile(t *testing.T, path string) (*fixplan.Plan, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	req := validate.Request{Type: validate.Unscripted, SyncLimit: validate.DefaultSyncLimit}
	r := bytes.NewReader(data)
	info, err := probe.Probe(r, int64(len(data)), path)
	if err != nil {
		t.Fatal(err)
	}
	read, err := probe.ReadAll(r, int64(len(data)), info)
	if err != nil {
		t.Fatal(err)
	}
	d := validate.Decide(req, validate.Evidence{Input: path, Size: int64(len(data)), Head: data[:min(16, len(data))], Info: info, Read: read})
	return fixplan.Lossless(req, fixplan.Input{Name: path, R: r, Size: int64(len(data)), Info: info, Decision: d}), data
}

// TestFixCorpus fixes every input of the fix corpus that a lossless path
// fixes and requires the committed fixed files to be what the code writes
// now, byte for byte: the reference model's verdicts on them (the fix
// family's golden files) are then verdicts on this code's output. With
// -update it writes them instead (scripts/corpus/fix.sh does).
func TestFixCorpus(t *testing.T) {
	dir := filepath.Join(*corpusRoot, "fix")
	produced := map[string][]byte{}
	byPath := map[fixplan.Path]int{}
	unfixed := map[string][]string{}
	for _, in := range fixInputs(t) {
		p, _ := planFile(t, in.path)
		if p.Path == fixplan.PathNone {
			if p.Why != "" {
				key := p.Why
				if i := strings.IndexAny(key, ":("); i > 0 {
					key = key[:i]
				}
				unfixed[key] = append(unfixed[key], in.out)
			}
			continue
		}
		var buf bytes.Buffer
		o, err := p.Apply(&buf)
		if err != nil {
			t.Errorf("%s: %v", in.path, err)
			continue
		}
		if o.Written != int64(buf.Len()) {
			t.Errorf("%s: Written %d, wrote %d", in.path, o.Written, buf.Len())
		}
		produced[outName(in.out, p.Ext)] = buf.Bytes()
		byPath[p.Path]++
	}
	if *update {
		if err := os.RemoveAll(filepath.Join(dir, "out")); err != nil {
			t.Fatal(err)
		}
		for name, b := range produced {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	var committed []string
	err := filepath.WalkDir(filepath.Join(dir, "out"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			committed = append(committed, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range committed {
		b, ok := produced[name]
		if !ok {
			t.Errorf("%s is committed, but no lossless path writes it now (scripts/corpus/fix.sh rewrites the corpus)", name)
			continue
		}
		if want, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(b, want) {
			t.Errorf("%s: the fix writes other bytes than the committed file the model judged (scripts/corpus/fix.sh rewrites the corpus)", name)
		}
	}
	for name := range produced {
		if !slices.Contains(committed, name) {
			t.Errorf("%s: fixed now, but not in the committed corpus (scripts/corpus/fix.sh rewrites it)", name)
		}
	}
	if len(produced) < 60 {
		t.Errorf("only %d inputs fixed", len(produced))
	}
	t.Logf("fixed %d inputs: %v", len(produced), byPath)
	keys := make([]string, 0, len(unfixed))
	for k := range unfixed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("not fixed (%d): %s", len(unfixed[k]), k)
	}
}

// TestFixCorpusOutputsAccepted: the reference model accepts every fixed
// file, for both request types, and rejected every input that was fixed.
func TestFixCorpusOutputsAccepted(t *testing.T) {
	dir := filepath.Join(*corpusRoot, "fix")
	for _, req := range []string{"unscripted", "scripted"} {
		outs := 0
		for _, v := range oracle.MustLoad(t, filepath.Join(dir, "expected-"+req+".jsonl")) {
			switch {
			case strings.HasPrefix(v.Input, "out/"):
				outs++
				if v.Exception != nil {
					t.Errorf("%s (%s): the model answers %s", v.Input, req, *v.Exception)
				}
			case strings.HasPrefix(v.Input, "in/") && req == "unscripted":
				_, err := os.Stat(filepath.Join(dir, "out", strings.TrimPrefix(v.Input, "in/")))
				_, errOpus := os.Stat(filepath.Join(dir, "out", strings.TrimPrefix(v.Input, "in/")+".opus"))
				_, errWAV := os.Stat(filepath.Join(dir, "out", strings.TrimPrefix(v.Input, "in/")+".wav"))
				fixed := err == nil || errOpus == nil || errWAV == nil
				if fixed && v.Exception == nil {
					t.Errorf("%s: accepted as it is, yet fixed", v.Input)
				}
			}
		}
		if outs < 60 {
			t.Errorf("%s: the model judged %d fixed files", req, outs)
		}
	}
}

// TestFixCorpusKeepsEveryPacket compares the Opus packets of each fixed
// file with the packets of its input as ffmpeg's own demuxers read them
// (ref/NAME.framemd5, written by scripts/corpus/fix.sh): the same packets,
// byte for byte, in the same order.
func TestFixCorpusKeepsEveryPacket(t *testing.T) {
	dir := filepath.Join(*corpusRoot, "fix")
	refs, _ := filepath.Glob(filepath.Join(dir, "ref", "*.framemd5"))
	if len(refs) < 10 {
		t.Fatalf("%d packet references", len(refs))
	}
	for _, ref := range refs {
		name := strings.TrimSuffix(filepath.Base(ref), ".framemd5")
		want := readFrameMD5(t, ref)
		out := filepath.Join(dir, "out", outName(name, ".opus"))
		b, err := os.ReadFile(out)
		if err != nil {
			t.Errorf("%s: no fixed file: %v", name, err)
			continue
		}
		var got []string
		pk := oggmux.NewPacketReader(bytes.NewReader(b), int64(len(b)))
		for i := 0; ; i++ {
			p, err := pk.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if i >= 2 { // OpusHead and OpusTags
				sum := md5.Sum(p.Data)
				got = append(got, fmt.Sprintf("%d %s", len(p.Data), hex.EncodeToString(sum[:])))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d packets out, %d in; the first difference at %d", name, len(got), len(want), firstDiff(got, want))
		}
	}
}

// readFrameMD5 reads ffmpeg's framemd5 lines (stream, dts, pts, duration,
// size, hash, then any side data) as "size hash".
func readFrameMD5(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ",")
		if len(fields) < 6 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		out = append(out, strings.TrimSpace(fields[4])+" "+strings.TrimSpace(fields[5]))
	}
	return out
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestFixCorpusKeepsTheAudioBytes: the data chunk of each fixed WAV holds
// the input's audio bytes, as the lenient reading finds them.
func TestFixCorpusKeepsTheAudioBytes(t *testing.T) {
	dir := filepath.Join(*corpusRoot, "fix")
	checked := 0
	for _, in := range fixInputs(t) {
		out := filepath.Join(dir, outName(in.out, ".wav"))
		fixed, err := os.ReadFile(out)
		if err != nil {
			continue
		}
		src, err := os.ReadFile(in.path)
		if err != nil {
			t.Fatal(err)
		}
		l, err := wavheader.Locate(bytes.NewReader(src), int64(len(src)))
		if err != nil {
			t.Fatalf("%s: %v", in.path, err)
		}
		audio := src[l.DataOffset : l.DataOffset+l.DataSize]
		body := fixed[:len(fixed)-int(l.DataSize&1)]
		if !bytes.HasSuffix(body, audio) {
			t.Errorf("%s: the audio bytes changed", out)
		}
		checked++
	}
	if checked < 30 {
		t.Errorf("checked %d WAVs", checked)
	}
}
