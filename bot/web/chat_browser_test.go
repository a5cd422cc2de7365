package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

// memoryFeedback records feedback as the store does, in memory.
type memoryFeedback struct {
	mu sync.Mutex
	fb []bot.Feedback
}

func (m *memoryFeedback) RecordFeedback(_ context.Context, f bot.Feedback) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fb = append(m.fb, f)
	return nil
}

func (m *memoryFeedback) all() []bot.Feedback {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]bot.Feedback(nil), m.fb...)
}

// streamAsker streams a draft, slowly enough for the page to show it,
// then answers.
type streamAsker struct {
	recordingAsker
	draft []string
}

func (s *streamAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if onDelta := bot.DraftsFrom(ctx); onDelta != nil {
		for _, d := range s.draft {
			onDelta(d)
			time.Sleep(50 * time.Millisecond)
		}
	}
	return s.recordingAsker.Ask(ctx, q)
}

func fullChat(t *testing.T, asker bot.Asker, opts ChatOptions) *httptest.Server {
	t.Helper()
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	if opts.Suggester == nil {
		opts.Suggester = &bot.SectionSuggestions{Corpus: func() *corpus.Corpus { return c }}
	}
	opts.FAQDate = func() string { return bot.CorpusDate(c) }
	mux := http.NewServeMux()
	NewChat(asker, opts).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// openChat opens the page in a new tab and waits for it to be ready.
func openChat(t *testing.T, parent context.Context, url string, setup ...chromedp.Action[chromedp.Void]) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(parent)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab, append(setup, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("question")))...); err != nil {
		t.Fatal(err)
	}
	return tab
}

// run does steps in the tab within a generous time.
func run(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// waitJS waits until script is truthy in the tab.
func waitJS(t *testing.T, tab context.Context, what, script string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](script)); err != nil {
		peek, cancelPeek := context.WithTimeout(tab, 5*time.Second)
		defer cancelPeek()
		text, _ := chromedp.Run(peek, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("waiting for %s: %v\npage:\n%s", what, err, text)
	}
}

func TestChatRendersMarkdownSafely(t *testing.T) {
	parent := browser(t)
	md := bot.Answer{
		Text: "Do this first:\n\n- **Export** the segments [1]\n- Recreate the journeys, see [the guide](https://learn.microsoft.com/en-us/guide)\n  - nested **detail**\n\n" +
			"1. First step\n2. Second step with [evil](https://evil.example.com/x)\n\nDone **[1]**.",
		Answered: true, Mode: bot.ModeLLM, CorpusVersion: "v1",
		Citations: []bot.Citation{{Title: "Segments", URL: "https://learn.microsoft.com/faq#segments", Document: "transition-faqs.md",
			SnapshotURL: "https://faq.example.com/faq/transition-faqs.md/segments?v=v1"}},
	}
	srv := fullChat(t, &recordingAsker{ans: md}, ChatOptions{})
	tab := askInBrowser(t, parent, srv.URL, "segments?")

	text := evaluate[string](t, tab, `document.querySelector("article.answer .answer-text").textContent`)
	if strings.Contains(text, "**") || strings.Contains(text, "- ") || strings.Contains(text, "](") {
		t.Errorf("Markdown shown literally: %q", text)
	}
	checks := map[string]int{
		`article.answer .answer-text > ul > li`:         2,
		`article.answer .answer-text > ul li > ul > li`: 1,
		`article.answer .answer-text > ol > li`:         2,
		`article.answer .answer-text strong`:            3,
		`article.answer .answer-text a.cite`:            2,
	}
	for sel, want := range checks {
		if n := evaluate[int](t, tab, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)); n != want {
			t.Errorf("%s: %d elements, want %d", sel, n, want)
		}
	}
	hrefs := evaluate[[]string](t, tab, `Array.from(document.querySelectorAll("article.answer a")).map(a => a.href)`)
	joined := strings.Join(hrefs, " ")
	for _, want := range []string{"https://faq.example.com/faq/transition-faqs.md/segments?v=v1", "https://learn.microsoft.com/en-us/guide", "https://learn.microsoft.com/faq#segments"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no link to %s among %q", want, hrefs)
		}
	}
	if strings.Contains(joined, "evil.example.com") {
		t.Errorf("a link to a host the answer does not cite: %q", hrefs)
	}
	if got := evaluate[string](t, tab, `document.querySelector("article.answer a.cite").getAttribute("href")`); !strings.HasPrefix(got, "https://faq.example.com/faq/") {
		t.Errorf("[1] links to %q, want the snapshot", got)
	}
	// Details sit behind a small "i", closed.
	if open := evaluate[bool](t, tab, `document.querySelector("article.answer details.info").open`); open {
		t.Error("the answer's details are open by default")
	}
	if mode := evaluate[string](t, tab, `document.querySelector("article.answer .mode").textContent`); !strings.Contains(mode, "AI-generated from the FAQ") || !strings.Contains(mode, "April 14, 2025") {
		t.Errorf("details %q", mode)
	}
}

func TestChatSuggestionStreamingAndFeedback(t *testing.T) {
	parent := browser(t)
	rec := &memoryFeedback{}
	ans := plainWebAnswer()
	asker := &streamAsker{recordingAsker: recordingAsker{ans: ans}, draft: []string{"Drafting ", "the answer ", "word by word…"}}
	srv := fullChat(t, asker, ChatOptions{Feedback: rec})
	tab := openChat(t, parent, srv.URL)

	waitJS(t, tab, "suggestions", `document.querySelectorAll("#suggestions button").length >= 3`)
	first := evaluate[string](t, tab, `document.querySelector("#suggestions button").title`)
	// Watch for the draft before asking: it is replaced once the answer comes.
	evaluate[bool](t, tab, `(window.__drafts = [], new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
		if (n.classList && n.classList.contains("draft-turn")) window.__drafts.push(n.textContent); else if (n.nodeType === 3 && n.parentElement && n.parentElement.classList.contains("draft")) window.__drafts.push(n.parentElement.textContent);
	})))).observe(document.getElementById("conversation"), {childList: true, subtree: true}) || true`)
	run(t, tab, chromedp.Click(chromedp.CSS("#suggestions button")))
	waitJS(t, tab, "the answer", `document.querySelector("#conversation article.answer") !== null`)

	if asked := asker.seen[0].Text; asked != first {
		t.Errorf("asked %q, want the suggestion's question %q", asked, first)
	}
	drafts := evaluate[[]string](t, tab, `window.__drafts`)
	if len(drafts) == 0 || !strings.Contains(drafts[len(drafts)-1], "Drafting the answer") {
		t.Errorf("no streamed draft was shown: %q", drafts)
	}
	if n := evaluate[int](t, tab, `document.querySelectorAll(".draft-turn").length`); n != 0 {
		t.Errorf("%d drafts left after the answer", n)
	}
	if text := evaluate[string](t, tab, `document.querySelector("article.answer .answer-text").textContent`); !strings.Contains(text, "Export the segment members first") {
		t.Errorf("answer %q", text)
	}
	if hidden := evaluate[bool](t, tab, `document.getElementById("welcome").hidden`); !hidden {
		t.Error("suggestions still shown once the conversation started")
	}

	// 👍 then 👎 with a reason: each recorded, the last one counting.
	run(t, tab, chromedp.Click(chromedp.CSS("article.answer button.rate")))
	waitJS(t, tab, "the thanks", `document.querySelector("article.answer .status.ok") !== null`)
	run(t, tab, chromedp.Click(chromedp.CSS("article.answer button.rate:nth-of-type(2)")))
	waitJS(t, tab, "the reasons", `document.querySelector("article.answer .reasons select") !== null`)
	run(t, tab,
		chromedp.SetValue(chromedp.CSS("article.answer .reasons select"), "out_of_date"),
		chromedp.SendKeys(chromedp.CSS("article.answer .reasons input"), "It still says June 2025"),
		chromedp.Click(chromedp.CSS("article.answer .reasons button")))
	waitJS(t, tab, "the reason recorded", `document.querySelector("article.answer .reasons") === null`)

	fb := rec.all()
	var got []string
	for _, f := range fb {
		got = append(got, string(f.Kind)+"|"+f.Comment)
		if f.ExchangeID != "ex7" || f.Message != "web:ex7" || !strings.HasPrefix(f.User, "web:") || f.User != fb[0].User || f.Transport != Transport {
			t.Errorf("feedback %+v does not point at the answer and this browser", f)
		}
	}
	if want := "helpful|,not_helpful|,not_helpful|out_of_date: It still says June 2025"; strings.Join(got, ",") != want {
		t.Errorf("recorded %q, want %q", strings.Join(got, ","), want)
	}
}

func plainWebAnswer() bot.Answer {
	return bot.Answer{ID: "ex7", Text: "Export the segment members first [1].", Answered: true, Mode: bot.ModeExtractive, CorpusVersion: "v1",
		Citations: []bot.Citation{{Title: "What happens to segments?", URL: "https://learn.microsoft.com/faq#segments", Document: "transition-faqs.md"}}}
}

// axeSource finds axe-core: $FAQBOT_AXE_JS (.ci/run installs it), else
// an npm install into the user's cache, once.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("FAQBOT_AXE_JS")
	if path == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Skipf("accessibility test skipped: no FAQBOT_AXE_JS and no cache dir (%v)", err)
		}
		dir := filepath.Join(cache, "faqbot-test", "axe")
		path = filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
		if _, err := os.Stat(path); err != nil {
			npm, err := exec.LookPath("npm")
			if err != nil {
				t.Skip("accessibility test skipped: set FAQBOT_AXE_JS to axe-core's axe.min.js, or install npm (.ci/run does)")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "--silent", "axe-core@4").CombinedOutput()
			if err != nil {
				t.Skipf("accessibility test skipped: cannot install axe-core from npm: %v\n%s", err, out)
			}
		}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("accessibility test skipped: cannot read axe-core at %s: %v", path, err)
	}
	return string(src)
}

// axeViolations runs axe-core on the page as it is and returns its
// serious and critical violations.
func axeViolations(t *testing.T, tab context.Context, axe string) []string {
	t.Helper()
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
			v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	return v
}

func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	})
}

// The page as a newcomer sees it, in light and dark mode and 360 px wide:
// no serious accessibility violation, no horizontal scroll.
func TestChatAccessibleAndNarrow(t *testing.T) {
	parent := browser(t)
	axe := axeSource(t)
	ans := plainWebAnswer()
	ans.Escalate, ans.EscalationReason = true, bot.ExtensionRequest
	ans.Text = "You can't get an extension: the removal date of June 30, 2025 has passed [1]. A very-long-unbreakable-word-" + strings.Repeat("x", 80) + " stays inside."
	srv := fullChat(t, &recordingAsker{ans: ans}, ChatOptions{Feedback: &memoryFeedback{}})
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			tab := openChat(t, parent, srv.URL, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), colorScheme(scheme))
			waitJS(t, tab, "suggestions", `document.querySelectorAll("#suggestions button").length > 0`)
			if v := axeViolations(t, tab, axe); len(v) > 0 {
				t.Errorf("empty page: %d serious accessibility violations:\n%s", len(v), strings.Join(v, "\n"))
			}
			run(t, tab, chromedp.Click(chromedp.CSS("#suggestions button")))
			waitJS(t, tab, "the answer", `document.querySelector("#conversation article.answer") !== null`)
			// Every control open at once: 👎's reasons, "Ask a person", details.
			run(t, tab, chromedp.Click(chromedp.CSS("article.answer button.rate:nth-of-type(2)")))
			waitJS(t, tab, "the reasons", `document.querySelector("article.answer .reasons select") !== null`)
			run(t, tab, chromedp.Click(chromedp.CSS("article.answer .ask-person-button")), chromedp.Click(chromedp.CSS("article.answer details.info summary")))
			waitJS(t, tab, "the ask-a-person box", `document.querySelector("article.answer .ask-person") !== null`)
			if v := axeViolations(t, tab, axe); len(v) > 0 {
				t.Errorf("with an answer: %d serious accessibility violations:\n%s", len(v), strings.Join(v, "\n"))
			}
			if w := evaluate[int](t, tab, `document.documentElement.scrollWidth`); w > 360 {
				t.Errorf("scrollWidth %d at 360 px: the page scrolls sideways", w)
			}
			shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("FAQBOT_SCREENSHOT_DIR"); dir != "" {
				if err := os.WriteFile(filepath.Join(dir, "chat-360-"+scheme+".png"), shot, 0o644); err != nil {
					t.Error(err)
				}
			}
			// The input stays pinned to the bottom of the screen.
			bottom := evaluate[float64](t, tab, `document.getElementById("ask").getBoundingClientRect().bottom`)
			height := evaluate[float64](t, tab, `window.innerHeight`)
			if bottom > height+1 || bottom < height-1 {
				t.Errorf("the question box ends at %.0f px of a %.0f px screen, want pinned to the bottom", bottom, height)
			}
		})
	}
}
