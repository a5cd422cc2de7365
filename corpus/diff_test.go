package corpus

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

const versionsDir = "../../shared/corpus/versions"

func loadVersion(t *testing.T, date string) *Corpus {
	t.Helper()
	p := filepath.Join(versionsDir, "transition-faqs@"+date+".md")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared FAQ versions not available (%v); they live in ../shared/corpus/versions", err)
	}
	c, err := Loader{}.Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func anchors(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Anchor)
	}
	return out
}

func TestDiffRealVersions(t *testing.T) {
	old, new := loadVersion(t, "2024-08-09"), loadVersion(t, "2025-06-04")
	d := Diff(old, new)
	for _, want := range []string{
		"i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension",
		"what-will-happen-after-june-30-2025-will-outbound-marketing-stop-working",
	} {
		if !slices.Contains(anchors(d.Added), want) {
			t.Errorf("added %v lacks %s", anchors(d.Added), want)
		}
	}
	if !slices.Contains(anchors(d.Removed), "i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-exception") {
		t.Errorf("removed %v lacks the renamed exception question", anchors(d.Removed))
	}
	if len(d.Changed) == 0 {
		t.Error("no changed sections between 2024 and 2025 versions")
	}
	if d.OldVersion != old.Version || d.NewVersion != new.Version || old.Version == new.Version {
		t.Errorf("versions %s → %s (corpora %s, %s)", d.OldVersion, d.NewVersion, old.Version, new.Version)
	}
	if got := Diff(new, new); !got.Empty() {
		t.Errorf("diff of a corpus with itself = %s", got)
	}
	if got := Diff(nil, old); len(got.Added) != len(old.Sections()) || got.OldVersion != "" {
		t.Errorf("diff from nothing = %s", got.Summary())
	}
}

// The 2026-01-29 page says ms.date 01/29/2025, a year too early. faqbot
// reports what the page says.
func TestWrongDateIsKept(t *testing.T) {
	c := loadVersion(t, "2026-01-29")
	d := c.Documents[0]
	if d.DateText != "01/29/2025" || d.Date.Format("2006-01-02") != "2025-01-29" {
		t.Errorf("date = %q (%v), want the page's own 01/29/2025", d.DateText, d.Date)
	}
}

func TestEveryVersionParses(t *testing.T) {
	entries, err := os.ReadDir(versionsDir)
	if err != nil {
		t.Skipf("shared FAQ versions not available: %v", err)
	}
	for _, e := range entries {
		c, err := Loader{}.Load(context.Background(), filepath.Join(versionsDir, e.Name()))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if n := len(c.Sections()); n < 12 {
			t.Errorf("%s: %d sections", e.Name(), n)
		}
	}
}
