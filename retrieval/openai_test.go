package retrieval

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/internal/retry"
)

// fakeEmbeddings speaks OpenAI's POST /v1/embeddings. Each vector encodes
// the input's length so tests can check order; fail holds status codes to
// answer before succeeding.
type fakeEmbeddings struct {
	mu       sync.Mutex
	requests []openai.EmbeddingRequest
	headers  []http.Header
	fail     []int
}

func (f *fakeEmbeddings) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	var req struct {
		Input []string `json:"input"`
		Model string   `json:"model"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, openai.EmbeddingRequest{Input: req.Input, Model: openai.EmbeddingModel(req.Model)})
	f.headers = append(f.headers, r.Header.Clone())
	var status int
	if len(f.fail) > 0 {
		status, f.fail = f.fail[0], f.fail[1:]
	}
	f.mu.Unlock()
	if status != 0 {
		w.Header().Set("Retry-After", "0")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(`{"error":{"message":"try later","type":"server_error"}}`))
		return
	}
	type item struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	resp := struct {
		Object string `json:"object"`
		Data   []item `json:"data"`
		Model  string `json:"model"`
	}{Object: "list", Model: req.Model}
	// Answer in reverse order: clients must place vectors by index.
	for i := len(req.Input) - 1; i >= 0; i-- {
		resp.Data = append(resp.Data, item{Object: "embedding", Index: i, Embedding: []float32{float32(len(req.Input[i])), 3, 4}})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

func newTestClient(url string) *openai.Client {
	cfg := openai.DefaultConfig("sk-test")
	cfg.BaseURL = url + "/v1"
	cfg.HTTPClient = &http.Client{Transport: &retry.Transport{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Retries: 2}}
	return openai.NewClientWithConfig(cfg)
}

func TestOpenAIEmbedderBatches(t *testing.T) {
	fake := &fakeEmbeddings{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	e := NewOpenAIEmbedder(newTestClient(srv.URL), "text-embedding-3-small", 2)
	texts := []string{"a", "bb\nline", "ccc", "dddd", "eeeee"}
	vecs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.requests) != 3 {
		t.Fatalf("got %d requests for 5 texts in batches of 2, want 3", len(fake.requests))
	}
	first := fake.requests[0]
	if first.Model != "text-embedding-3-small" || strings.Join(first.Input.([]string), "|") != "a|bb line" {
		t.Errorf("first request = %+v (newlines should be flattened)", first)
	}
	if got := fake.headers[0].Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization = %q", got)
	}
	for i, v := range vecs {
		// Vectors come back normalised and in input order.
		norm := v[0]*v[0] + v[1]*v[1] + v[2]*v[2]
		if norm < 0.999 || norm > 1.001 {
			t.Errorf("vector %d not unit length: %v", i, v)
		}
		wantLen := float32(len(strings.Join(strings.Fields(texts[i]), " ")))
		if ratio := v[0] / v[1]; ratio < wantLen/3-0.01 || ratio > wantLen/3+0.01 {
			t.Errorf("vector %d belongs to another input: %v", i, v)
		}
	}
	if e.Name() != "openai:text-embedding-3-small" {
		t.Errorf("Name = %q", e.Name())
	}
}

func TestOpenAIEmbedderRetriesThenFails(t *testing.T) {
	fake := &fakeEmbeddings{fail: []int{http.StatusTooManyRequests}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	e := NewOpenAIEmbedder(newTestClient(srv.URL), "m", 0)
	if _, err := e.Embed(context.Background(), []string{"x"}); err != nil {
		t.Fatalf("a 429 then success should succeed: %v", err)
	}
	if len(fake.requests) != 2 {
		t.Errorf("got %d requests, want 2 (429, then success)", len(fake.requests))
	}

	fake = &fakeEmbeddings{fail: []int{500, 500, 500, 500}}
	srv2 := httptest.NewServer(fake)
	defer srv2.Close()
	e = NewOpenAIEmbedder(newTestClient(srv2.URL), "m", 0)
	_, err := e.Embed(context.Background(), []string{"x"})
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("repeated 500s: err = %v, want the status surfaced", err)
	}
	if len(fake.requests) != 3 {
		t.Errorf("got %d requests, want 3 (first try and 2 retries)", len(fake.requests))
	}
}
