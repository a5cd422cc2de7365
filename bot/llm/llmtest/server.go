// Package llmtest runs a local server that speaks OpenAI's wire format
// (chat completions and embeddings, on OpenAI's and on Azure's paths), for
// tests that exercise go-openai over real HTTP.
package llmtest

import (
	"encoding/json"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/internal/retry"
)

// Reply is how the server answers one chat completion.
type Reply struct {
	// Status is the HTTP status (200 when zero).
	Status int
	// Header is added to the response, e.g. Retry-After.
	Header map[string]string
	// Content is the assistant's message; Body, when set, is sent instead of
	// a well-formed completion.
	Content string
	Body    string
	// Hang holds the response until the client gives up.
	Hang bool
	// Chunks are the pieces a streamed completion (stream: true) sends
	// Content in, one server-sent event each; Content split after each
	// space when nil. FailAfter > 0 drops the connection after that many
	// chunks.
	Chunks    []string
	FailAfter int
}

// Answer is a successful completion saying content.
func Answer(content string) Reply { return Reply{Content: content} }

// Call is one request the server received.
type Call struct {
	Path     string
	RawQuery string
	Header   http.Header
	// Chat is the decoded request of a chat completion.
	Chat openai.ChatCompletionRequest
	// Embed is the number of inputs of an embeddings request (0 for chat).
	Embed int
}

// System and User return the chat request's system and last user message.
func (c Call) System() string { return c.message(openai.ChatMessageRoleSystem) }
func (c Call) User() string   { return c.message(openai.ChatMessageRoleUser) }

func (c Call) message(role string) string {
	out := ""
	for _, m := range c.Chat.Messages {
		if m.Role == role {
			out = m.Content
		}
	}
	return out
}

// Server is a fake OpenAI API. chat decides each completion's reply from its
// position (0 for the first chat call) and request.
type Server struct {
	*httptest.Server
	chat    func(n int, req openai.ChatCompletionRequest) Reply
	closing chan struct{}

	mu    sync.Mutex
	calls []Call
	chats int
}

// NewServer starts a server that is closed when the test ends.
func NewServer(t testing.TB, chat func(n int, req openai.ChatCompletionRequest) Reply) *Server {
	s := &Server{chat: chat, closing: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	// Cleanups run last-in first-out: release hung requests, then close.
	t.Cleanup(func() { close(s.closing) })
	return s
}

// BaseURL is the server's OpenAI-style base URL (…/v1).
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Calls returns every request received so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// ChatCalls returns the chat completion requests received so far.
func (s *Server) ChatCalls() []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Embed == 0 {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := Call{Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone()}
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/embeddings"):
		var req struct {
			Input []string `json:"input"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		call.Embed = len(req.Input)
		s.record(call)
		writeEmbeddings(w, req.Input)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/chat/completions"):
		if err := json.Unmarshal(body, &call.Chat); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n := s.record(call)
		rep := Reply{Status: http.StatusNotFound}
		if s.chat != nil {
			rep = s.chat(n, call.Chat)
		}
		s.reply(w, r, call.Chat, rep)
	default:
		http.NotFound(w, r)
	}
}

// record stores a call and returns its position among chat calls.
func (s *Server) record(c Call) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	if c.Embed > 0 {
		return -1
	}
	s.chats++
	return s.chats - 1
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, req openai.ChatCompletionRequest, rep Reply) {
	if rep.Hang {
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		return
	}
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	if rep.Body != "" {
		w.WriteHeader(status)
		io.WriteString(w, rep.Body)
		return
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
		io.WriteString(w, `{"error":{"message":"`+http.StatusText(status)+`","type":"server_error","code":null}}`)
		return
	}
	if req.Stream {
		s.stream(w, req, rep)
		return
	}
	json.NewEncoder(w).Encode(openai.ChatCompletionResponse{
		ID:      "chatcmpl-test",
		Object:  "chat.completion",
		Created: time.Now().Unix(),
		Model:   req.Model,
		Choices: []openai.ChatCompletionChoice{{
			Message:      openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: rep.Content},
			FinishReason: openai.FinishReasonStop,
		}},
	})
}

// embedDims is the size of the fake embeddings: hashed bags of words, so
// texts sharing words are similar, as with a real model.
const embedDims = 256

func writeEmbeddings(w http.ResponseWriter, input []string) {
	resp := openai.EmbeddingResponse{Object: "list", Model: "test-embedding"}
	for i, text := range input {
		v := make([]float32, embedDims)
		for _, word := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			h := fnv.New32a()
			h.Write([]byte(word))
			v[h.Sum32()%embedDims]++
		}
		v[0] += 0.01 // never the zero vector
		resp.Data = append(resp.Data, openai.Embedding{Object: "embedding", Embedding: v, Index: i})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// Transport retries like production but with millisecond backoffs, so tests
// of retries stay fast.
func Transport(retries int) *retry.Transport {
	return &retry.Transport{Retries: retries, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
}

// Client returns a go-openai client for baseURL (use Server.BaseURL) whose
// HTTP client retries through t.
func Client(baseURL string, t *retry.Transport) *openai.Client {
	cfg := openai.DefaultConfig("test-key")
	cfg.BaseURL = baseURL
	cfg.HTTPClient = &http.Client{Transport: t}
	return openai.NewClientWithConfig(cfg)
}

// stream answers a streamed completion as OpenAI does: server-sent events
// of chat.completion.chunk objects, then "data: [DONE]".
func (s *Server) stream(w http.ResponseWriter, req openai.ChatCompletionRequest, rep Reply) {
	chunks := rep.Chunks
	if chunks == nil {
		chunks = strings.SplitAfter(rep.Content, " ")
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(delta openai.ChatCompletionStreamChoiceDelta, finish openai.FinishReason) {
		b, _ := json.Marshal(openai.ChatCompletionStreamResponse{
			ID: "chatcmpl-test", Object: "chat.completion.chunk", Created: time.Now().Unix(), Model: req.Model,
			Choices: []openai.ChatCompletionStreamChoice{{Delta: delta, FinishReason: finish}},
		})
		io.WriteString(w, "data: "+string(b)+"\n\n")
		if flusher != nil {
			flusher.Flush()
		}
	}
	send(openai.ChatCompletionStreamChoiceDelta{Role: openai.ChatMessageRoleAssistant}, "")
	for i, c := range chunks {
		if rep.FailAfter > 0 && i == rep.FailAfter {
			panic(http.ErrAbortHandler) // the connection drops mid-answer
		}
		send(openai.ChatCompletionStreamChoiceDelta{Content: c}, "")
	}
	send(openai.ChatCompletionStreamChoiceDelta{}, openai.FinishReasonStop)
	io.WriteString(w, "data: [DONE]\n\n")
}
