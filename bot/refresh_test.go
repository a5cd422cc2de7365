package bot_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

// indexed records what a refresh would have made the serving corpus.
type indexed struct{ loaded []*corpus.Corpus }

func (ix *indexed) Load(_ context.Context, c *corpus.Corpus) (corpus.Changes, error) {
	ix.loaded = append(ix.loaded, c)
	return corpus.Changes{NewVersion: c.Version}, nil
}

// fetcher stands in for the allow-listed URL loader.
type fetcher struct{ asked []string }

func (f *fetcher) Load(_ context.Context, source string) (*corpus.Corpus, error) {
	f.asked = append(f.asked, source)
	return corpus.Default()
}

const page = "---\ntitle: FAQ\n---\n# FAQ\n\n## What changes?\n\nEverything.\n"

func write(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRefreshSources(t *testing.T) {
	root := t.TempDir()
	folder := filepath.Join(root, "faq")
	configured := write(t, filepath.Join(folder, "transition-faqs.md"), page)
	newer := write(t, filepath.Join(folder, "transition-faqs@2026-01-29.md"), page+"\n## New?\n\nYes.\n")
	guides := filepath.Join(root, "guides")
	write(t, filepath.Join(guides, "guide.md"), page)
	nested := write(t, filepath.Join(guides, "older", "guide@2025-01-01.md"), page)
	secret := write(t, filepath.Join(root, "private", "internal.md"), "# Internal\n\n## Salaries\n\nSecret.\n")
	link := filepath.Join(folder, "shortcut.md")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		configured string
		source     string
		allowed    bool
		fetched    bool
	}{
		{"the configured corpus", configured, "", true, false},
		{"the configured corpus by name", configured, configured, true, false},
		{"a file beside the configured one", configured, newer, true, false},
		{"a file below the configured folder", guides, nested, true, false},
		{"the configured folder", guides, guides, true, false},
		{"a missing file inside the folder (the loader says so)", configured, filepath.Join(folder, "gone.md"), false, false},
		{"a file outside the folder", configured, secret, false, false},
		{"a way out with ..", configured, filepath.Join(folder, "..", "private", "internal.md"), false, false},
		{"a symbolic link out of the folder", configured, link, false, false},
		{"a file when the corpus is embedded", "", secret, false, false},
		{"a file when the corpus is a URL", "https://learn.microsoft.com/faq.md", filepath.Join(folder, "transition-faqs.md"), false, false},
		{"a URL, through the allow-listed loader", configured, "https://learn.microsoft.com/x/transition-faqs.md", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, f := &indexed{}, &fetcher{}
			r := &bot.IndexRefresher{Corpus: corpus.Loader{}, Fetch: f, Index: ix, Source: tt.configured}
			_, err := r.Refresh(context.Background(), tt.source)
			if tt.allowed != (err == nil) {
				t.Fatalf("Refresh(%q) = %v, want allowed %v", tt.source, err, tt.allowed)
			}
			if (len(f.asked) > 0) != tt.fetched {
				t.Errorf("the URL loader was asked for %v", f.asked)
			}
			if err == nil {
				return
			}
			if len(ix.loaded) != 0 {
				t.Errorf("a refused refresh indexed %s", ix.loaded[0].Source)
			}
			if tt.source == secret || tt.source == link || strings.Contains(tt.source, "..") {
				if !errors.Is(err, bot.ErrSourceRefused) {
					t.Errorf("error %v is not ErrSourceRefused", err)
				}
			}
		})
	}
}

func TestRefreshWithoutAFetcherRefusesURLs(t *testing.T) {
	ix := &indexed{}
	r := &bot.IndexRefresher{Corpus: corpus.Loader{}, Index: ix}
	_, err := r.Refresh(context.Background(), "http://127.0.0.1:1/internal.md")
	if !errors.Is(err, bot.ErrSourceRefused) || len(ix.loaded) != 0 {
		t.Errorf("err %v, indexed %d", err, len(ix.loaded))
	}
}
