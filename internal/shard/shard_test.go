package shard

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/audiopreflight/audiopreflight/internal/report"
)

// names is a mix of the names inputs have: paths, URLs, object URIs,
// non-ASCII, near-duplicates.
func names(n int) []string {
	out := make([]string, 0, n)
	for i := range n {
		switch i % 4 {
		case 0:
			out = append(out, fmt.Sprintf("recordings/day%d/take %d.wav", i%31, i))
		case 1:
			out = append(out, fmt.Sprintf("s3://archive/2024/ü/%08d.flac", i))
		case 2:
			out = append(out, fmt.Sprintf("https://cdn.example.com/a/%d.mp3?sig=%d", i, i*7))
		default:
			out = append(out, strconv.Itoa(i))
		}
	}
	return out
}

// Shards are disjoint and cover everything: for every N, each input is
// kept by exactly one of the N shards.
func TestShardsAreDisjointAndCoverEverything(t *testing.T) {
	all := names(20_000)
	for _, n := range []int{1, 2, 3, 7, 16, 100, 1000} {
		in := all[:min(len(all), 400_000/n)]
		kept := make([]int, len(in))
		for k := range n {
			s := Spec{Index: k, Count: n}
			for i, name := range in {
				if s.Keeps(name) {
					kept[i]++
				}
			}
		}
		for i, c := range kept {
			if c != 1 {
				t.Fatalf("N=%d: %q is kept by %d shards, want 1", n, in[i], c)
			}
		}
	}
}

// The split is even enough that no worker gets much more than its share.
func TestShardsAreBalanced(t *testing.T) {
	in := names(160_000)
	const n = 16
	var count [n]int
	for _, name := range in {
		count[Of(name, n)]++
	}
	want := len(in) / n
	for k, c := range count {
		if c < want*95/100 || c > want*105/100 {
			t.Errorf("shard %d/%d has %d inputs, want %d ± 5%%", k, n, c, want)
		}
	}
}

// The shard depends on the name alone, not on where the input is listed,
// and is input_id read as a number, modulo N.
func TestShardIsInputIDModuloN(t *testing.T) {
	for _, name := range names(2000) {
		id, err := strconv.ParseUint(report.InputID(name), 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{2, 5, 64} {
			if got, want := Of(name, n), int(id%uint64(n)); got != want {
				t.Fatalf("Of(%q, %d) = %d, input_id %% N = %d", name, n, got, want)
			}
		}
	}
	if !(Spec{}).Keeps("anything") {
		t.Error("no sharding keeps nothing")
	}
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		flag  string
		count int
		env   map[string]string
		want  Spec
		err   string
	}{
		{want: Spec{}},
		{flag: "3/16", want: Spec{3, 16}},
		{flag: "0/1", want: Spec{0, 1}},
		{flag: "2", count: 4, want: Spec{2, 4}},
		{flag: "2/4", count: 4, want: Spec{2, 4}},
		{count: 8, env: map[string]string{"JOB_COMPLETION_INDEX": "5"}, want: Spec{5, 8}},
		{count: 8, env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "7"}, want: Spec{7, 8}},
		{env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "7", "AWS_BATCH_JOB_ARRAY_SIZE": "10"}, want: Spec{7, 10}},
		// The flag wins over the environment, K and N alike.
		{flag: "1/3", env: map[string]string{"JOB_COMPLETION_INDEX": "5", "AWS_BATCH_JOB_ARRAY_SIZE": "10"}, want: Spec{1, 3}},
		{count: 3, env: map[string]string{"JOB_COMPLETION_INDEX": "2", "AWS_BATCH_JOB_ARRAY_SIZE": "10"}, want: Spec{2, 3}},
		// Kubernetes' index comes before AWS Batch's.
		{count: 9, env: map[string]string{"JOB_COMPLETION_INDEX": "1", "AWS_BATCH_JOB_ARRAY_INDEX": "2"}, want: Spec{1, 9}},
		// A size alone is no request to shard.
		{env: map[string]string{"AWS_BATCH_JOB_ARRAY_SIZE": "10"}, want: Spec{}},
		{env: map[string]string{"JOB_COMPLETION_INDEX": "3"}, err: "JOB_COMPLETION_INDEX is set but the number of shards is not"},
		{flag: "0/1", env: map[string]string{"JOB_COMPLETION_INDEX": "3"}, want: Spec{0, 1}},
		{flag: "3", err: "--shard gives the shard but not the number of shards"},
		// A count without an index anywhere: the only worker.
		{count: 4, want: Spec{}},
		{flag: "4/4", err: "shard 4 (--shard) is outside 0..3"},
		{flag: "-1/4", err: "shard -1 (--shard) is outside 0..3"},
		{flag: "0/0", err: "must be 1 or more"},
		{flag: "1/3", count: 4, err: "disagree"},
		{flag: "a/b", err: "write K/N"},
		{flag: "1/x", err: "write K/N"},
		{count: -2, err: "positive"},
		{count: 4, env: map[string]string{"JOB_COMPLETION_INDEX": "x"}, err: `JOB_COMPLETION_INDEX="x" is not a number`},
		{env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "1", "AWS_BATCH_JOB_ARRAY_SIZE": "many"}, err: "is not a number"},
	} {
		got, err := Resolve(tc.flag, tc.count, func(k string) string { return tc.env[k] })
		name := fmt.Sprintf("Resolve(%q, %d, %v)", tc.flag, tc.count, tc.env)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s error %v, want one saying %q", name, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%s error %v", name, err)
		case tc.err == "" && got != tc.want:
			t.Errorf("%s = %v, want %v", name, got, tc.want)
		}
	}
}
