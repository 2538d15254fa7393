//go:build !race

package themes_test

const raceDetector = false
