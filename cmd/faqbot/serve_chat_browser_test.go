package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium starts headless Chromium, or skips when it is not installed
// (CI installs the Debian package chromium).
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if path, err = exec.LookPath("chromium"); err != nil {
			t.Skip("browser test skipped: Chromium is not installed (apt-get install -y chromium)")
		}
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func pageWait(t *testing.T, tab context.Context, what, script string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, waitLimit)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](script)); err != nil {
		peek, cancelPeek := context.WithTimeout(tab, 5*time.Second)
		defer cancelPeek()
		text, _ := chromedp.Run(peek, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("waiting for %s: %v\npage:\n%s", what, err, text)
	}
}

func pageDo(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, waitLimit)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// "Ask a person" in the web chat reaches the Slack escalation channel (a
// fake Slack Web API here), and the page says so; when Slack fails, the
// page says that too and names the contact.
func TestServeWebChatAskAPersonReachesSlack(t *testing.T) {
	parent := chromium(t)
	fake := &recordingSlackAPI{}
	var failing atomic.Bool
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() && strings.HasSuffix(r.URL.Path, "chat.postMessage") {
			http.Error(w, "down", http.StatusBadRequest)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer api.Close()
	s := startServe(t, map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-local", "SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": api.URL + "/",
		"SLACK_ESCALATION_CHANNEL": "CESC", "FAQBOT_CONTACT": "your partner",
	})
	s.ready()
	tab, cancel := chromedp.NewContext(parent)
	defer cancel()
	// The first action opens the tab: no timeout on it, which would close
	// the tab when it ends.
	if err := chromedp.Do(tab, chromedp.Navigate(s.url)); err != nil {
		t.Fatal(err)
	}
	pageDo(t, tab, chromedp.WaitVisible(chromedp.ID("question")),
		chromedp.SendKeys(chromedp.ID("question"), "Can I get an extension past the outbound marketing removal date?"),
		chromedp.Click(chromedp.ID("send")))
	pageWait(t, tab, "the answer", `document.querySelector("article.answer") !== null`)
	notice, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("article.answer .escalation").textContent`))
	if !strings.Contains(notice, "extension request") || !strings.Contains(notice, "send it to the support team") {
		t.Errorf("escalation notice %q", notice)
	}
	pageDo(t, tab, chromedp.Click(chromedp.CSS("article.answer .ask-person-button")))
	pageWait(t, tab, "the form", `document.querySelector("article.answer .ask-person input") !== null`)
	pageDo(t, tab, chromedp.SendKeys(chromedp.CSS("article.answer .ask-person input"), "Jane <jane@example.com>"),
		chromedp.Click(chromedp.CSS("article.answer .ask-person button")))
	pageWait(t, tab, "the outcome", `document.querySelector("article.answer .ask-person .status.ok, article.answer .ask-person .status.failed") !== null`)
	said, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("article.answer .ask-person .status").textContent`))
	if !strings.Contains(said, "Sent to the support team") || !strings.Contains(said, "jane@example.com") {
		t.Errorf("the page says %q", said)
	}
	var posted []string
	for _, f := range fake.find("chat.postMessage") {
		if f.Get("channel") == "CESC" {
			posted = append(posted, f.Get("text"))
		}
	}
	if len(posted) != 1 {
		t.Fatalf("%d posts to the escalation channel, want 1", len(posted))
	}
	for _, want := range []string{"extension request", "Can I get an extension past the outbound marketing removal date?", "Jane &lt;jane@example.com&gt; (web chat)"} {
		if !strings.Contains(posted[0], want) {
			t.Errorf("escalation lacks %q:\n%s", want, posted[0])
		}
	}

	// The records keep it, as escalated by the asker.
	r := do(t, "GET", s.url+"/metrics", "")
	if !strings.Contains(string(r.body), `faqbot_escalations_total{destination="slack",reason="extension_request",result="ok"} 1`) {
		t.Errorf("escalation not counted in /metrics")
	}

	// Slack fails: the page tells the truth and names the contact.
	failing.Store(true)
	pageDo(t, tab, chromedp.Click(chromedp.CSS("#reset")), chromedp.SendKeys(chromedp.ID("question"), "What happens to my segments?"), chromedp.Click(chromedp.ID("send")))
	pageWait(t, tab, "the second answer", `document.querySelector("article.answer") !== null`)
	pageDo(t, tab, chromedp.Click(chromedp.CSS("article.answer .ask-person-button")))
	pageWait(t, tab, "the form", `document.querySelector("article.answer .ask-person button") !== null`)
	pageDo(t, tab, chromedp.Click(chromedp.CSS("article.answer .ask-person button")))
	pageWait(t, tab, "the outcome", `document.querySelector("article.answer .ask-person .status.failed") !== null`)
	said, _ = chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("article.answer .ask-person .status").textContent`))
	if !strings.Contains(said, "couldn't reach") || !strings.Contains(said, "your partner") {
		t.Errorf("after a failed hand-off the page says %q", said)
	}
}
