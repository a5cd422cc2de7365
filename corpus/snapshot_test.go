package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A snapshot parsed again, after its source changed or went away, is the
// corpus that was read: what lets replicas share a corpus by its bytes.
func TestSnapshotParsesToTheCorpusItWasReadAs(t *testing.T) {
	dir := t.TempDir()
	page := "---\ntitle: Guide\nms.date: 06/04/2025\n---\n# Guide\n\n## First question\n\nThe first answer.\n\n## Second question\n\nThe second answer.\n"
	short := "# Short page\n\nA page of one paragraph without sections, which a folder keeps.\n"
	for name, text := range map[string]string{"guide@2025-06-04.md": page, "short.md": short, "notes.txt": "not a page"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := Loader{}
	tests := []struct {
		name, source string
		folder       bool
		pages        []string
	}{
		{"embedded", "", false, []string{DefaultName}},
		{"file", filepath.Join(dir, "guide@2025-06-04.md"), false, []string{"guide.md"}},
		{"folder", dir, true, []string{"guide.md", "short.md"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loaded, err := l.Load(context.Background(), tc.source)
			if err != nil {
				t.Fatal(err)
			}
			s := loaded.Snapshot
			if s.Folder != tc.folder || len(s.Pages) != len(tc.pages) {
				t.Fatalf("snapshot: folder %v, %d pages; want %v, %d", s.Folder, len(s.Pages), tc.folder, len(tc.pages))
			}
			for i, p := range s.Pages {
				if p.Name != tc.pages[i] || len(p.Data) == 0 {
					t.Errorf("page %d: %q with %d bytes, want %q", i, p.Name, len(p.Data), tc.pages[i])
				}
			}
			if tc.source != "" {
				if err := os.WriteFile(filepath.Join(dir, "guide@2025-06-04.md"), []byte("# Changed\n\n## Other\n\nOther text.\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.WriteFile(filepath.Join(dir, "guide@2025-06-04.md"), []byte(page), 0o644) })
			}
			again, err := l.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			if again.Version != loaded.Version || again.Source != loaded.Source || len(again.Sections()) != len(loaded.Sections()) {
				t.Errorf("parsed again: version %s source %s, %d sections; want %s %s %d",
					again.Version, again.Source, len(again.Sections()), loaded.Version, loaded.Source, len(loaded.Sections()))
			}
		})
	}
}

// A snapshot keeps the rules of its source: a single page needs sections.
func TestSnapshotOfOnePageNeedsSections(t *testing.T) {
	s := Snapshot{Source: "page.md", Pages: []Page{{Name: "page.md", File: "page.md", Data: []byte("# Title\n\nJust text.\n")}}}
	if _, err := (Loader{}).Parse(s); !errors.Is(err, ErrNoSections) {
		t.Errorf("err = %v, want ErrNoSections", err)
	}
	s.Folder = true
	if _, err := (Loader{}).Parse(s); err != nil {
		t.Errorf("in a folder: %v", err)
	}
	if _, err := (Loader{}).Parse(Snapshot{Source: "x"}); err == nil {
		t.Error("an empty snapshot parsed")
	}
}
