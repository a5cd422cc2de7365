// Package atomicfile replaces files so that a crash, at any moment, leaves
// either the old content or the new: never a torn file, and no debris.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// staleAfter is how old a temporary file must be before a later write
// takes it for a crash's leftover. Writes take well under a second; the
// margin keeps another process's write in progress safe.
const staleAfter = 10 * time.Minute

// WriteFile replaces path with what write produces, with permissions perm.
// The data goes to a temporary file beside path, is synced to disk, renamed
// over path, and the folder is synced so that the rename survives a power
// cut too. When write or any step fails, path keeps its old content and the
// temporary file is removed; temporary files that a crash left behind are
// removed by the next write of the same path.
func WriteFile(path string, perm fs.FileMode, write func(w io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStale(dir, base)
	tmp, err := create(dir, base)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fill(tmp, perm, write); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: sync folder: %w", path, err)
	}
	return nil
}

// tempPrefix marks the temporary files of base: hidden, and named after it
// so that leftovers are easy to tell apart and to sweep.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

func create(dir, base string) (*os.File, error) {
	var suffix [8]byte
	_, _ = rand.Read(suffix[:]) // crypto/rand.Read never fails
	return os.OpenFile(filepath.Join(dir, tempPrefix(base)+hex.EncodeToString(suffix[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
}

func fill(f *os.File, perm fs.FileMode, write func(w io.Writer) error) error {
	err := write(f)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// removeStale deletes base's temporary files old enough to be a crash's
// leftovers. It is best effort: a leftover that stays is only debris.
func removeStale(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || e.IsDir() {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// syncDir makes a rename in dir durable. File systems that cannot sync a
// folder say so with EINVAL or ENOTSUP; there is nothing more to do there.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}
