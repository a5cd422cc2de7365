package web

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// browser starts headless Chromium for the test, or skips when it is not
// installed (CI installs the Debian package chromium).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if path, err = exec.LookPath("chromium"); err != nil {
			t.Skip("browser test skipped: Chromium is not installed (apt-get install -y chromium)")
		}
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout, which
	// would stop the browser with it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// askInBrowser opens the chat in a new tab, types question, submits it and
// waits for an answer or an error.
func askInBrowser(t *testing.T, parent context.Context, url, question string) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(parent)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	ctx, cancelWait := context.WithTimeout(tab, 30*time.Second)
	defer cancelWait()
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("question")),
		chromedp.SendKeys(chromedp.ID("question"), question),
		chromedp.Click(chromedp.ID("send")),
	)
	if err != nil {
		t.Fatal(err)
	}
	errText, err := chromedp.Run(ctx, chromedp.Poll[string](
		`document.querySelector("#conversation article.answer") ? "none" : document.getElementById("error").textContent`))
	if err != nil {
		t.Fatalf("waiting for an answer: %v", err)
	}
	if errText != "none" {
		t.Fatalf("the page shows an error: %s", errText)
	}
	return tab
}

// evaluate runs a script in the tab.
func evaluate[T any](t *testing.T, tab context.Context, script string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](script))
	if err != nil {
		t.Fatalf("evaluate %s: %v", script, err)
	}
	return v
}

func TestBrowser(t *testing.T) {
	parent := browser(t)

	t.Run("a real answer cites the FAQ", func(t *testing.T) {
		c, err := corpus.Default()
		if err != nil {
			t.Fatal(err)
		}
		store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{})
		if _, err := store.Load(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		b, err := bot.New(store, bot.Options{})
		if err != nil {
			t.Fatal(err)
		}
		srv := chatServer(t, b)
		tab := askInBrowser(t, parent, srv.URL, "Can I get an extension past the outbound marketing removal date?")

		hrefs := evaluate[[]string](t, tab, `Array.from(document.querySelectorAll("article.answer a")).map(a => a.href)`)
		learn := 0
		for _, h := range hrefs {
			if strings.HasPrefix(h, "https://learn.microsoft.com/") {
				learn++
			}
		}
		if learn == 0 {
			t.Fatalf("no citation link to learn.microsoft.com among %q", hrefs)
		}
		cites := evaluate[int](t, tab, `document.querySelectorAll("article.answer .answer-text a.cite").length`)
		if cites == 0 {
			t.Error("no [n] marker became a link")
		}
		notice := evaluate[string](t, tab, `(document.querySelector("article.answer .escalation") || {}).textContent || ""`)
		if !strings.Contains(notice, "extension request") {
			t.Errorf("escalation notice = %q, want one naming the extension request", notice)
		}
		mode := evaluate[string](t, tab, `document.querySelector("article.answer .mode").textContent`)
		if !strings.Contains(mode, "extractive") || !strings.Contains(mode, c.Version) {
			t.Errorf("mode line = %q, want extractive and corpus %s", mode, c.Version)
		}
	})

	t.Run("answer and citation text are not HTML", func(t *testing.T) {
		payload := `<img src=x onerror="window.__xss=1">`
		evil := bot.Answer{
			Text: "Look " + payload + " here [1], not [2] nor [3]. <script>window.__xss=2</script> " +
				"[a link](javascript:window.__xss=3) and [docs](https://learn.microsoft.com/en-us/docs)",
			Answered: true,
			Escalate: true,
			// Unknown reasons are shown as text too.
			EscalationReason: bot.Reason(`<b onmouseover="window.__xss=4">x</b>`),
			Citations: []bot.Citation{
				{Title: `<b>bold</b><img src=x onerror="window.__xss=5">`, URL: "https://learn.microsoft.com/en-us/dynamics365/x#a", Document: "<i>doc</i>"},
				{Title: "evil", URL: "javascript:window.__xss=6"},
			},
			Mode:          bot.Mode("<u>llm</u>"),
			CorpusVersion: "<s>v1</s>",
		}
		srv := chatServer(t, &recordingAsker{ans: evil})
		tab := askInBrowser(t, parent, srv.URL, "anything")

		if n := evaluate[int](t, tab, `document.querySelectorAll("#conversation img, #conversation script, #conversation b, #conversation i, #conversation u, #conversation s").length`); n != 0 {
			t.Errorf("%d elements were built from answer text", n)
		}
		text := evaluate[string](t, tab, `document.querySelector("article.answer").textContent`)
		for _, want := range []string{payload, "<script>window.__xss=2</script>", "<b>bold</b>", "<s>v1</s>"} {
			if !strings.Contains(text, want) {
				t.Errorf("answer does not show %q as text:\n%s", want, text)
			}
		}
		hrefs := evaluate[[]string](t, tab, `Array.from(document.querySelectorAll("article.answer a")).map(a => a.getAttribute("href"))`)
		for _, h := range hrefs {
			if !strings.HasPrefix(h, "https://") {
				t.Errorf("unsafe link href %q", h)
			}
		}
		if !strings.Contains(strings.Join(hrefs, " "), "https://learn.microsoft.com/en-us/docs") {
			t.Errorf("the https Markdown link was not rendered as a link: %q", hrefs)
		}
		cites := evaluate[[]string](t, tab, `Array.from(document.querySelectorAll(".answer-text a.cite")).map(a => a.textContent)`)
		if strings.Join(cites, ",") != "[1]" {
			t.Errorf("citation links %q, want only [1] ([2] has a javascript: URL, [3] does not exist)", cites)
		}
		if xss := evaluate[bool](t, tab, `window.__xss !== undefined`); xss {
			t.Error("script from the answer ran")
		}
	})
}
