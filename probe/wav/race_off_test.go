//go:build !race

package wav_test

const raceDetector = false
