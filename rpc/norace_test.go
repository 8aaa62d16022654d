//go:build !race

package rpc

// raceEnabled reports whether the race detector is on; allocation tests are skipped under it
// because it allocates on its own.
const raceEnabled = false
