package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds the parser arbitrary Markdown, seeded with every real
// version of the FAQ and the guidance pages. It must never panic, and what
// it returns must hold together: anchors unique, passages pointing at their
// section.
func FuzzParse(f *testing.F) {
	f.Add(defaultFAQ)
	for _, dir := range []string{"../../shared/corpus/versions", "../../shared/corpus/guidance", "testdata/fuzz-seeds"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("---\ntitle: x\n---\n## A\n\n> [!NOTE]\n> n\n\n- a\n  - b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Parse("fuzz.md", src, "")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range doc.Sections {
			if s.Anchor != "" && seen[s.Anchor] {
				t.Fatalf("duplicate anchor %q", s.Anchor)
			}
			seen[s.Anchor] = true
			if !strings.HasPrefix(s.URL, LearnBaseURL) {
				t.Fatalf("section URL %q outside the base", s.URL)
			}
			for i, p := range s.Passages {
				if p.Section != s || p.Index != i {
					t.Fatalf("passage %d of %q points elsewhere", i, s.Anchor)
				}
			}
			if utf8.ValidString(string(src)) && !utf8.ValidString(s.Text) {
				t.Fatalf("valid UTF-8 input gave invalid text %q", s.Text)
			}
		}
	})
}
