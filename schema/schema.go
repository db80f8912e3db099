// Package schema holds the JSON schema of the config file
// (.audiopreflight.yaml) as it is published, audiopreflight.schema.json
// beside this file, so that `audiopreflight config schema` serves the very
// bytes editors fetch from the repository. The file is generated from the
// Go types of internal/config by that package's tests (go test
// ./internal/config -update), which also fail when the types change and
// the file is not regenerated; the generator is kept out of the binary,
// where it cost start-up time and size on every run.
package schema

import _ "embed"

// Config is the JSON schema of the config file.
//
//go:embed audiopreflight.schema.json
var Config string
