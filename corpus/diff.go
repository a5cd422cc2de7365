package corpus

import (
	"fmt"
	"strings"
)

// Change names one section in a diff.
type Change struct {
	Document string `json:"document"`
	Anchor   string `json:"anchor"`
	Title    string `json:"title"`
}

// Changes is what changed between two corpus versions, by document and anchor.
type Changes struct {
	OldVersion string   `json:"old_version"`
	NewVersion string   `json:"new_version"`
	Added      []Change `json:"added"`
	Removed    []Change `json:"removed"`
	Changed    []Change `json:"changed"`
}

// Manifest is what a diff needs to remember of a corpus: its version and
// each section's key, title and content hash. It is small and JSON-friendly,
// so an index can store it and report changes across restarts.
type Manifest struct {
	Version  string          `json:"version"`
	Source   string          `json:"source"`
	Sections []ManifestEntry `json:"sections"`
}

// ManifestEntry is one section in a Manifest.
type ManifestEntry struct {
	Document string `json:"document"`
	Anchor   string `json:"anchor"`
	Title    string `json:"title"`
	Hash     string `json:"hash"`
}

// Manifest summarises c for later diffs.
func (c *Corpus) Manifest() Manifest {
	m := Manifest{Version: c.Version, Source: c.Source}
	for _, s := range c.Sections() {
		m.Sections = append(m.Sections, ManifestEntry{Document: s.Document, Anchor: s.Anchor, Title: s.Title, Hash: s.Hash})
	}
	return m
}

// Diff reports the sections added, removed and changed from old to new, by
// document and anchor. A nil old corpus means everything in new is added.
func Diff(old, new *Corpus) Changes {
	var before *Manifest
	if old != nil {
		m := old.Manifest()
		before = &m
	}
	return DiffManifests(before, new.Manifest())
}

// DiffManifests is Diff over manifests; old may be nil.
func DiffManifests(old *Manifest, new Manifest) Changes {
	d := Changes{NewVersion: new.Version}
	before := map[string]ManifestEntry{}
	if old != nil {
		d.OldVersion = old.Version
		for _, e := range old.Sections {
			before[e.key()] = e
		}
	}
	seen := map[string]bool{}
	for _, e := range new.Sections {
		seen[e.key()] = true
		prev, ok := before[e.key()]
		switch {
		case !ok:
			d.Added = append(d.Added, e.change())
		case prev.Hash != e.Hash:
			d.Changed = append(d.Changed, e.change())
		}
	}
	if old != nil {
		for _, e := range old.Sections {
			if !seen[e.key()] {
				d.Removed = append(d.Removed, e.change())
			}
		}
	}
	return d
}

func (e ManifestEntry) key() string { return e.Document + "#" + e.Anchor }

func (e ManifestEntry) change() Change {
	return Change{Document: e.Document, Anchor: e.Anchor, Title: e.Title}
}

// Empty reports whether nothing changed.
func (d Changes) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// Summary is a one-line account such as
// "corpus 1a2b… → 3c4d…: 2 added, 1 changed, 0 removed".
func (d Changes) Summary() string {
	old := d.OldVersion
	if old == "" {
		old = "none"
	}
	return fmt.Sprintf("corpus %s → %s: %d added, %d changed, %d removed",
		old, d.NewVersion, len(d.Added), len(d.Changed), len(d.Removed))
}

// String lists every change under the summary, one per line.
func (d Changes) String() string {
	var b strings.Builder
	b.WriteString(d.Summary())
	for _, group := range []struct {
		sign    string
		changes []Change
	}{{"+", d.Added}, {"~", d.Changed}, {"-", d.Removed}} {
		for _, c := range group.changes {
			fmt.Fprintf(&b, "\n  %s %s#%s  %s", group.sign, c.Document, c.Anchor, c.Title)
		}
	}
	return b.String()
}
