// Package shard splits a run's inputs among the workers of a batch engine
// (a Kubernetes Indexed Job, an AWS Batch array job, hosts of GNU
// parallel) without any coordination between them: each worker is given
// the whole list of inputs and keeps those whose name hashes into its
// shard.
//
// An input's shard is a stable hash of its name as given (not of its
// position), so every worker agrees on it whatever order it lists the
// inputs in, and adding inputs moves none of the others. The hash is the
// one behind a result's input_id: shard K of N holds the inputs whose
// input_id, read as a 64-bit big-endian number, is K modulo N, so a report
// can be split or checked by shard from input_id alone.
package shard

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Spec is one shard: Index K of Count N, K counted from 0 (as Kubernetes'
// JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX count). The zero
// value is no sharding.
type Spec struct {
	Index, Count int
}

// Enabled reports whether s shards at all.
func (s Spec) Enabled() bool { return s.Count > 0 }

// String is "K/N".
func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Of is the shard, among count, that the input named name falls in.
func Of(name string, count int) int {
	sum := sha256.Sum256([]byte(name))
	return int(binary.BigEndian.Uint64(sum[:8]) % uint64(count))
}

// Keeps reports whether the input named name belongs to shard s (always,
// when s is not Enabled).
func (s Spec) Keeps(name string) bool {
	return !s.Enabled() || Of(name, s.Count) == s.Index
}

// Environment variables the batch engines set (Kubernetes sets the
// index; AWS Batch sets the index, and the array size where the job
// definition passes it on).
const (
	EnvK8sIndex   = "JOB_COMPLETION_INDEX"
	EnvBatchIndex = "AWS_BATCH_JOB_ARRAY_INDEX"
	EnvBatchSize  = "AWS_BATCH_JOB_ARRAY_SIZE"
)

// Resolve works out the shard of a run from the --shard flag (flag:
// "K/N", "K", or "" when not given), the --shard-count flag (count: 0 when
// not given) and the environment (getenv):
//
//   - K is the flag's K, else JOB_COMPLETION_INDEX, else
//     AWS_BATCH_JOB_ARRAY_INDEX;
//   - N is the flag's N, else --shard-count, else AWS_BATCH_JOB_ARRAY_SIZE.
//
// Sharding is on when both an index and a count are known. A count
// without any index shards nothing (every batch engine sets the index, so
// this is no worker of an array: the only worker). An index from the
// environment without a count is an error (every worker of the array
// would check everything), and so is a K outside 0..N-1, or an N and
// --shard-count that disagree. --shard 0/1 is one shard of one: every
// input, whatever the environment says.
func Resolve(flag string, count int, getenv func(string) string) (Spec, error) {
	if count < 0 {
		return Spec{}, fmt.Errorf("--shard-count %d: give a positive number", count)
	}
	var s Spec
	kSource, nSource := "", ""
	if flag != "" {
		k, n, hasN := strings.Cut(flag, "/")
		idx, err := strconv.Atoi(k)
		if err != nil {
			return Spec{}, fmt.Errorf("--shard %q: write K/N, e.g. 3/16 (K counts from 0)", flag)
		}
		s.Index, kSource = idx, "--shard"
		if hasN {
			if s.Count, err = strconv.Atoi(n); err != nil {
				return Spec{}, fmt.Errorf("--shard %q: write K/N, e.g. 3/16 (K counts from 0)", flag)
			}
			nSource = "--shard"
			if count > 0 && count != s.Count {
				return Spec{}, fmt.Errorf("--shard %s and --shard-count %d disagree", flag, count)
			}
		}
	}
	if kSource == "" {
		for _, name := range []string{EnvK8sIndex, EnvBatchIndex} {
			if v := getenv(name); v != "" {
				idx, err := strconv.Atoi(v)
				if err != nil {
					return Spec{}, fmt.Errorf("%s=%q is not a number", name, v)
				}
				s.Index, kSource = idx, name
				break
			}
		}
	}
	if nSource == "" {
		switch v := getenv(EnvBatchSize); {
		case count > 0:
			s.Count, nSource = count, "--shard-count"
		case v != "":
			n, err := strconv.Atoi(v)
			if err != nil {
				return Spec{}, fmt.Errorf("%s=%q is not a number", EnvBatchSize, v)
			}
			s.Count, nSource = n, EnvBatchSize
		}
	}
	asked := flag != "" || count > 0
	switch {
	case kSource == "" && nSource == "":
		return Spec{}, nil
	case !asked && (kSource == "" || nSource == ""):
		// The environment alone, half given. An array job's index
		// without the number of shards most likely means a job
		// definition that forgot to pass it on, and every worker
		// checking everything would multiply the cost by N: refuse,
		// and say how to check everything on purpose. A size without
		// an index shards nothing.
		if kSource != "" {
			return Spec{}, fmt.Errorf("%s is set but the number of shards is not: give --shard-count N (or set %s); --shard 0/1 checks every input", kSource, EnvBatchSize)
		}
		return Spec{}, nil
	case kSource == "":
		// A number of shards and no index anywhere: not one worker of
		// an array (every engine sets the index), so the only worker.
		return Spec{}, nil
	case nSource == "":
		return Spec{}, fmt.Errorf("%s gives the shard but not the number of shards: write --shard K/N or give --shard-count N", kSource)
	}
	if s.Count < 1 {
		return Spec{}, fmt.Errorf("the number of shards (%s) must be 1 or more, not %d", nSource, s.Count)
	}
	if s.Index < 0 || s.Index >= s.Count {
		return Spec{}, fmt.Errorf("shard %d (%s) is outside 0..%d: shards count from 0 to N-1", s.Index, kSource, s.Count-1)
	}
	return s, nil
}
