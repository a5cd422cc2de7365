package store

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds on what a record keeps, in bytes. Longer text is cut with "…":
// no transport sends questions this long, and a model's answer fits.
const (
	maxQuestion = 8 << 10
	maxAnswer   = 32 << 10
	maxComment  = 2 << 10
	maxError    = 2 << 10
	// maxRef bounds IDs, conversation references, links, reasons.
	maxRef     = 1 << 10
	maxSources = 32
)

// newID returns a random ID: 96 bits, hex. Random rather than sequential,
// so that an answer's ID tells nothing about how many others there are.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}

// millis is t as stored: Unix milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis is a stored time in UTC.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// fromNullMillis is a stored optional time; zero when NULL.
func fromNullMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMillis(ms.Int64)
}

// cut shortens s to at most n bytes on a rune boundary, marking the cut,
// and drops invalid UTF-8 and NUL bytes, which PostgreSQL refuses.
func cut(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
	if len(s) <= n {
		return s
	}
	end := n - len("…")
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…"
}

// nullable stores "" as NULL, for columns where NULL means "none" and
// must not collide (unique keys, references).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
