package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

const dashToken = "dash-TOKEN-7f3a"

var dashNow = time.Date(2025, 3, 31, 15, 4, 5, 0, time.UTC)

// xss is text people typed, which every page must show as text.
const xss = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`

// dashStats are a month of figures, with people's text in the places
// that show it.
func dashStats() bot.Stats {
	st := bot.Stats{
		Questions: 12, Answered: 9, Abstained: 3, Escalated: 4, Deflected: 6, DeflectionRate: 0.5,
		ByTransport: map[string]int{"slack": 8, "api": 4},
		ByReason:    map[string]int{"extension_request": 2, "user_request": 1, `<b>odd</b>`: 1},
		Feedback:    bot.FeedbackCounts{Helpful: 5, NotHelpful: 2},
		TopSections: []bot.SectionCount{
			{Anchor: "extension", Title: "Can I request an extension?", Document: "transition-faqs.md", Count: 5},
			{Anchor: "segments", Title: "Segments " + xss, Document: "transition-faqs.md", Count: 2},
		},
		Latency: bot.NewLatencyStats([]int{3, 4, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1}),
		Gaps: []bot.Gap{
			{ID: "ex-pdf", Question: "Can I export my email templates to PDF?", Count: 3, Abstained: 2, NotHelpful: 1,
				Examples:     []string{"Can I export my email templates to PDF?", "export templates to pdf " + xss},
				Nearest:      &bot.SectionRef{Anchor: "email", Title: "Email content", Document: "transition-faqs.md"},
				HumanAnswers: []string{"Use Save as PDF in the designer."}, LastAsked: dashNow.Add(-time.Hour)},
			{ID: "ex-sms", Question: "SMS in Brazil? " + xss, Count: 1, Abstained: 1, Examples: []string{"SMS in Brazil? " + xss}},
		},
	}
	for i, d := range []bot.DayStats{
		{Questions: 5, Answered: 4, Abstained: 1, Escalated: 2, EscalatedAnswered: 1, Deflected: 2},
		{},
		{Questions: 7, Answered: 5, Abstained: 2, Escalated: 2, EscalatedAnswered: 2, Deflected: 4},
	} {
		d.Day = dashNow.AddDate(0, 0, i-2).Format(time.DateOnly)
		st.ByDay = append(st.ByDay, d)
	}
	return st
}

// memoryDesk keeps escalations for the dashboard's pages; the store's
// tests cover the SQL and the desk's its claims.
type memoryDesk struct {
	mu        sync.Mutex
	list      []bot.EscalationRecord
	notified  []string
	notifyErr error
}

func (m *memoryDesk) Escalation(_ context.Context, id string) (bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.list {
		if e.ID == id {
			return e, nil
		}
	}
	return bot.EscalationRecord{}, bot.ErrNotFound
}

func (m *memoryDesk) Escalations(_ context.Context, q bot.EscalationQuery) ([]bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bot.EscalationRecord
	for _, e := range m.list {
		if q.State == "" || e.State == q.State {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memoryDesk) ResolveEscalation(_ context.Context, id, by, answer string) (bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, e := range m.list {
		if e.ID != id {
			continue
		}
		if e.State == bot.EscalationResolved {
			return e, bot.ErrAlreadyResolved
		}
		e.State, e.ResolvedBy, e.HumanAnswer, e.ResolvedAt = bot.EscalationResolved, by, answer, dashNow
		m.list[i] = e
		return e, nil
	}
	return bot.EscalationRecord{}, bot.ErrNotFound
}

func (m *memoryDesk) Resolve(ctx context.Context, id, by, answer string) (bot.EscalationRecord, error) {
	if strings.TrimSpace(by) == "" {
		return bot.EscalationRecord{}, bot.ErrEmptyResolver
	}
	return m.ResolveEscalation(ctx, id, strings.TrimSpace(by), strings.TrimSpace(answer))
}

func (m *memoryDesk) Notify(_ context.Context, rec bot.EscalationRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.notifyErr != nil {
		return m.notifyErr
	}
	m.notified = append(m.notified, rec.ID)
	return nil
}

func newMemoryDesk() *memoryDesk {
	return &memoryDesk{list: []bot.EscalationRecord{
		{ID: "esc1", Time: dashNow.Add(-26 * time.Hour), Reason: bot.ExtensionRequest, Transport: "slack", Question: "Extension please? " + xss,
			Draft: "A person needs to handle this.", Sources: []string{"https://learn.microsoft.com/faq#ext", "javascript:alert(1)"},
			Link: "javascript:alert(2)", Delivery: bot.DeliveryDelivered, Destination: "slack", State: bot.EscalationOpen},
		{ID: "esc2", Time: dashNow.Add(-3 * time.Hour), Reason: bot.UserRequest, Transport: "teams", Question: "Can I keep my forms?",
			Delivery: bot.DeliveryDelivered, Destination: "teams", State: bot.EscalationResolved, ResolvedBy: "Jane",
			HumanAnswer: "Yes, as real-time forms.", ResolvedAt: dashNow.Add(-time.Hour)},
	}}
}

type dashFixture struct {
	srv     *httptest.Server
	reports *fakeReports
	desk    *memoryDesk
	clock   *testClock
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newDashFixture(t *testing.T) *dashFixture {
	t.Helper()
	fx := &dashFixture{reports: &fakeReports{stats: dashStats()}, desk: newMemoryDesk(), clock: &testClock{t: dashNow}}
	d, err := NewDashboard(DashboardOptions{Token: dashToken, Reports: fx.reports, Escalations: fx.desk, Resolver: fx.desk, Now: fx.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	d.Register(mux)
	NewReports(dashToken, fx.reports, fx.clock.now, nil).AcceptSessions(d).Register(mux)
	fx.srv = httptest.NewServer(mux)
	t.Cleanup(fx.srv.Close)
	return fx
}

// browserish is an HTTP client that keeps cookies and does not follow
// redirects, so that tests see them.
func browserish(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (fx *dashFixture) signIn(t *testing.T, c *http.Client) {
	t.Helper()
	resp, body := do(t, c, http.MethodPost, fx.srv.URL+"/admin/login", url.Values{"token": {dashToken}, "next": {"/admin/"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("sign-in: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%s", page)
	}
	return m[1]
}

func TestDashboardNeedsASession(t *testing.T) {
	fx := newDashFixture(t)
	c := browserish(t)
	for _, path := range []string{"/admin/", "/admin/escalations", "/admin/escalations/esc1", "/admin/drafts/gap/ex-pdf"} {
		resp, _ := do(t, c, http.MethodGet, fx.srv.URL+path, nil, nil)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/login?next=") {
			t.Errorf("%s signed out: %d to %q, want a redirect to the sign-in form", path, resp.StatusCode, loc)
		}
	}
	for _, path := range []string{"/admin/api/stats", "/admin/api/conversations.csv"} {
		if resp, _ := do(t, c, http.MethodGet, fx.srv.URL+path, nil, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s without a token: %d, want 401", path, resp.StatusCode)
		}
	}
	resp, _ := do(t, c, http.MethodPost, fx.srv.URL+"/admin/escalations/esc1/resolve", url.Values{"name": {"x"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || fx.desk.list[0].State != bot.EscalationOpen {
		t.Errorf("resolve signed out: %d", resp.StatusCode)
	}

	// A session opens the pages and the JSON and CSV too; the cookie is
	// HttpOnly, SameSite=Strict, Secure behind HTTPS, limited to /admin.
	resp, _ = do(t, c, http.MethodPost, fx.srv.URL+"/admin/login", url.Values{"token": {dashToken}, "next": {"/admin/escalations"}},
		http.Header{"X-Forwarded-Proto": {"https"}})
	cookie := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"faqbot_admin=", "Path=/admin", "HttpOnly", "SameSite=Strict", "Secure"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %s", cookie, want)
		}
	}
	if resp.Header.Get("Location") != "/admin/escalations" {
		t.Errorf("after sign-in: %s", resp.Header.Get("Location"))
	}
	plain := browserish(t)
	fx.signIn(t, plain)
	resp, _ = do(t, plain, http.MethodPost, fx.srv.URL+"/admin/login", url.Values{"token": {dashToken}}, nil)
	if strings.Contains(resp.Header.Get("Set-Cookie"), "Secure") {
		t.Error("Secure cookie over plain HTTP: the browser would drop it")
	}
	for _, path := range []string{"/admin/", "/admin/api/stats", "/admin/api/conversations.csv"} {
		if resp, body := do(t, plain, http.MethodGet, fx.srv.URL+path, nil, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s signed in: %d %.200s", path, resp.StatusCode, body)
		}
	}
	// The session expires.
	fx.clock.add(SessionTTL + time.Second)
	if resp, _ := do(t, plain, http.MethodGet, fx.srv.URL+"/admin/", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the session's time: %d", resp.StatusCode)
	}
}

func TestDashboardSignInIsLimited(t *testing.T) {
	fx := newDashFixture(t)
	c := browserish(t)
	for i := range loginFailuresPerClient {
		resp, body := do(t, c, http.MethodPost, fx.srv.URL+"/admin/login", url.Values{"token": {fmt.Sprintf("guess-%d", i)}}, nil)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "not the admin token") || resp.Header.Get("Set-Cookie") != "" {
			t.Fatalf("wrong token %d: %d", i, resp.StatusCode)
		}
	}
	// Past the limit even the right token waits: guessing must not pay.
	resp, _ := do(t, c, http.MethodPost, fx.srv.URL+"/admin/login", url.Values{"token": {dashToken}}, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d failures: %d", loginFailuresPerClient, resp.StatusCode)
	}
	fx.clock.add(loginWindow + time.Second)
	fx.signIn(t, c)

	// A form posted from another site is refused.
	resp, _ = do(t, browserish(t), http.MethodPost, fx.srv.URL+"/admin/login", url.Values{"token": {dashToken}},
		http.Header{"Origin": {"https://evil.example"}})
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("cross-site sign-in: %d", resp.StatusCode)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "/admin/",
		"/admin/escalations/e1":      "/admin/escalations/e1",
		"/admin/?from=2025-03-01":    "/admin/?from=2025-03-01",
		"https://evil.example/admin": "/admin/",
		"//evil.example/admin":       "/admin/",
		"/\\evil.example":            "/admin/",
		"/metrics":                   "/admin/",
		"/admin/login?next=/admin":   "/admin/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDashboardPagesEscapeAndHaveAStrictPolicy(t *testing.T) {
	fx := newDashFixture(t)
	c := browserish(t)
	fx.signIn(t, c)
	for _, path := range []string{"/admin/", "/admin/escalations?state=all", "/admin/escalations/esc1", "/admin/drafts/gap/ex-sms", "/admin/login"} {
		resp, body := do(t, c, http.MethodGet, fx.srv.URL+path, nil, nil)
		if path == "/admin/login" {
			if resp.StatusCode != http.StatusSeeOther {
				t.Errorf("the sign-in form while signed in: %d", resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if strings.Contains(body, "<img") || strings.Contains(body, "<script") || strings.Contains(body, "<b>odd") {
			t.Errorf("%s: people's text became markup", path)
		}
		if strings.Contains(body, "javascript:") && !strings.Contains(body, "&lt;") {
			t.Errorf("%s: a javascript: URL", path)
		}
		if strings.Contains(body, `href="javascript`) {
			t.Errorf("%s: a javascript: link", path)
		}
	}
}

func TestResolvingOnTheDashboard(t *testing.T) {
	fx := newDashFixture(t)
	c := browserish(t)
	fx.signIn(t, c)
	_, page := do(t, c, http.MethodGet, fx.srv.URL+"/admin/escalations/esc1", nil, nil)
	csrf := csrfOf(t, page)

	// No CSRF token, a wrong one, another origin: refused.
	for _, tc := range []struct {
		form   url.Values
		header http.Header
	}{
		{url.Values{"name": {"Jane"}}, nil},
		{url.Values{"name": {"Jane"}, "csrf": {strings.Repeat("0", 64)}}, nil},
		{url.Values{"name": {"Jane"}, "csrf": {csrf}}, http.Header{"Origin": {"https://evil.example"}}},
	} {
		if resp, _ := do(t, c, http.MethodPost, fx.srv.URL+"/admin/escalations/esc1/resolve", tc.form, tc.header); resp.StatusCode != http.StatusForbidden {
			t.Errorf("resolve %v %v: %d, want 403", tc.form, tc.header, resp.StatusCode)
		}
	}
	if resp, body := do(t, c, http.MethodPost, fx.srv.URL+"/admin/escalations/esc1/resolve", url.Values{"csrf": {csrf}, "name": {" "}}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("resolve without a name: %d %s", resp.StatusCode, body)
	}
	resp, _ := do(t, c, http.MethodPost, fx.srv.URL+"/admin/escalations/esc1/resolve",
		url.Values{"csrf": {csrf}, "name": {"Jane Doe"}, "answer": {"You can't; plan the move by June."}}, http.Header{"Origin": {fx.srv.URL}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/escalations/esc1?done=notified" {
		t.Fatalf("resolve: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	e, _ := fx.desk.Escalation(context.Background(), "esc1")
	if e.State != bot.EscalationResolved || e.ResolvedBy != "Jane Doe" || e.HumanAnswer != "You can't; plan the move by June." ||
		strings.Join(fx.desk.notified, ",") != "esc1" {
		t.Errorf("resolved %+v, notified %v", e, fx.desk.notified)
	}
	_, page = do(t, c, http.MethodGet, fx.srv.URL+"/admin/escalations/esc1?done=notified", nil, nil)
	for _, want := range []string{"The asker has been told", "Jane Doe", "You can&#39;t; plan the move by June.", "/admin/drafts/escalation/esc1"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page after resolving lacks %q", want)
		}
	}
	// Twice: the first answer stands.
	resp, _ = do(t, c, http.MethodPost, fx.srv.URL+"/admin/escalations/esc1/resolve", url.Values{"csrf": {csrf}, "name": {"Joe"}}, nil)
	if !strings.HasSuffix(resp.Header.Get("Location"), "done=already") {
		t.Errorf("second resolve: %s", resp.Header.Get("Location"))
	}
	// Telling the asker fails: resolved anyway, and the page says so.
	fx.desk.list = append(fx.desk.list, bot.EscalationRecord{ID: "esc3", Question: "q", State: bot.EscalationOpen, Transport: "teams"})
	fx.desk.notifyErr = errors.New("connector 502")
	resp, _ = do(t, c, http.MethodPost, fx.srv.URL+"/admin/escalations/esc3/resolve", url.Values{"csrf": {csrf}, "name": {"Jane"}}, nil)
	if !strings.HasSuffix(resp.Header.Get("Location"), "done=pending") {
		t.Errorf("resolve with a failing notice: %s", resp.Header.Get("Location"))
	}
	if resp, _ := do(t, c, http.MethodGet, fx.srv.URL+"/admin/escalations/nope", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown escalation: %d", resp.StatusCode)
	}

	// The draft from the answer, as Markdown in a text box.
	_, page = do(t, c, http.MethodGet, fx.srv.URL+"/admin/drafts/escalation/esc1", nil, nil)
	if !strings.Contains(page, "## Extension please? &lt;img") || !strings.Contains(page, "You can&#39;t; plan the move by June.") {
		t.Errorf("draft page:\n%s", page)
	}
	// Signing out ends the session.
	if resp, _ := do(t, c, http.MethodPost, fx.srv.URL+"/admin/logout", url.Values{"csrf": {csrf}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign out: %d", resp.StatusCode)
	}
	if resp, _ := do(t, c, http.MethodGet, fx.srv.URL+"/admin/", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after signing out: %d", resp.StatusCode)
	}
}

func TestGapDraftPage(t *testing.T) {
	fx := newDashFixture(t)
	c := browserish(t)
	fx.signIn(t, c)
	resp, page := do(t, c, http.MethodGet, fx.srv.URL+"/admin/drafts/gap/ex-pdf?from=2025-03-01&to=2025-03-31", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, page)
	}
	for _, want := range []string{"&lt;!-- DRAFT for the FAQ from 2 questions", "## Can I export my email templates to PDF?",
		"Use Save as PDF in the designer.", "Nearest existing section: Email content (transition-faqs.md#email)"} {
		if !strings.Contains(page, want) {
			t.Errorf("gap draft lacks %q:\n%s", want, page)
		}
	}
	if resp, _ := do(t, c, http.MethodGet, fx.srv.URL+"/admin/drafts/gap/gone", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a gap not in the period: %d", resp.StatusCode)
	}
}
