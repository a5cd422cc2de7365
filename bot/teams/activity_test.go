package teams

import (
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func TestActivityQuestion(t *testing.T) {
	webhook := entity{Type: "mention", Text: "<at>FAQ Bot</at>", Mentioned: account{ID: "28:faq-bot", Name: "FAQ Bot"}}
	person := entity{Type: "mention", Text: "<at>Adele Vance</at>", Mentioned: account{ID: "29:adele", Name: "Adele Vance"}}
	tests := []struct {
		name     string
		text     string
		entities []entity
		want     string
	}{
		{"mention and nbsp", "<at>FAQ Bot</at>&nbsp;When is outbound removed?", []entity{webhook}, "When is outbound removed?"},
		{"entities decoded", "<at>FAQ Bot</at> Tom &amp; Jerry&#39;s &quot;journeys&quot; &lt;b&gt;", []entity{webhook}, `Tom & Jerry's "journeys" <b>`},
		{"html wrapping", "<div><p><at>FAQ Bot</at> What about<br>segments?</p></div>\n", []entity{webhook}, "What about segments?"},
		{"other mention keeps name", "<at>Adele Vance</at> asked me: <at>FAQ Bot</at> can we keep forms?", []entity{person, webhook}, "Adele Vance asked me: can we keep forms?"},
		{"no entities: first mention goes", "<at>FAQ Bot</at> ask <at>Adele Vance</at> about forms", nil, "ask Adele Vance about forms"},
		{"mention in the middle", "Hey <at>FAQ Bot</at>, when is the deadline?", []entity{webhook}, "Hey, when is the deadline?"},
		{"comma after mention", "<at>FAQ Bot</at>, when is the deadline ?", []entity{webhook}, "when is the deadline?"},
		{"only the mention", "<at>FAQ Bot</at>&nbsp;\n", []entity{webhook}, ""},
		{"no mention at all", "plain question", nil, "plain question"},
		{"unclosed tag is dropped", "<at>FAQ Bot</at> what <span style='x'>now", []entity{webhook}, "what now"},
		{"empty", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := activity{Type: "message", Text: tt.text, Entities: tt.entities}
			if got := a.question(); got != tt.want {
				t.Errorf("question() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestActivityAsker(t *testing.T) {
	tests := []struct {
		from account
		want bot.User
	}{
		{account{ID: "29:1abc", Name: "Megan Bowen", AADObjectID: "aad-megan"}, bot.User{ID: "aad-megan", Name: "Megan Bowen"}},
		{account{ID: "29:1abc", Name: "Megan Bowen"}, bot.User{ID: "29:1abc", Name: "Megan Bowen"}},
		{account{}, bot.User{}},
	}
	for _, tt := range tests {
		if got := (activity{From: tt.from}).asker(); got != tt.want {
			t.Errorf("asker(%+v) = %+v, want %+v", tt.from, got, tt.want)
		}
	}
}

func FuzzActivityQuestion(f *testing.F) {
	f.Add("<at>FAQ Bot</at>&nbsp;When is outbound removed?<br>", "<at>FAQ Bot</at>")
	f.Add("<div><at>x</at></div>&#x1F600;&bogus;", "")
	f.Fuzz(func(t *testing.T, text, mention string) {
		a := activity{Text: text, Entities: []entity{{Type: "mention", Text: mention, Mentioned: account{ID: "28:x"}}}}
		q := a.question()
		if q != "" && (q[0] == ' ' || q[len(q)-1] == ' ') {
			t.Errorf("question %q is not trimmed", q)
		}
	})
}
