//go:build !race

package ogg_test

const raceDetector = false
