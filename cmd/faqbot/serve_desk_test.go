package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/teams/teamstest"
)

// dashboard is a browser signed in to /admin of a running server.
type dashboard struct {
	t    *testing.T
	base string
	c    *http.Client
}

func signIn(t *testing.T, base, token string) *dashboard {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	d := &dashboard{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	resp, _ := d.do("POST", "/admin/login", url.Values{"token": {token}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	return d
}

func (d *dashboard) do(method, path string, form url.Values) (*http.Response, string) {
	d.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, d.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := d.c.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var (
	escalationLink = regexp.MustCompile(`href="/admin/escalations/([0-9a-f]{24})"`)
	csrfInput      = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)
)

// resolve resolves the only open escalation on the dashboard, as a
// person would, and returns its id and where the page went.
func (d *dashboard) resolve(name, answer string) (string, string) {
	d.t.Helper()
	_, list := d.do("GET", "/admin/escalations", nil)
	ids := escalationLink.FindAllStringSubmatch(list, -1)
	if len(ids) != 1 {
		d.t.Fatalf("%d open escalations on the dashboard, want 1:\n%s", len(ids), list)
	}
	id := ids[0][1]
	_, page := d.do("GET", "/admin/escalations/"+id, nil)
	csrf := csrfInput.FindStringSubmatch(page)
	if csrf == nil {
		d.t.Fatalf("no resolve form:\n%s", page)
	}
	resp, _ := d.do("POST", "/admin/escalations/"+id+"/resolve", url.Values{"csrf": {csrf[1]}, "name": {name}, "answer": {answer}})
	return id, resp.Header.Get("Location")
}

// TestServeTeamsBotRemembersAndClosesTheLoop: the Bot Framework bot keeps
// its history, feedback and escalations in the store, so that after a
// restart feedback on an earlier answer still finds it, and an escalation
// resolved on the dashboard reaches the asker in their chat.
func TestServeTeamsBotRemembersAndClosesTheLoop(t *testing.T) {
	const (
		appID    = "8b2f4c1e-5a6d-4e3f-9b7c-0d1e2f3a4b5c"
		password = "APP-PASSWORD-SECRET"
		tenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
		escConv  = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
		personal = "a:1Xyz9AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
		public   = "https://faqbot.example.com"
	)
	idp := teamstest.NewIdentity(t, appID, password, tenant)
	key := teamstest.NewKey(t, 0, "bf-key-1")
	idp.Publish(key.JWK("msteams"))
	conn := teamstest.NewConnector(t)
	env := withDefaults(t, map[string]string{
		"MICROSOFT_APP_ID": appID, "MICROSOFT_APP_PASSWORD": password, "MICROSOFT_APP_TENANT_ID": tenant,
		"BOTFRAMEWORK_OPENID_METADATA_URL": idp.MetadataURL(), "BOTFRAMEWORK_TOKEN_URL": idp.TokenURL(),
		"TEAMS_ESCALATION_CONVERSATION": escConv, "FAQBOT_ADMIN_TOKEN": recordsToken, "FAQBOT_PUBLIC_URL": public + "/",
	})
	activity := func(kind, id string, fields map[string]any) string {
		m := map[string]any{
			"type": kind, "id": id, "channelId": "msteams", "serviceUrl": conn.ServiceURL(),
			"from":         map[string]any{"id": "29:1abc", "name": "Megan Bowen", "aadObjectId": "6f2b3c8e-1d4a-4b7e-9c0f-2a5d8e7b1c34"},
			"recipient":    map[string]any{"id": "28:" + appID, "name": "FAQ Bot"},
			"conversation": map[string]any{"id": personal, "conversationType": "personal", "tenantId": tenant},
			"channelData":  map[string]any{"tenant": map[string]any{"id": tenant}},
		}
		for k, v := range fields {
			m[k] = v
		}
		data, _ := json.Marshal(m)
		return string(data)
	}
	send := func(s *serveRun, body string) reply {
		t.Helper()
		auth := "Bearer " + key.Sign(t, teamstest.ConnectorClaims(appID, conn.ServiceURL(), time.Now()))
		r := do(t, "POST", s.url+"/api/messages", body, "Content-Type", "application/json", "Authorization", auth)
		if r.status != http.StatusOK {
			t.Fatalf("activity: %d %s", r.status, r.body)
		}
		return r
	}

	s := startServe(t, env)
	s.ready()
	send(s, activity("message", "1727891234567", map[string]any{"text": "When will outbound marketing be removed?"}))
	posts := conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, "1727891234567") != nil })
	answerID := teamstest.ReplyTo(posts, "1727891234567").ID
	send(s, activity("message", "1727891299999", map[string]any{"text": "Can we get an extension past June 30?"}))
	posts = conn.WaitFor(t, "the escalation", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, "1727891299999") != nil })
	var card string
	for _, p := range posts {
		if p.Path == "/v3/conversations/"+escConv+"/activities" {
			b, _ := json.Marshal(p.Body)
			card = string(b)
		}
	}
	if !strings.Contains(card, `"url":"`+public+`/admin/escalations/`) || !strings.Contains(card, "Open on the dashboard") {
		t.Errorf("the escalation card does not link to the dashboard:\n%s", card)
	}
	if s.stop() != exitOK {
		t.Fatalf("exit:\n%s", s.logs)
	}

	// A restart: the records remember.
	s = startServe(t, env)
	s.ready()
	feedback := activity("invoke", "f:1", map[string]any{"name": "message/submitAction", "replyToId": answerID,
		"value": map[string]any{"actionName": "feedback", "actionValue": map[string]any{"reaction": "dislike", "feedback": `{"feedbackText":"Which date?"}`}}})
	send(s, feedback)
	rows, err := csv.NewReader(strings.NewReader(string(do(t, "GET", s.url+"/admin/api/conversations.csv", "",
		"Authorization", "Bearer "+recordsToken).body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	notHelpful := 0
	for _, r := range rows[1:] {
		if r[5] == "When will outbound marketing be removed?" && r[15] == "1" {
			notHelpful++
		}
	}
	if notHelpful != 1 {
		t.Errorf("the feedback after the restart is not on the answer it was given on:\n%v", rows)
	}

	d := signIn(t, s.url, recordsToken)
	id, done := d.resolve("Jane from Support", "No extensions; plan the move by June 30.")
	if done != "/admin/escalations/"+id+"?done=notified" {
		t.Errorf("after resolving: %s\n%s", done, s.logs)
	}
	posts = conn.WaitFor(t, "the proactive message", func(ps []teamstest.Post) bool {
		for _, p := range ps {
			if p.Path == "/v3/conversations/"+personal+"/activities" {
				return true
			}
		}
		return false
	})
	var told string
	for _, p := range posts {
		if p.Path == "/v3/conversations/"+personal+"/activities" {
			b, _ := json.Marshal(p.Body)
			told = string(b)
		}
	}
	for _, want := range []string{"A person has followed up", "Jane from Support", "No extensions; plan the move by June 30.", "Can we get an extension"} {
		if !strings.Contains(told, want) {
			t.Errorf("the asker's message lacks %q:\n%s", want, told)
		}
	}
	if s.stop() != exitOK {
		t.Errorf("exit:\n%s", s.logs)
	}
}

// TestServeSlackEscalationResolvedOnTheDashboard: an extension request
// from Slack goes to the escalation channel with Answer and Resolve and a
// link to its page; answered on the dashboard, the answer lands in the
// asker's thread, as the bot, naming who answered.
func TestServeSlackEscalationResolvedOnTheDashboard(t *testing.T) {
	slack := newSlackWorkspace(t)
	env := slack.env()
	env["FAQBOT_ADMIN_TOKEN"], env["FAQBOT_PUBLIC_URL"] = recordsToken, "https://faqbot.example.com"
	s := startServe(t, env)
	s.ready()
	slack.mention(s.url, "EvDesk", "1700000400.000001", "We won't be ready by June 30. Can we get an extension for outbound marketing?")
	slack.waitPost("C1", "1700000400.000001")
	esc := slack.postsIn("CESC", "")
	if len(esc) != 1 {
		t.Fatalf("%d escalation posts", len(esc))
	}
	blocks := esc[0].Get("blocks")
	for _, want := range []string{`"action_id":"escalation_answer"`, `"action_id":"escalation_resolve"`, "https://faqbot.example.com/admin/escalations/"} {
		if !strings.Contains(blocks, want) {
			t.Errorf("escalation post lacks %s:\n%s", want, blocks)
		}
	}

	d := signIn(t, s.url, recordsToken)
	id, done := d.resolve("Jane from Support", "No extensions: <!channel> plan the move now.")
	if done != "/admin/escalations/"+id+"?done=notified" {
		t.Errorf("after resolving: %s", done)
	}
	thread := slack.postsIn("C1", "1700000400.000001")
	last := thread[len(thread)-1].Get("text")
	if !strings.Contains(last, "*Jane from Support* from the team answered") || !strings.Contains(last, "&lt;!channel&gt; plan the move now.") {
		t.Errorf("the asker's thread ends with:\n%s", last)
	}
	// Resolved: the dashboard lists no open escalation, and offers a FAQ
	// draft from the answer.
	if _, list := d.do("GET", "/admin/escalations", nil); escalationLink.MatchString(list) {
		t.Error("the escalation is still listed as open")
	}
	if _, draft := d.do("GET", "/admin/drafts/escalation/"+id, nil); !strings.Contains(draft, "No extensions: &lt;!channel&gt; plan the move now.") ||
		!strings.Contains(draft, "## We won&#39;t be ready") {
		t.Errorf("draft page:\n%s", draft)
	}
	if s.stop() != exitOK {
		t.Errorf("exit:\n%s", s.logs)
	}
}
