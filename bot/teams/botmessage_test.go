package teams

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func TestAnswerActivityLabelsOnlyModelAnswers(t *testing.T) {
	cite := bot.Citation{Title: "Why should I transition to real-time journeys?", URL: faqURL + "why-should-i-transition-to-real-time-journeys", Document: "transition-faqs.md"}
	for _, tt := range []struct {
		mode  bot.Mode
		label bool
	}{{bot.ModeLLM, true}, {bot.ModeExtractive, false}} {
		out := answerActivity(bot.Answer{Text: "Because [1].", Answered: true, Mode: tt.mode, Citations: []bot.Citation{cite}}, "", true)
		ent := out.Entities[0].(messageEntity)
		if got := len(ent.AdditionalType) == 1 && ent.AdditionalType[0] == "AIGeneratedContent"; got != tt.label {
			t.Errorf("%s answer: AI label %v, want %v", tt.mode, got, tt.label)
		}
		if len(ent.Citation) != 1 || ent.Citation[0].Position != 1 || ent.Citation[0].Appearance.URL != cite.URL {
			t.Errorf("citations = %+v", ent.Citation)
		}
	}
}

func TestAnswerActivityBoundsCitations(t *testing.T) {
	long := strings.Repeat("Very long section title ", 20)
	var cites []bot.Citation
	for range 25 {
		cites = append(cites, bot.Citation{Title: long, URL: faqURL + "x"})
	}
	out := answerActivity(bot.Answer{Text: "x", Answered: false, Citations: cites}, "", false)
	ent := out.Entities[0].(messageEntity)
	if len(ent.Citation) != maxCitations {
		t.Errorf("%d citations, want Teams' limit %d", len(ent.Citation), maxCitations)
	}
	a := ent.Citation[0].Appearance
	if n := len([]rune(a.Name)); n > maxCitationName {
		t.Errorf("name has %d runes", n)
	}
	if n := len([]rune(a.Abstract)); n > maxCitationAbstract || !strings.HasPrefix(a.Abstract, "Nearest FAQ section") {
		t.Errorf("abstract %q (%d runes)", a.Abstract, n)
	}
	if out.Attachments != nil {
		t.Error("askHuman false still adds the button")
	}
}

func TestEscalationCardShowsPeoplesTextVerbatim(t *testing.T) {
	sneaky := "**URGENT** [reset password](https://evil.example) <at>CEO</at>\n- item"
	e := Escalation{
		ID: "esc_1", Reason: bot.UserRequest,
		Question: bot.Question{Text: sneaky, Asker: bot.User{ID: "aad-1", Name: "[Megan](https://evil.example)"}},
		Answer:   bot.Answer{Text: "Draft [1]", Citations: []bot.Citation{{Title: "T", URL: faqURL + "t"}}},
		Asker:    ConversationRef{ConversationType: personalChat},
	}
	out := escalationChannelCard(e, "")
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		t.Fatal(err)
	}
	runs := textRuns(body)
	if !contains(runs, sneaky) || !contains(runs, "[Megan](https://evil.example) (aad-1)") {
		t.Errorf("people's text not in plain TextRuns: %q", runs)
	}
	// Nothing people wrote may reach a TextBlock, where Markdown renders.
	for _, tb := range textBlocks(body) {
		if strings.Contains(tb, "evil.example") || strings.Contains(tb, "URGENT") {
			t.Errorf("people's text in a TextBlock: %q", tb)
		}
	}
}

func textBlocks(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if x["type"] == "TextBlock" {
			out = append(out, x["text"].(string))
		}
		for _, y := range x {
			out = append(out, textBlocks(y)...)
		}
	case []any:
		for _, y := range x {
			out = append(out, textBlocks(y)...)
		}
	}
	return out
}
