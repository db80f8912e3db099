//go:build race

package check

// raceDetector: the race detector allocates beside the code it watches
// (21 MiB of base64 decoded: 8.6 MB counted with it, under 8 MB
// without), so the allocation bounds hold for ordinary builds only.
const raceDetector = true
