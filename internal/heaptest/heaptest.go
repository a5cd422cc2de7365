// Package heaptest measures what a piece of work allocates on the heap, for
// tests that bound the cost of hostile input without timing it.
package heaptest

import (
	"runtime"
	"testing"
)

// Allocated returns the bytes allocated on the heap while f runs. It reads
// the whole process's counter, so work running beside f counts too: tests
// that use it do not run in parallel.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Slack is how much more than a normal question a hostile one may allocate
// end to end, through any transport (issue 11). The quadratic typo
// correction it guards against cost tens of megabytes for a 4,000-letter
// word and gigabytes for a 30,000-letter one.
const Slack = 20 << 20

// WithinSlack fails t when hostile allocated more than Slack beyond normal.
func WithinSlack(t testing.TB, what string, normal, hostile uint64) {
	t.Helper()
	t.Logf("%s: allocated %d KiB (a normal question: %d KiB)", what, hostile>>10, normal>>10)
	if hostile > normal+Slack {
		t.Errorf("%s allocated %d bytes, more than %d beyond a normal question's %d", what, hostile, Slack, normal)
	}
}
