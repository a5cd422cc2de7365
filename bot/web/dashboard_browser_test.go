package web

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// requestLog records every network request a tab makes, and what its
// console says.
type requestLog struct {
	mu      sync.Mutex
	urls    []string
	console []string
}

func (l *requestLog) listen(t *testing.T, tab context.Context) {
	t.Helper()
	err := chromedp.Listen(tab, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			l.urls = append(l.urls, e.Request.URL)
		case *runtime.EventConsoleAPICalled:
			for _, a := range e.Args {
				l.console = append(l.console, string(a.Value))
			}
		case *runtime.EventExceptionThrown:
			l.console = append(l.console, e.ExceptionDetails.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (l *requestLog) get() ([]string, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.urls...), append([]string(nil), l.console...)
}

// TestDashboardInBrowser signs in to the dashboard in headless Chromium
// and checks that the charts are drawn with the period's data, that
// people's text stays text, that an escalation can be resolved, and that
// nothing the page does reaches past the server.
func TestDashboardInBrowser(t *testing.T) {
	parent := browser(t)
	fx := newDashFixture(t)
	tab, cancel := chromedp.NewContext(parent)
	defer cancel()
	var log requestLog
	log.listen(t, tab)
	ctx, cancelWait := context.WithTimeout(tab, 60*time.Second)
	defer cancelWait()
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	location := func() string {
		t.Helper()
		return strings.TrimPrefix(value(t, ctx, chromedp.Location()), fx.srv.URL)
	}
	text := func(sel string) string {
		t.Helper()
		return value(t, ctx, chromedp.Text(chromedp.CSS(sel)))
	}

	// Signed out, the dashboard sends the browser to the sign-in form.
	run(chromedp.Navigate(fx.srv.URL + "/admin/"))
	run(chromedp.WaitVisible(chromedp.ID("token")))
	if loc := location(); loc != "/admin/login?next=%2Fadmin%2F" {
		t.Fatalf("signed out, /admin/ ends at %s", loc)
	}
	run(chromedp.SendKeys(chromedp.ID("token"), "not the token"), chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	notice := text(".notice")
	if !strings.Contains(notice, "not the admin token") {
		t.Errorf("wrong token: %q", notice)
	}
	run(chromedp.SendKeys(chromedp.ID("token"), dashToken), chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.CSS(`svg[data-chart="questions-per-day"]`)))
	if loc := location(); loc != "/admin/" {
		t.Errorf("after sign-in: %s", loc)
	}

	// Each chart is drawn, and its marks carry the period's data.
	sum := func(selector string) int {
		t.Helper()
		return value(t, ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll(`+quoteJS(selector)+`)).reduce((s, e) => s + Number(e.dataset.value), 0)`))
	}
	st := dashStats()
	for _, c := range []struct {
		selector string
		want     int
	}{
		{`svg[data-chart="questions-per-day"] rect[data-value]`, st.Questions},
		{`svg[data-chart="questions-per-day"] rect.escalated`, st.Escalated},
		// 3 abstained: on the first day 1, escalated; on the third 2, not.
		{`svg[data-chart="questions-per-day"] rect.abstained`, 2},
		{`svg[data-chart="feedback"] rect[data-value]`, st.Feedback.Helpful + st.Feedback.NotHelpful},
		{`svg[data-chart="top-sections"] rect[data-value]`, 7},
		{`svg[data-chart="escalations-by-reason"] rect[data-value]`, 4},
		{`svg[data-chart="latency"] rect[data-value]`, 12},
	} {
		if got := sum(c.selector); got != c.want {
			t.Errorf("%s: values add up to %d, want %d", c.selector, got, c.want)
		}
	}
	dots := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('svg[data-chart="deflection-rate"] circle')).map(c => c.dataset.value)`))
	if strings.Join(dots, ",") != "0.400,0.571" {
		t.Errorf("deflection points %v, want 2/5 and 4/7 (the day without questions has none)", dots)
	}
	// The stylesheet loaded: the bars have the outcome colours, not the
	// default black.
	fill := value(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('rect.answered')).fill`))
	if fill == "" || fill == "rgb(0, 0, 0)" {
		t.Errorf("answered bars are filled %q: the stylesheet did not apply", fill)
	}
	size := value(t, ctx, chromedp.Evaluate[[]float64](`(r => [r.width, r.height])(document.querySelector('svg[data-chart="questions-per-day"]').getBoundingClientRect())`))
	if len(size) != 2 || size[0] < 200 || size[1] < 60 {
		t.Errorf("the questions chart is drawn %v px", size)
	}

	// Coverage gaps, people's text as text.
	gaps := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#gaps tr.gap").length`))
	if gaps != 2 {
		t.Errorf("%d gap rows, want 2", gaps)
	}
	injected := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("main img, main script, main b").length`))
	gapText := text("#gaps")
	if injected != 0 || !strings.Contains(gapText, `<img src=x onerror="window.__xss=1">`) {
		t.Errorf("%d elements from people's text; gaps read:\n%s", injected, gapText)
	}

	// Open an escalation and resolve it with an answer.
	run(chromedp.Click(chromedp.CSS(`a[href="/admin/escalations"]`)), chromedp.WaitVisible(chromedp.CSS("table.escalations")),
		chromedp.Click(chromedp.CSS(`a[href="/admin/escalations/esc1"]`)), chromedp.WaitVisible(chromedp.ID("resolve")),
		chromedp.SendKeys(chromedp.ID("name"), "Jane Doe"), chromedp.SendKeys(chromedp.ID("answer"), "Plan the move by June."),
		chromedp.Submit(chromedp.ID("resolve")), chromedp.WaitVisible(chromedp.ID("notice")))
	notice, state := text("#notice"), text("#state")
	if !strings.Contains(notice, "The asker has been told") || state != "resolved" {
		t.Errorf("after resolving: notice %q, state %q", notice, state)
	}
	if strings.Join(fx.desk.notified, ",") != "esc1" {
		t.Errorf("notified %v", fx.desk.notified)
	}

	// The JSON the page links to opens with the session alone.
	run(chromedp.Navigate(fx.srv.URL + "/admin/api/stats"))
	if !value(t, ctx, chromedp.Evaluate[bool](`document.body.textContent.includes('"questions":12')`)) {
		t.Error("the statistics JSON did not open with the session")
	}

	run(chromedp.Navigate(fx.srv.URL+"/admin/"), chromedp.WaitVisible(chromedp.ID("gaps")))
	if value(t, ctx, chromedp.Evaluate[bool](`window.__xss !== undefined`)) {
		t.Error("script from people's text ran")
	}
	if path := os.Getenv("FAQBOT_DASHBOARD_SCREENSHOT"); path != "" {
		_ = os.WriteFile(path, value(t, ctx, chromedp.FullScreenshot(100)), 0o600)
	}

	urls, console := log.get()
	if len(urls) < 5 {
		t.Fatalf("only %d requests recorded: %v", len(urls), urls)
	}
	for _, u := range urls {
		// data: URLs never leave the browser (Chromium draws the date
		// input's calendar icon with one).
		if !strings.HasPrefix(u, fx.srv.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page reached past the server: %s", u)
		}
	}
	for _, c := range console {
		t.Errorf("console: %s", c)
	}
}

// value runs an action that yields a value.
func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func quoteJS(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
