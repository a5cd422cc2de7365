package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "index.json")
	for _, content := range []string{"old", "new"} {
		if err := WriteFile(path, 0o644, writeString(content)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("content %q, %v", got, err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v, want only index.json", names)
	}
}

func TestFailedWriteKeepsTheOldContentAndNoDebris(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.gob")
	if err := WriteFile(path, 0o600, writeString("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := WriteFile(path, 0o600, func(w io.Writer) error {
		io.WriteString(w, "half of the new")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the writer's", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q after a failed write, want the old", got)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v after a failed write", names)
	}
}

func TestWriteSweepsACrashsLeftovers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "index.json")
	// What a crash between create and rename leaves: an old temporary
	// file. A fresh one may be another process's write in progress.
	stale := filepath.Join(dir, tempPrefix("index.json")+"dead")
	fresh := filepath.Join(dir, tempPrefix("index.json")+"busy")
	other := filepath.Join(dir, tempPrefix("other.json")+"dead")
	for _, p := range []string{stale, fresh, other} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{stale, other} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(path, 0o644, writeString("{}")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the crash's leftover is still there (%v)", err)
	}
	for _, p := range []string{fresh, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}
