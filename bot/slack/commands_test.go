package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// command posts a signed slash command and returns the immediate reply.
func (fx *fixture) command(t *testing.T, user, command, text string) commandReply {
	t.Helper()
	form := url.Values{
		"token": {"x"}, "team_id": {"T1"}, "channel_id": {"C1"}, "channel_name": {"general"},
		"user_id": {user}, "user_name": {"someone"}, "command": {command}, "text": {text},
		"response_url": {fx.slack.responseURL()}, "trigger_id": {"trig-" + user + command + text},
	}
	body := form.Encode()
	req, _ := http.NewRequest(http.MethodPost, fx.http.URL+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	signed(req.Header, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var r commandReply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	fx.app.Wait()
	return r
}

// responses returns what was posted to response URLs.
func (fx *fixture) responses(t *testing.T) []slack.WebhookMessage {
	t.Helper()
	var out []slack.WebhookMessage
	for _, c := range fx.slack.callsTo("response_url") {
		var m slack.WebhookMessage
		if err := json.Unmarshal(c.Body, &m); err != nil {
			t.Fatalf("response_url body %s: %v", c.Body, err)
		}
		out = append(out, m)
	}
	return out
}

func TestFAQCommandAnswersInChannelWithCitations(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	r := fx.command(t, "U123", "/faq", "What happens to my segments after the transition?")
	if r.ResponseType != "in_channel" || r.Text != "" {
		t.Errorf("immediate reply %+v", r)
	}
	resps := fx.responses(t)
	if len(resps) != 1 {
		t.Fatalf("want 1 response, got %d", len(resps))
	}
	m := resps[0]
	if m.ResponseType != "in_channel" || !strings.Contains(m.Text, "1. <https://learn.microsoft.com/") {
		t.Errorf("response %s %q", m.ResponseType, m.Text)
	}
	raw, _ := json.Marshal(m.Blocks)
	if !strings.Contains(string(raw), `\u003c@U123\u003e asked: What happens to my segments`) {
		t.Errorf("blocks do not say who asked what: %s", raw)
	}
	if n := len(fx.slack.callsTo("chat.postMessage")); n != 0 {
		t.Errorf("/faq posted %d messages besides the response", n)
	}

	empty := fx.command(t, "U123", "/faq", "  ")
	if empty.ResponseType != "ephemeral" || !strings.Contains(empty.Text, "Usage") {
		t.Errorf("empty /faq reply %+v", empty)
	}
}

func TestFAQCommandEscalates(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	fx.command(t, "U123", "/faq", "Can we get an extension to the outbound marketing removal date?")
	esc := fx.slack.postsTo(escalations)
	if len(esc) != 1 || !strings.Contains(esc[0].Form.Get("text"), "asked with `/faq` in <#C1>") {
		t.Fatalf("escalation %v", esc)
	}
	resps := fx.responses(t)
	if len(resps) != 1 || !strings.Contains(resps[0].Text, "passed your question to the team") {
		t.Errorf("responses %+v", resps)
	}
}

// versions is where the FAQ's published versions are kept for tests.
func versions(t *testing.T) string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "versions")
	if _, err := os.Stat(filepath.Join(dir, "transition-faqs@2026-01-29.md")); err != nil {
		t.Skipf("FAQ versions not available (%v): run inside the faqbot workspace with shared/ beside the repo", err)
	}
	return dir
}

func TestRefreshCommand(t *testing.T) {
	dir := versions(t)
	older := filepath.Join(dir, "transition-faqs@2025-06-04.md")
	newer := filepath.Join(dir, "transition-faqs@2026-01-29.md")
	ctx := context.Background()
	store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{})
	refresher := &bot.IndexRefresher{Corpus: corpus.Loader{}, Index: store, Source: older}
	if _, err := refresher.Refresh(ctx, ""); err != nil {
		t.Fatal(err)
	}
	before := store.Current().Version()
	b, err := bot.New(store, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t, b, func(o *Options) { o.Refresher = refresher })

	t.Run("non-admin is refused", func(t *testing.T) {
		r := fx.command(t, "U123", "/faq-refresh", newer)
		if r.ResponseType != "ephemeral" || !strings.Contains(r.Text, "only faqbot admins") {
			t.Errorf("reply %+v", r)
		}
		if got := store.Current().Version(); got != before {
			t.Errorf("version changed to %s", got)
		}
		if n := len(fx.responses(t)); n != 0 {
			t.Errorf("%d responses", n)
		}
	})
	t.Run("broken source keeps the old version", func(t *testing.T) {
		r := fx.command(t, admin, "/faq-refresh", filepath.Join(dir, "no-such-faq.md"))
		if r.ResponseType != "ephemeral" || !strings.Contains(r.Text, "Refreshing") {
			t.Errorf("reply %+v", r)
		}
		resps := fx.responses(t)
		if len(resps) != 1 || !strings.Contains(resps[0].Text, "Refresh failed") || !strings.Contains(resps[0].Text, "no-such-faq.md") {
			t.Fatalf("responses %+v", resps)
		}
		if got := store.Current().Version(); got != before {
			t.Errorf("version changed to %s", got)
		}
	})
	t.Run("admin swaps to the new version", func(t *testing.T) {
		fx.command(t, admin, "/faq-refresh", newer)
		after := store.Current().Version()
		if after == before {
			t.Fatal("version did not change")
		}
		resps := fx.responses(t)
		text := resps[len(resps)-1].Text
		want := corpus.Diff(loadCorpus(t, older), loadCorpus(t, newer))
		for _, s := range []string{
			"FAQ refreshed:", "`" + before + "` → `" + after + "`",
			itoa(len(want.Added)) + " added", itoa(len(want.Changed)) + " changed", itoa(len(want.Removed)) + " removed",
		} {
			if !strings.Contains(text, s) {
				t.Errorf("report lacks %q:\n%s", s, text)
			}
		}
		if want.Empty() {
			t.Fatal("test versions are identical")
		}
		if len(want.Added) > 0 && !strings.Contains(text, escape(want.Added[0].Title)) {
			t.Errorf("report does not list %q:\n%s", want.Added[0].Title, text)
		}
	})
}

func loadCorpus(t *testing.T, path string) *corpus.Corpus {
	c, err := corpus.Loader{}.Load(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestUnknownCommandAndNoRefresher(t *testing.T) {
	fx := newFixture(t, &fakeAsker{}, nil)
	if r := fx.command(t, "U123", "/weather", ""); r.ResponseType != "ephemeral" || !strings.Contains(r.Text, "/weather") {
		t.Errorf("unknown command reply %+v", r)
	}
	if r := fx.command(t, admin, "/faq-refresh", ""); !strings.Contains(r.Text, "isn't set up") {
		t.Errorf("refresh without refresher %+v", r)
	}
}

func TestRefreshCommandHidesSourceCredentials(t *testing.T) {
	ix := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{})
	// The real refresher: a URL it may not fetch is refused, and whatever
	// it says names the source only as redact.URL shows it.
	refresher := &bot.IndexRefresher{Corpus: corpus.Loader{}, Index: ix}
	fx := newFixture(t, &fakeAsker{}, func(o *Options) { o.Refresher = refresher })
	source := "https://admin:pw-s3cret@docs.example.com/faq.md?token=tok-s3cret"
	r := fx.command(t, admin, "/faq-refresh", source)
	if !strings.Contains(r.Text, "https://docs.example.com/faq.md?REDACTED") {
		t.Errorf("reply %q does not name the source redacted", r.Text)
	}
	resps := fx.responses(t)
	if len(resps) != 1 || !strings.Contains(resps[0].Text, "Refresh failed") || !strings.Contains(resps[0].Text, "refused") {
		t.Fatalf("responses %+v", resps)
	}
	for name, text := range map[string]string{"reply": r.Text, "response": resps[0].Text, "logs": fx.logs.String()} {
		if strings.Contains(text, "s3cret") {
			t.Errorf("the %s shows a credential: %s", name, text)
		}
	}
}

func TestFAQCommandWithoutTriggerIDAnsweredOnce(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	command := func(text string) string {
		return url.Values{
			"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U123"}, "command": {"/faq"}, "text": {text},
			"response_url": {fx.slack.responseURL() + "/" + text[:4]},
		}.Encode()
	}
	replayed := command("What happens to my segments after the transition?")
	for i := range 3 {
		if code := fx.send(t, "/slack/commands", "application/x-www-form-urlencoded", replayed, nil); code != http.StatusOK {
			t.Fatalf("delivery %d: status %d", i+1, code)
		}
	}
	if n := len(fx.responses(t)); n != 1 {
		t.Errorf("one signed /faq sent three times got %d answers, want 1", n)
	}
	fx.send(t, "/slack/commands", "application/x-www-form-urlencoded", command("When will outbound marketing be removed?"), nil)
	if n := len(fx.responses(t)); n != 2 {
		t.Errorf("another /faq got no answer: %d answers in all, want 2", n)
	}
}
