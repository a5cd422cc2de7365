package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// fakeReports answers with fixed figures and remembers the periods asked
// for; the store's own tests compute real ones.
type fakeReports struct {
	stats   bot.Stats
	convs   []bot.Conversation
	count   int
	err     error
	periods []bot.Period
}

func (f *fakeReports) Stats(_ context.Context, p bot.Period) (bot.Stats, error) {
	f.periods = append(f.periods, p)
	return f.stats, f.err
}

func (f *fakeReports) Conversations(_ context.Context, p bot.Period, limit int, fn func(bot.Conversation) error) error {
	f.periods = append(f.periods, p)
	for i, c := range f.convs {
		if i == limit {
			break
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return f.err
}

func (f *fakeReports) CountConversations(_ context.Context, p bot.Period) (int, error) {
	if f.count != 0 {
		return f.count, f.err
	}
	return len(f.convs), f.err
}

const reportToken = "report-TOKEN-1"

var reportNow = time.Date(2025, 3, 31, 15, 4, 5, 0, time.UTC)

func reportServer(t *testing.T, token string, src *fakeReports) string {
	t.Helper()
	mux := http.NewServeMux()
	NewReports(token, src, func() time.Time { return reportNow }, nil).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, u, auth string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func TestReportsNeedTheAdminToken(t *testing.T) {
	off := reportServer(t, "", &fakeReports{})
	on := reportServer(t, reportToken, &fakeReports{})
	for _, path := range []string{"/admin/api/stats", "/admin/api/conversations.csv"} {
		if code, _, _ := get(t, off+path, "Bearer "); code != http.StatusNotFound {
			t.Errorf("%s without a configured token: %d, want 404", path, code)
		}
		for _, auth := range []string{"", "Bearer wrong", "Basic " + reportToken, reportToken} {
			if code, h, _ := get(t, on+path, auth); code != http.StatusUnauthorized || h.Get("WWW-Authenticate") == "" {
				t.Errorf("%s with %q: %d, want 401", path, auth, code)
			}
		}
		if code, _, body := get(t, on+path, "Bearer "+reportToken); code != http.StatusOK {
			t.Errorf("%s with the token: %d %s", path, code, body)
		}
	}
}

func TestStatsEndpoint(t *testing.T) {
	src := &fakeReports{stats: bot.Stats{Questions: 7, Deflected: 3, DeflectionRate: 3.0 / 7, ByTransport: map[string]int{"api": 7},
		ByReason: map[string]int{}, ByDay: []bot.DayStats{}, TopSections: []bot.SectionCount{}, Gaps: []bot.Gap{}}}
	base := reportServer(t, reportToken, src)
	code, h, body := get(t, base+"/admin/api/stats?from=2025-03-01&to=2025-03-31", "Bearer "+reportToken)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", code, body)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"questions", "answered", "abstained", "escalated", "deflected", "deflection_rate", "by_transport",
		"by_reason", "by_day", "feedback", "top_sections", "gaps"} {
		if _, ok := got[k]; !ok {
			t.Errorf("stats lack %q: %s", k, body)
		}
	}
	want := bot.Period{From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	if len(src.periods) != 1 || src.periods[0] != want {
		t.Errorf("asked for %v, want %v", src.periods, want)
	}
	src.err = errors.New("database is locked at /var/secret/path")
	code, _, body = get(t, base+"/admin/api/stats", "Bearer "+reportToken)
	if code != http.StatusInternalServerError || strings.Contains(body, "secret") {
		t.Errorf("failing store: %d %s", code, body)
	}
}

func TestParsePeriod(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		query    string
		from, to time.Time
		bad      bool
	}{
		{query: "", from: reportNow.Add(-DefaultReportPeriod), to: reportNow},
		{query: "from=2025-03-01&to=2025-03-02", from: day(1), to: day(3)},
		{query: "to=2025-03-10", from: day(11).Add(-DefaultReportPeriod), to: day(11)},
		{query: "from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00%2B01:00", from: day(1).Add(10 * time.Hour), to: day(1).Add(11 * time.Hour)},
		{query: "from=yesterday", bad: true},
		{query: "to=31/03/2025", bad: true},
		{query: "from=2025-03-05&to=2025-03-01", bad: true},
		{query: "from=2023-01-01&to=2025-03-01", bad: true},
	} {
		q, _ := url.ParseQuery(c.query)
		p, err := ParsePeriod(q, reportNow)
		if c.bad {
			if err == nil {
				t.Errorf("%q: accepted as %v", c.query, p)
			}
			continue
		}
		if err != nil || !p.From.Equal(c.from) || !p.To.Equal(c.to) {
			t.Errorf("%q: %v – %v (%v), want %v – %v", c.query, p.From, p.To, err, c.from, c.to)
		}
	}
}

func TestCSVCellDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://evil\")": "'=HYPERLINK(\"http://evil\")",
		"+1+1":                        "'+1+1",
		"-2+3":                        "'-2+3",
		"@SUM(A1)":                    "'@SUM(A1)",
		"\tcmd":                       "'\tcmd",
		"\rcmd":                       "'\rcmd",
		"What about =forms?":          "What about =forms?",
		"":                            "",
		"12":                          "12",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConversationsCSV(t *testing.T) {
	at := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	src := &fakeReports{convs: []bot.Conversation{
		{Exchange: bot.Exchange{ID: "ex1", Time: at, Transport: "slack", Conversation: "C1/1.1", Asker: "3f2a", Question: "=cmd|' /C calc'!A0",
			Answer: "Export the segment [1].", Answered: true, Citations: []bot.Citation{{Anchor: "segments"}, {Anchor: "forms"}},
			Mode: bot.ModeExtractive, CorpusVersion: "v1", Latency: 1500 * time.Microsecond}, Helpful: 2, Deflected: true},
		{Exchange: bot.Exchange{ID: "ex2", Time: at.Add(time.Hour), Transport: "teams", Question: "extension, line one\nline two",
			Answered: true, Escalate: true, Reason: bot.ExtensionRequest}, NotHelpful: 1,
			Escalation: &bot.EscalationRecord{State: bot.EscalationResolved, Delivery: bot.DeliveryDelivered, ResolvedAt: at.Add(2 * time.Hour),
				ResolvedBy: "UAGENT", HumanAnswer: "-Approved by the account team"}},
	}}
	base := reportServer(t, reportToken, src)
	code, h, body := get(t, base+"/admin/api/conversations.csv?from=2025-03-10&to=2025-03-10", "Bearer "+reportToken)
	if code != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("%d %v %s", code, h, body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(exportColumns, ",") {
		t.Fatalf("rows %q", rows)
	}
	col := func(row []string, name string) string {
		for i, c := range exportColumns {
			if c == name {
				return row[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	r1, r2 := rows[1], rows[2]
	for name, want := range map[string]string{
		"id": "ex1", "time": "2025-03-10T09:00:00Z", "transport": "slack", "conversation": "C1/1.1", "asker": "3f2a",
		"question": "'=cmd|' /C calc'!A0", "citations": "segments forms", "latency_ms": "1", "helpful": "2", "deflected": "true",
		"escalation_state": "",
	} {
		if got := col(r1, name); got != want {
			t.Errorf("row 1 %s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{
		"question": "extension, line one\nline two", "escalate": "true", "escalation_reason": "extension_request", "not_helpful": "1",
		"escalation_state": "resolved", "escalation_delivery": "delivered", "resolved_at": "2025-03-10T11:00:00Z", "resolved_by": "UAGENT",
		"human_answer": "'-Approved by the account team",
	} {
		if got := col(r2, name); got != want {
			t.Errorf("row 2 %s = %q, want %q", name, got, want)
		}
	}

	src.count = MaxExportRows + 1
	if code, _, body := get(t, base+"/admin/api/conversations.csv", "Bearer "+reportToken); code != http.StatusBadRequest || !strings.Contains(body, "narrow") {
		t.Errorf("oversized export: %d %s", code, body)
	}
	if code, _, _ := get(t, base+"/admin/api/conversations.csv?from=2025-04-01&to=2025-03-01", "Bearer "+reportToken); code != http.StatusBadRequest {
		t.Errorf("inverted period: %d", code)
	}
}
