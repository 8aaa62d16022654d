//go:build !race

package integration

// raceEnabled reports whether this package was built with -race; the kvrpcd
// binary under test is then built with -race as well.
const raceEnabled = false
