package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// versionsDir holds dated copies of the FAQ in the shared workspace.
var versionsDir = filepath.Join("..", "..", "..", "shared", "corpus", "versions")

func versionFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(versionsDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("FAQ versions not available (%v); they live in ../shared/corpus/versions", err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func adminRequest(t *testing.T, url, auth, body string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest("POST", url+"/admin/refresh", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	json.NewDecoder(resp.Body).Decode(&raw)
	return resp.StatusCode, raw, resp.Header
}

func TestAdminRefresh(t *testing.T) {
	older := versionFile(t, "transition-faqs@2025-06-04.md")
	newer := versionFile(t, "transition-faqs@2026-01-29.md")
	ctx := context.Background()
	store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{})
	refresher := &bot.IndexRefresher{Corpus: corpus.Loader{}, Index: store, Source: older}
	first, err := refresher.Refresh(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	serving := func() string { return store.Current().Version() }
	mux := http.NewServeMux()
	NewAdmin("s3cret-token", refresher, serving, nil).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, auth := range []string{"", "Bearer wrong", "Bearer s3cret-token-and-more", "Basic s3cret-token", "s3cret-token"} {
		status, body, header := adminRequest(t, srv.URL, auth, "")
		if status != http.StatusUnauthorized || !strings.Contains(string(body), `"error"`) {
			t.Errorf("Authorization %q: status %d body %s, want 401 with a JSON error", auth, status, body)
		}
		if !strings.HasPrefix(header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("Authorization %q: no WWW-Authenticate challenge", auth)
		}
	}
	if serving() != first.NewVersion {
		t.Fatal("an unauthorised request changed the index")
	}

	status, body, _ := adminRequest(t, srv.URL, "Bearer s3cret-token", `{"source": "`+newer+`"}`)
	if status != http.StatusOK {
		t.Fatalf("refresh: status %d body %s", status, body)
	}
	var reply RefreshReply
	if err := json.Unmarshal(body, &reply); err != nil {
		t.Fatal(err)
	}
	if reply.OldVersion != first.NewVersion || reply.NewVersion == first.NewVersion || reply.NewVersion != serving() {
		t.Errorf("versions %s → %s, serving %s; want %s → the new one", reply.OldVersion, reply.NewVersion, serving(), first.NewVersion)
	}
	if reply.Changes.Empty() || !strings.Contains(reply.Summary, "→") {
		t.Errorf("want changes and a summary between two FAQ versions, got %s", body)
	}
	for _, field := range []string{`"added":`, `"removed":`, `"changed":`} {
		if !strings.Contains(string(body), field) || strings.Contains(string(body), field+"null") {
			t.Errorf("reply lacks a %s list: %s", field, body)
		}
	}

	// A broken source fails and the previous index keeps serving.
	for _, bad := range []string{`{"source": "` + filepath.Join(t.TempDir(), "missing.md") + `"}`} {
		status, body, _ = adminRequest(t, srv.URL, "Bearer s3cret-token", bad)
		var e RefreshError
		json.Unmarshal(body, &e)
		if status != http.StatusBadGateway || e.Error == "" || e.ServingVersion != reply.NewVersion {
			t.Errorf("broken source: status %d body %s; want 502 naming the serving version %s", status, body, reply.NewVersion)
		}
		if serving() != reply.NewVersion {
			t.Errorf("broken source replaced the index: serving %s", serving())
		}
	}

	status, body, _ = adminRequest(t, srv.URL, "Bearer s3cret-token", `{"source": `)
	if status != http.StatusBadRequest {
		t.Errorf("bad JSON: status %d body %s, want 400", status, body)
	}

	// No body refreshes the configured source.
	status, body, _ = adminRequest(t, srv.URL, "bearer s3cret-token", "")
	if status != http.StatusOK || serving() != first.NewVersion {
		t.Errorf("refresh configured source: status %d body %s; serving %s, want %s", status, body, serving(), first.NewVersion)
	}
}

func TestAdminAbsentWithoutToken(t *testing.T) {
	mux := http.NewServeMux()
	NewAdmin("", nil, func() string { return "" }, nil).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	status, _, _ := adminRequest(t, srv.URL, "Bearer anything", "")
	if status != http.StatusNotFound {
		t.Fatalf("status %d, want 404 when FAQBOT_ADMIN_TOKEN is unset", status)
	}
}
