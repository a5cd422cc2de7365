//go:build race

package bot

// raceEnabled: the race detector slows single-threaded checks tenfold and
// finds nothing in them, so exhaustive ones thin their samples.
const raceEnabled = true
