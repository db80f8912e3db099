// Package yaml is go.yaml.in/yaml/v3 v3.0.5, the YAML library of
// github.com/yaml/go-yaml (MIT and Apache License 2.0, LICENSE and NOTICE
// beside this file), copied into the repository for internal/config, which
// decodes the config file into its Nodes with it.
//
// It was copied to change one thing: its package initialiser compiled two
// regexps (yamlStyleFloat and base60float), filled the scalar resolution
// table and map and the long and short tag maps, and made the struct-info
// map, and every run of every command paid for them, though only the runs
// that find a config file parse YAML. GODEBUG=inittrace=1 audiopreflight
// --version showed it as the largest initialiser left in the binary:
// 0.089 ms and 25,736 bytes in 276 allocations (medians of 20 runs); perf
// record -e page-faults counted 19.3 faults a run under it, of 431. Here
// the regexps are internal/lazy values made at their first match, the
// tables are made under one sync.Once by their only readers (resolve,
// shortTag, longTag), structMap is made by its first write
// (getStructInfo), and the Unmarshaler type is asked for where an inlined
// field is checked. What is left of the initialiser sets decode.go's
// reflect.Type variables, which allocates nothing: 0.004 ms, 0 bytes
// (TestInitAllocatesNothing), 1 page fault; a build without them too was
// measured, and the run's faults were the same (402.7 against 403.1 a run:
// that page is touched by what runs next). The whole run of --version
// (CGO_ENABLED=0 -trimpath -ldflags='-s -w', perf stat -r 200, 20
// alternated rounds, medians) went from 1.565 ms of CPU and 444 page
// faults to 1.530 ms and 422; perf record counted 431.2 faults a run
// before, 402.7 after.
//
// Changed besides: this file, the imports the changes need, and
// reflect.PointerTo for the deprecated reflect.PtrTo on the line that asks
// for the Unmarshaler type. Otherwise the code is upstream's line for line —
// its own repetitions included, which a count of repeated code in the
// repository finds, and what staticcheck finds in it (staticcheck.conf) — so
// that it can be compared with upstream and a later release merged in. What the copy
// makes of a document is upstream's: TestDecodeUnchanged decodes the
// repository's YAML files, the texts internal/config is tested with and a
// list of tricky documents (scalar resolution, tags, anchors and merges,
// styles, comments, several documents, escapes, errors of every part of the
// library) with both, into Nodes (compared field by field, positions and
// comments included), into an interface{} and into a struct, and marshals
// what each made; trees, values, output and error texts must be equal.
// FuzzDecodeUnchanged does the same for any input. Upstream's tests,
// README and go.mod are not copied; go.yaml.in/yaml/v3 stays in go.mod for
// tests only, and the binary does not link it (startup_test.go).
package yaml
