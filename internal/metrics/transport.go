package metrics

import (
	"fmt"
	"net/http"
	"strings"
)

// ModelTransport counts the requests an OpenAI-compatible client makes:
// chat completions as LLM calls, embeddings as embedding calls. Put it
// outside the retrying transport so that one call is one logical request
// and a failure is one that retries could not save.
func ModelTransport(next http.RoundTripper, m *Metrics) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &modelTransport{next: next, m: m}
}

type modelTransport struct {
	next http.RoundTripper
	m    *Metrics
}

func (t *modelTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	failure := err
	if err == nil && resp.StatusCode >= 400 {
		failure = fmt.Errorf("status %d", resp.StatusCode)
	}
	// Azure puts the deployment in the path (/openai/deployments/NAME/
	// chat/completions), so match on the suffix.
	switch p := req.URL.Path; {
	case strings.HasSuffix(p, "/chat/completions"):
		t.m.LLMCall(failure)
	case strings.HasSuffix(p, "/embeddings"):
		t.m.EmbeddingCall(failure)
	}
	return resp, err
}
