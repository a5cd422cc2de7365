package teams

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// testToken is a security token as Teams shows it when an outgoing webhook
// is created: base64 of 32 random bytes (made once with
// `head -c 32 /dev/urandom | base64`).
const testToken = "lzU7ZsEmIyWU5ZeDdDiwfqPZnS17YpY+THMtfGdabIQ="

// fixtures are request bodies shaped like those Teams sends, with the
// Authorization header Teams would send for them under testToken. The
// headers were computed outside Go, over the exact bytes of each file:
//
//	TOKEN='lzU7ZsEmIyWU5ZeDdDiwfqPZnS17YpY+THMtfGdabIQ='
//	KEY=$(printf '%s' "$TOKEN" | base64 -d | xxd -p -c 256)
//	openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY -binary < testdata/question.json | base64
//
// If a fixture changes (even its final newline), recompute its header.
var fixtures = map[string]string{
	"question.json":  "HMAC EZzh5tESH3E4BWn9UUj1Fnlm5bDHrCjl/SSI2yw7dEY=",
	"extension.json": "HMAC fs32oyz1xnyUp1pILsl2sgmgGakfQ1Yj4OHABgncXOY=",
}

func testKey(t *testing.T) []byte {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(testToken)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// sign builds the header as Teams does. TestSignMatchesOpenSSL checks it
// against the independently computed fixture headers before other tests
// rely on it for bodies they make up.
func sign(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return "HMAC " + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// activityBody is a minimal activity asking text, as Teams would send it.
func activityBody(t *testing.T, text string) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"type": "message",
		"text": text,
		"from": map[string]any{"id": "29:1xyz", "name": "Alex Wilber", "aadObjectId": "aad-alex"},
		"entities": []any{map[string]any{
			"type": "mention", "text": "<at>FAQ Bot</at>",
			"mentioned": map[string]any{"id": "28:faq-bot", "name": "FAQ Bot"},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// newBot is the real bot over the embedded FAQ, offline.
func newBot(t testing.TB, opts bot.Options) *bot.Bot {
	t.Helper()
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{})
	if _, err := store.Load(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(store, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// spy records what an Asker was asked and answered.
type spy struct {
	next bot.Asker

	mu       sync.Mutex
	asked    []bot.Question
	answered []bot.Answer
}

func (s *spy) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	a, err := s.next.Ask(ctx, q)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, q)
	if err == nil {
		s.answered = append(s.answered, a)
	}
	return a, err
}

func (s *spy) questions() []bot.Question {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.Question(nil), s.asked...)
}

func (s *spy) answers() []bot.Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.Answer(nil), s.answered...)
}

// serve runs h on a local server and returns the URL of /teams/messages.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("POST "+Path, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + Path
}

type response struct {
	status int
	header http.Header
	body   []byte
	msg    message
}

// post sends body as Teams does, with auth as the Authorization header
// (none when empty).
func post(t *testing.T, url string, body []byte, auth string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: data}
	// A replay is acknowledged with nothing to post.
	if resp.StatusCode == http.StatusOK && len(data) > 0 {
		if err := json.Unmarshal(data, &r.msg); err != nil {
			t.Fatalf("reply is not JSON: %v\n%s", err, data)
		}
		if r.msg.Type != "message" {
			t.Fatalf("reply type = %q, want message", r.msg.Type)
		}
	}
	return r
}

// logBuffer collects JSON log lines; the handler logs from goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records returns the log lines as decoded JSON objects.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(b.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, line)
		}
		out = append(out, m)
	}
	return out
}

func newLogger(b *logBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
