package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/teams/teamstest"
)

const (
	testAppID    = "8b2f4c1e-5a6d-4e3f-9b7c-0d1e2f3a4b5c"
	testPassword = "app-password-not-a-real-secret~1234"
	testTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testBotID    = "28:" + testAppID
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// botEnv is a Bot behind a local server, with Microsoft's side faked.
type botEnv struct {
	t           testing.TB
	idp         *teamstest.Identity
	conn        *teamstest.Connector
	key         teamstest.Key // published, endorsed for msteams
	clock       *testClock
	bot         *Bot
	url         string
	asker       *spy
	logs        *logBuffer
	feedback    *MemoryFeedback
	escalations *MemoryEscalations
	history     *notifyingHistory
}

// notifyingHistory is a MemoryHistory that tells tests when the bot has
// recorded an answer: it does so right after posting it, so a click on the
// answer can otherwise overtake the record.
type notifyingHistory struct {
	*MemoryHistory
	recorded chan Exchange
}

func (h *notifyingHistory) Record(ctx context.Context, e Exchange) error {
	err := h.MemoryHistory.Record(ctx, e)
	select {
	case h.recorded <- e:
	default: // nobody is waiting for this many
	}
	return err
}

// newBotEnv starts a bot answering from the embedded FAQ, offline. mod
// changes its options before it is made.
func newBotEnv(t testing.TB, mod func(*BotOptions)) *botEnv {
	t.Helper()
	e := &botEnv{
		t:           t,
		idp:         teamstest.NewIdentity(t, testAppID, testPassword, testTenant),
		conn:        teamstest.NewConnector(t),
		key:         teamstest.NewKey(t, 0, "bf-key-1"),
		clock:       &testClock{now: time.Now()},
		asker:       &spy{next: newBot(t, bot.Options{})},
		logs:        &logBuffer{},
		feedback:    &MemoryFeedback{},
		escalations: NewMemoryEscalations(),
		history:     &notifyingHistory{MemoryHistory: NewMemoryHistory(), recorded: make(chan Exchange, 100)},
	}
	e.idp.Publish(e.key.JWK("msteams", "skype"))
	opts := BotOptions{
		AppID:             testAppID,
		AppPassword:       testPassword,
		TenantID:          testTenant,
		OpenIDMetadataURL: e.idp.MetadataURL(),
		TokenURL:          e.idp.TokenURL(),
		Asker:             e.asker,
		Feedback:          e.feedback,
		Escalations:       e.escalations,
		History:           e.history,
		Clock:             e.clock.Now,
		Logger:            newLogger(e.logs),
	}
	if mod != nil {
		mod(&opts)
	}
	b, err := NewBot(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.bot = b
	mux := http.NewServeMux()
	mux.Handle("POST "+BotPath, b)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := b.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
		srv.Close()
	})
	e.url = srv.URL + BotPath
	return e
}

// activity reads a fixture and points it at the fake connector.
func (e *botEnv) activity(name string) map[string]any {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		e.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		e.t.Fatal(err)
	}
	m["serviceUrl"] = e.conn.ServiceURL()
	return m
}

// bearer is a valid Authorization header for activities at the fake
// connector.
func (e *botEnv) bearer() string {
	return "Bearer " + e.key.Sign(e.t, teamstest.ConnectorClaims(testAppID, e.conn.ServiceURL(), e.clock.Now()))
}

type botResponse struct {
	status int
	body   []byte
}

// send posts act as the Bot Connector does, with auth as the
// Authorization header (none when empty).
func (e *botEnv) send(act map[string]any, auth string) botResponse {
	e.t.Helper()
	body, err := json.Marshal(act)
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return botResponse{status: resp.StatusCode, body: data}
}

// ask sends a personal-chat question with a fresh activity id and waits for
// the answer; it returns the answer's post.
func (e *botEnv) ask(id, text string) teamstest.Post {
	e.t.Helper()
	act := e.activity("bot-personal.json")
	act["id"], act["text"] = id, text
	if r := e.send(act, e.bearer()); r.status != http.StatusOK {
		e.t.Fatalf("status %d: %s", r.status, r.body)
	}
	posts := e.conn.WaitFor(e.t, "the answer to "+id, func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, id) != nil })
	return *teamstest.ReplyTo(posts, id)
}

// answered is ask for a question the bot answers: it also waits until the
// answer is recorded, as it is a moment after it is teamstest.Post.
func (e *botEnv) answered(id, text string) teamstest.Post {
	e.t.Helper()
	p := e.ask(id, text)
	e.waitRecorded(id)
	return p
}

// waitRecorded waits until the bot has recorded its answer to question id.
func (e *botEnv) waitRecorded(id string) {
	e.t.Helper()
	limit := time.After(20 * time.Second)
	for {
		select {
		case ex := <-e.history.recorded:
			if ex.QuestionID == id {
				return
			}
		case <-limit:
			e.t.Fatalf("the answer to %s was never recorded", id)
		}
	}
}

// claimsWith returns valid connector claims changed by mod.
func (e *botEnv) claimsWith(mod func(jwt.MapClaims)) jwt.MapClaims {
	c := teamstest.ConnectorClaims(testAppID, e.conn.ServiceURL(), e.clock.Now())
	mod(c)
	return c
}

// gate is an Asker that waits for the test before answering.
type gate struct {
	next    bot.Asker
	release chan struct{}
	entered chan struct{}
}

func (g *gate) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	g.entered <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return bot.Answer{}, ctx.Err()
	}
	return g.next.Ask(ctx, q)
}
