package config

// Starter is the file `audiopreflight config init` writes: every key, set
// to its default or an example and commented out, saying what it does. A
// test decodes it uncommented, so every line of it stays valid.
const Starter = `# audiopreflight config file: check's settings for this repository.
# Each key is the check flag of the same name; a flag, then its
# AUDIOPREFLIGHT_<FLAG> variable, win over this file. Paths are relative to
# this file's directory. audiopreflight config verify checks this file;
# audiopreflight config show prints what check would run with.
# yaml-language-server: $schema=` + SchemaID + `

# What check looks at when the command line names nothing: files,
# directories (walked for audio files), globs (** spans directories), URLs.
#paths:
#  - recordings/

# The request the audio will be sent with: unscripted or scripted; and for
# unscripted, sync (with a size limit) or async.
#request: unscripted
#mode: sync
#sync-limit: 10MiB

# Read headers only (faster, leaves decoding and zero frames undecided).
#header-only: false

# Fail on anything short of a fully decided, warning-free accept.
#strict: false

# In directories, the files to check and to skip.
#include: ["**/*.wav", "**/*.flac"]
#exclude: ["scratch/**"]

# Output formats: one, or a list of FORMAT or FORMAT=PATH (text, json,
# jsonl, github, junit, markdown); at most one goes to standard output.
#output: text

# Print only the inputs that fail the run, and the summary.
#quiet: false

# Each input holds the base64 text of an audio_data field.
#base64: false

# Inputs checked at once (0: one per CPU); URL downloads: how long one may
# take, connections to one host, and the most bytes read of one input.
#jobs: 0
#timeout: 30s
#max-conns-per-host: 8
#max-input-size: 4GiB
# Download URLs on loopback and private hosts too (the API never does).
#allow-private-urls: false

# Objects in S3 or an S3-compatible store (s3://bucket/key inputs): read
# them with the environment's AWS credentials, as uploaded or as the API
# would download them from a pre-signed URL; how many at once.
#read-objects: false
#as-url: false
#endpoint-url: https://minio.example.com:9000
#remote-jobs: 16

# Also check the Authorization header the upload will send. The token
# comes from AUDIOPREFLIGHT_TOKEN or AUDIOPREFLIGHT_AUTHORIZATION (a CI
# secret), never from this file.
#check-auth: false

# An earlier JSON or JSONL report of check (check -o json=FILE, or
# --write-baseline FILE): the rejections it holds pass, new ones fail.
#baseline: .audiopreflight-baseline.json

# Rejections the team accepts: an input matching path whose verdict is one
# of exceptions (any, when left out) is shown as ignored and passes. Each
# entry needs its reason. An entry that matches nothing in a run is warned
# about, so fixed recordings do not leave stale entries behind.
#ignore:
#  - path: legacy/**/*.wav
#    exceptions: [InvalidAudioFormat]
#    reason: recorded at 44.1 kHz before the API's 16 kHz rule; re-recording is planned
`
