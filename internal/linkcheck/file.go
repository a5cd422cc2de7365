package linkcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/faqbot/faqbot/internal/atomicfile"
)

// FileName is the report's file in the data dir: `faqbot index
// --check-links` writes it, `faqbot serve` shows it to admins.
const FileName = "links.json"

// ErrNoReport is returned by Load when no check was saved.
var ErrNoReport = errors.New("no link check has been run (faqbot index --check-links)")

// maxReportBytes bounds a report read back: a corpus cites hundreds of
// sections at most.
const maxReportBytes = 8 << 20

// Save writes the report to path, whole or not at all, even across a
// crash (atomicfile).
func Save(path string, r Report) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("save link check: %w", err)
	}
	err = atomicfile.WriteFile(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("save link check: %w", err)
	}
	return nil
}

// Load reads a saved report; ErrNoReport when there is none.
func Load(path string) (Report, error) {
	var r Report
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return r, ErrNoReport
	}
	if err != nil {
		return r, fmt.Errorf("read link check: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return r, fmt.Errorf("read link check: %w", err)
	}
	if info.Size() > maxReportBytes {
		return r, fmt.Errorf("read link check: %s is larger than %d bytes", path, maxReportBytes)
	}
	if err := json.NewDecoder(f).Decode(&r); err != nil {
		return r, fmt.Errorf("read link check %s: %w", path, err)
	}
	return r, nil
}
