//go:build race

package store

// raceEnabled reports whether the race detector is on; allocation tests
// skip under it because it makes the runtime allocate.
const raceEnabled = true
