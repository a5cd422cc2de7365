package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/store"
)

// slackWorkspace is what a test needs to talk to `faqbot serve` as Slack
// does: the fake Web API and the signing secret.
type slackWorkspace struct {
	t      *testing.T
	fake   *fakeSlackAPI
	api    *httptest.Server
	secret string
}

func newSlackWorkspace(t *testing.T) *slackWorkspace {
	fake := &fakeSlackAPI{got: make(chan struct{}, 64)}
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	return &slackWorkspace{t: t, fake: fake, api: api, secret: "records-signing-secret"}
}

func (w *slackWorkspace) env() map[string]string {
	return map[string]string{"SLACK_BOT_TOKEN": "xoxb-local", "SLACK_SIGNING_SECRET": w.secret,
		"SLACK_API_URL": w.api.URL + "/", "SLACK_ESCALATION_CHANNEL": "CESC"}
}

// send posts a signed request to one of serve's Slack endpoints.
func (w *slackWorkspace) send(base, path, contentType, body string, header ...string) reply {
	w.t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	h := append([]string{"Content-Type", contentType, "X-Slack-Request-Timestamp", ts, "X-Slack-Signature", slackSign(w.secret, ts, body)}, header...)
	return do(w.t, "POST", base+path, body, h...)
}

// mention sends an app_mention event.
func (w *slackWorkspace) mention(base, eventID, ts, text string, header ...string) {
	w.t.Helper()
	body := fmt.Sprintf(`{"type":"event_callback","event_id":%q,"event":{"type":"app_mention","user":"U123","channel":"C1","ts":%q,"text":%q}}`, eventID, ts, "<@UBOT> "+text)
	if r := w.send(base, "/slack/events", "application/json", body, header...); r.status != http.StatusOK {
		w.t.Fatalf("event %s: status %d: %s", eventID, r.status, r.body)
	}
}

// postsIn returns the messages posted to a channel and thread.
func (w *slackWorkspace) postsIn(channel, thread string) []url.Values {
	w.fake.mu.Lock()
	defer w.fake.mu.Unlock()
	var out []url.Values
	for _, p := range w.fake.posts {
		if p.Get("channel") == channel && p.Get("thread_ts") == thread {
			out = append(out, p)
		}
	}
	return out
}

// waitPost waits for the first message posted to a channel and thread.
func (w *slackWorkspace) waitPost(channel, thread string) url.Values {
	w.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		if posts := w.postsIn(channel, thread); len(posts) > 0 {
			return posts[0]
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("nothing posted to %s/%s", channel, thread)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// click presses a button of an answer that Slack shows as message ts.
func (w *slackWorkspace) click(base string, answer url.Values, ts, user, action string) reply {
	w.t.Helper()
	req, err := w.clickRequest(base, answer, ts, user, action)
	if err != nil {
		w.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, body}
}

// clickRequest is the signed request Slack sends when user presses the
// action button of an answer shown as message ts.
func (w *slackWorkspace) clickRequest(base string, answer url.Values, ts, user, action string) (*http.Request, error) {
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(answer.Get("blocks")), &blocks); err != nil {
		return nil, fmt.Errorf("answer blocks: %w", err)
	}
	value := ""
	for _, b := range blocks {
		if b["type"] == "actions" {
			for _, e := range b["elements"].([]any) {
				value = e.(map[string]any)["value"].(string)
			}
		}
	}
	if value == "" {
		return nil, fmt.Errorf("the answer has no buttons: %s", answer.Get("blocks"))
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "channel": map[string]any{"id": answer.Get("channel")},
		"container": map[string]any{"type": "message", "message_ts": ts, "channel_id": answer.Get("channel")},
		"message":   map[string]any{"ts": ts, "text": answer.Get("text"), "blocks": blocks}, "response_url": w.api.URL + "/respond",
		"actions": []any{map[string]any{"action_id": action, "block_id": "faqbot_feedback", "value": value, "type": "button"}},
	})
	body := url.Values{"payload": {string(payload)}}.Encode()
	req, err := http.NewRequest("POST", base+"/slack/interactions", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts = strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackSign(w.secret, ts, body))
	return req, nil
}

const recordsToken = "records-ADMIN-token"

// adminGet fetches an admin API with the token.
func adminGet(t *testing.T, base, path string, p bot.Period) reply {
	t.Helper()
	q := url.Values{"from": {p.From.Format(time.RFC3339)}, "to": {p.To.Format(time.RFC3339)}}
	r := do(t, "GET", base+path+"?"+q.Encode(), "", "Authorization", "Bearer "+recordsToken)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	return r
}

func TestServeRecordsEveryTransportAndRemembersAfterARestart(t *testing.T) {
	slack := newSlackWorkspace(t)
	var mu sync.Mutex
	var cards int
	workflow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		cards++
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer workflow.Close()
	teamsToken := "dGVhbXMtb3V0Z29pbmctd2ViaG9vay1rZXktMzJieXQ="
	dataDir := t.TempDir()
	env := slack.env()
	for k, v := range map[string]string{"TEAMS_WEBHOOK_SECRET": teamsToken, "TEAMS_ESCALATION_WEBHOOK_URL": workflow.URL,
		"FAQBOT_ADMIN_TOKEN": recordsToken, "FAQBOT_DATA_DIR": dataDir} {
		env[k] = v
	}
	period := bot.Period{From: time.Now().UTC().Add(-time.Minute).Truncate(time.Second)}
	s := startServe(t, env)
	on := s.ready()
	if on["records"] != "sqlite "+filepath.Join(dataDir, "faqbot.db") || on["asker_ids"] != "hash" {
		t.Errorf("start-up line says records %v, asker_ids %v", on["records"], on["asker_ids"])
	}

	// The API: an answer and an abstention, each with the id of its record.
	a1 := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("What happens to outbound marketing segments when outbound marketing is removed?")))
	a2 := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("What is the capital of France?")))
	if a1.ID == "" || a2.ID == "" || a1.ID == a2.ID || !a1.Answered || a2.Answered {
		t.Fatalf("API answers %+v %+v", a1, a2)
	}
	// Slack: an extension request (escalated), an answer found helpful, and
	// one found not helpful whose asker then asks for a person.
	slack.mention(s.url, "EvExt", "1700000100.000001", "Can we get an extension past June 30?")
	slack.mention(s.url, "EvSeg", "1700000100.000002", "What happens to my segments after the transition?")
	slack.mention(s.url, "EvForms", "1700000100.000003", "What happens to outbound marketing forms after the transition?")
	slack.waitPost("C1", "1700000100.000001")
	seg := slack.waitPost("C1", "1700000100.000002")
	forms := slack.waitPost("C1", "1700000100.000003")
	for _, c := range []struct {
		answer         url.Values
		ts, user, kind string
	}{
		{seg, "1700000900.000002", "U555", "helpful"},
		{forms, "1700000900.000003", "U556", "not_helpful"},
		{forms, "1700000900.000003", "U556", "ask_human"},
	} {
		if r := slack.click(s.url, c.answer, c.ts, c.user, c.kind); r.status != http.StatusOK {
			t.Fatalf("%s click: %d %s", c.kind, r.status, r.body)
		}
	}
	// Teams: an answer, and an extension request handed to the workflow.
	for _, q := range []string{"When will outbound marketing be removed?", "Can we get an extension past June 30?"} {
		body := fmt.Sprintf(`{"type":"message","text":"<at>FAQ Bot</at> %s","from":{"name":"Megan Bowen","aadObjectId":"a1"},"conversation":{"id":"19:abc@thread.skype;messageid=1"}}`, q)
		if r := do(t, "POST", s.url+"/teams/messages", body, "Authorization", teamsSign(t, teamsToken, body)); r.status != http.StatusOK {
			t.Fatalf("teams: %d %s", r.status, r.body)
		}
	}
	// Wait for the Slack escalation of the "ask a human" click.
	deadline := time.Now().Add(waitLimit)
	for len(slack.postsIn("CESC", "")) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("escalations posted: %d, want 2\n%s", len(slack.postsIn("CESC", "")), s.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}

	// A person resolves the extension request, through the store for now.
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dataDir, "faqbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	open, err := st.Escalations(context.Background(), bot.EscalationQuery{State: bot.EscalationOpen})
	if err != nil || len(open) != 3 {
		t.Fatalf("open escalations %+v, %v", open, err)
	}
	var slackExt bot.EscalationRecord
	for _, e := range open {
		if e.Transport == "slack" && e.Reason == bot.ExtensionRequest {
			slackExt = e
		}
		if e.Delivery != bot.DeliveryDelivered {
			t.Errorf("escalation not delivered: %+v", e)
		}
	}
	if _, err := st.ResolveEscalation(context.Background(), slackExt.ID, "UAGENT", "=We approved a short extension."); err != nil {
		t.Fatal(err)
	}
	st.Close()

	period.To = time.Now().UTC().Add(time.Minute).Truncate(time.Second)
	stats := adminGet(t, s.url, "/admin/api/stats", period)
	csvBody := adminGet(t, s.url, "/admin/api/conversations.csv", period)
	checkRecordedStats(t, stats.body)
	checkRecordedCSV(t, csvBody.body, a1.ID)

	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, s.logs)
	}
	mu.Lock()
	if cards != 1 {
		t.Errorf("the Teams workflow got %d cards, want 1", cards)
	}
	mu.Unlock()

	// After a restart: the same figures, the same rows, and a Slack retry
	// of an event answered before the restart is not answered again.
	s = startServe(t, env)
	s.ready()
	if again := adminGet(t, s.url, "/admin/api/stats", period); string(again.body) != string(stats.body) {
		t.Errorf("stats changed across the restart:\n%s\n%s", stats.body, again.body)
	}
	if again := adminGet(t, s.url, "/admin/api/conversations.csv", period); string(again.body) != string(csvBody.body) {
		t.Errorf("export changed across the restart:\n%s\n%s", csvBody.body, again.body)
	}
	slack.mention(s.url, "EvSeg", "1700000100.000002", "What happens to my segments after the transition?", "X-Slack-Retry-Num", "1")
	slack.mention(s.url, "EvAfter", "1700000100.000009", "When will outbound marketing be removed?")
	slack.waitPost("C1", "1700000100.000009")
	if code := s.stop(); code != exitOK { // drains any answer in flight
		t.Fatalf("exit %d:\n%s", code, s.logs)
	}
	if n := len(slack.postsIn("C1", "1700000100.000002")); n != 1 {
		t.Errorf("the retried event was answered %d times, want once", n)
	}
}

// checkRecordedStats checks the figures of the test above: 7 questions,
// 2 over the API, 3 in Slack, 2 in Teams.
func checkRecordedStats(t *testing.T, body []byte) {
	t.Helper()
	var st bot.Stats
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	type totals struct {
		questions, answered, abstained, escalated, deflected int
		rate                                                 float64
	}
	want := totals{questions: 7, answered: 6, abstained: 1, escalated: 3, deflected: 3, rate: 3.0 / 7}
	got := totals{st.Questions, st.Answered, st.Abstained, st.Escalated, st.Deflected, st.DeflectionRate}
	if got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
	for k, n := range map[string]int{"api": 2, "slack": 3, "teams": 2} {
		if st.ByTransport[k] != n {
			t.Errorf("by_transport %v", st.ByTransport)
		}
	}
	if st.ByReason["extension_request"] != 2 || st.ByReason["user_request"] != 1 || len(st.ByReason) != 2 {
		t.Errorf("by_reason %v", st.ByReason)
	}
	if st.Feedback != (bot.FeedbackCounts{Helpful: 1, NotHelpful: 1}) {
		t.Errorf("feedback %+v", st.Feedback)
	}
	days := 0
	for _, d := range st.ByDay {
		days += d.Questions
	}
	if days != 7 || len(st.TopSections) == 0 || st.TopSections[0].Count < 2 || st.Gaps == nil {
		t.Errorf("by_day %+v, top_sections %+v, gaps %v", st.ByDay, st.TopSections, st.Gaps)
	}
}

// checkRecordedCSV checks the export of the test above, row by row.
func checkRecordedCSV(t *testing.T, body []byte, firstID string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Fatalf("%d rows, want a header and 7:\n%s", len(rows), body)
	}
	head := rows[0]
	col := func(row []string, name string) string {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %q in %v", name, head)
		}
		return row[i]
	}
	type summary struct{ transport, answered, escalate, reason, helpful, notHelpful, deflected, state string }
	var got []summary
	for _, r := range rows[1:] {
		got = append(got, summary{col(r, "transport"), col(r, "answered"), col(r, "escalate"), col(r, "escalation_reason"),
			col(r, "helpful"), col(r, "not_helpful"), col(r, "deflected"), col(r, "escalation_state")})
		if a := col(r, "asker"); strings.Contains(a, "U123") || strings.Contains(a, "a1") && len(a) < 32 {
			t.Errorf("asker recorded as %q under the default hash policy", a)
		}
	}
	want := []summary{
		{"api", "true", "false", "", "0", "0", "true", ""},
		{"api", "false", "false", "", "0", "0", "false", ""},
		{"slack", "true", "true", "extension_request", "0", "0", "false", "resolved"},
		{"slack", "true", "false", "", "1", "0", "true", ""},
		{"slack", "true", "false", "", "0", "1", "false", "open"},
		{"teams", "true", "false", "", "0", "0", "true", ""},
		{"teams", "true", "true", "extension_request", "0", "0", "false", "open"},
	}
	// Slack answers in the background, in any order: compare the rows as
	// a set.
	sortRows := func(s []summary) {
		slices.SortFunc(s, func(a, b summary) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	}
	sortRows(got)
	sortRows(want)
	if !slices.Equal(got, want) {
		t.Errorf("export rows\n got %v\nwant %v", got, want)
	}
	if col(rows[1], "id") != firstID {
		t.Errorf("first row id %q, want the first answer's %q", col(rows[1], "id"), firstID)
	}
	for _, r := range rows[1:] {
		if col(r, "escalation_state") == "resolved" &&
			(col(r, "resolved_by") != "UAGENT" || col(r, "human_answer") != "'=We approved a short extension." || col(r, "conversation") != "C1/1700000100.000001") {
			t.Errorf("resolved row %v", r)
		}
	}
}
