package literal

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestAny(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{`extensions?`, []string{"extension"}},
		{`\b(when|how long|eta)\b`, []string{"when", "how long", "eta"}},
		{`(?:a|b)`, []string{"a", "b"}},
		{`[45]\d\d`, []string{"40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59"}},
		{`\d+x`, []string{"x"}},
		{`\d+`, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
		{`(?:is )?(?:this|that|it) (?:is )?(?:normal|expected|by design)`, []string{"normal", "expected", "by design"}},
		{`\w+`, nil},
		{`(?:a )?x*`, nil},
		{`(?i)when`, nil},
		{`when|\w+day`, []string{"when", "day"}},
		{`when|\w+`, nil},
		{`(?:ab)+c`, []string{"ab"}},
		{`x{2,3}yy`, []string{"xxyy", "xxxyy"}},
		{`\b(wh(?:at|ich) (?:date|day)|how long)\b`, []string{"what date", "what day", "which date", "which day", "how long"}},
		{`[45]\d\d\d\d`, []string{"40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59"}},
		{`[^a]bc`, []string{"bc"}},
		{`(`, nil},
	}
	for _, tt := range tests {
		got := Any(tt.pattern)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || (got == nil) != (tt.want == nil) {
			t.Errorf("Any(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

// patterns are of the kinds the policy and the answer types use.
var patterns = []string{
	`\b(when|what date|which date|(?:exact|precise|specific) (?:date|day|month)|cut-?off date|how long|until when|eta|bis wann|cuándo|jusqu'à quand|(?:welche[rnms]?|in welchem) (?:monat|tag|datum)|qu[ée] (?:mes|d[ií]a|fecha))\b`,
	`\b(how many|how much|what(?:'s| is) the (?:limit|max\w*|cap)|(?:more|fewer|less) than \d[\d,.]*[km]?|over \d[\d,.]*[km]?)\b`,
	`(?:bis|tot|jusqu'(?:à|a|au)|hasta|fino a|fino alla|até|ate)(?: \w+)? (?:ende|eind|fin|\d{4}|(?:januar|juni|juin|junio))`,
	`(?:a )?(?:few|couple(?: of)?|two|\d+) (?:more|extra|additional) (?:days|weeks|months)`,
	`[45]\d\d`,
	`(?:^|[^\p{L}])(?:don'?t want|avoid|if|unless|in case|going to)(?:\s+\S+){0,6}\s*$`,
	`\b(January|February|May|June)( \d{1,2})?, ?(\d{4})\b|\b(January|May|June) (\d{4})\b`,
	`\b(ci)[- ]?([jd])(?:ourneys|ata)?\b|\b(e)-(mail)|\b(real)[- ](time)\b`,
	`d[ée]cal(?:er|é|e|ez)`,
	`(?:é|e)t[ée]`,
	`(?:is )?(?:this|that|it) (?:is )?(?:normal|expected|by design)`,
	`\b(what(?:'s| is) the (?:limit|max\w*|cap)|qu[ée] (?:mes|d[ií]a)|pi[uù] di \d[\d,.]*[km]?)\b`,
	`x{2,3}yy`,
}

// pieces are what random texts are made of: the patterns' words, parts
// of them, digits, accents and separators.
var pieces = []string{
	"when", "wh", "en", "how", " long", "eta", "date", "day", "month", "exact", "cut", "-", "off", " ", " ", "  ", "\n",
	"bis", "wann", "cuándo", "jusqu'", "à", "quand", "welche", "r", "in welchem", "monat", "qué", "mes", "día",
	"how many", "much", "what's the", "limit", "max", "imum", "more", "than", "fewer", "over", "1", "5", "42", "400", ",", ".", "k", "m",
	"tot", "hasta", "fino a", "lla", "até", "ate", "ende", "fin", "2025", "juni", "juin", "junio", "a ", "few", "couple", " of", "two",
	"extra", "additional", "days", "weeks", "don't want", "dont", "avoid", "if", "unless", "in case", "going to", "x", "é",
	"January", "June", "May", " 30", ", ", "June 30, 2025", "May 2025", "few more days", "2 extra weeks",
	"is ", "this", "that", "it", "normal", "expected", "by design", "this is normal", "it expected", "what's the ", "what is the ", "limit", "maximum", "cap",
	"qué", "que", "mes", "día", "dia", "più di ", "piu di ", "xx", "xxx", "yy", "y", "ci", "j", "d", "ourneys", "ata", "e-mail", "real", "time", "real time", "décaler", "decale", "été",
}

func randomText(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(12) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// A gate never turns away a text the pattern matches.
func TestGateNeverClosesOnAMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, p := range patterns {
		re, g := regexp.MustCompile(p), NewGate(p)
		matched, closed := 0, 0
		for range 6000 {
			text := randomText(r)
			switch {
			case re.MatchString(text):
				matched++
				if !g.Open(text) {
					t.Fatalf("%q matches %q, but the gate %q is closed", p, text, Any(p))
				}
			case !g.Open(text):
				closed++
			}
		}
		if matched == 0 {
			t.Errorf("%q: no random text matched; the test says nothing about it", p)
		}
		t.Logf("%q: %d of 6000 matched, %d others skipped", p, matched, closed)
	}
}

func FuzzGate(f *testing.F) {
	for _, p := range pieces {
		f.Add(p)
	}
	res := make([]*regexp.Regexp, len(patterns))
	gates := make([]Gate, len(patterns))
	for i, p := range patterns {
		res[i], gates[i] = regexp.MustCompile(p), NewGate(p)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for i, re := range res {
			if re.MatchString(text) && !gates[i].Open(text) {
				t.Fatalf("%q matches %q, but the gate is closed", patterns[i], text)
			}
		}
	})
}

func TestRegexpAnswersAsRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, p := range patterns {
		gated, plain := MustCompile(p), regexp.MustCompile(p)
		for range 1500 {
			text := randomText(r)
			if got, want := gated.MatchString(text), plain.MatchString(text); got != want {
				t.Fatalf("%q MatchString(%q) = %v, regexp says %v", p, text, got, want)
			}
			if got, want := gated.FindAllString(text, -1), plain.FindAllString(text, -1); !slices.Equal(got, want) {
				t.Fatalf("%q FindAllString(%q) = %q, regexp says %q", p, text, got, want)
			}
			if got, want := gated.FindStringSubmatch(text), plain.FindStringSubmatch(text); !slices.Equal(got, want) {
				t.Fatalf("%q FindStringSubmatch(%q) = %q, regexp says %q", p, text, got, want)
			}
			if got, want := gated.ReplaceAllString(text, "$1$2"), plain.ReplaceAllString(text, "$1$2"); got != want {
				t.Fatalf("%q ReplaceAllString(%q) = %q, regexp says %q", p, text, got, want)
			}
		}
	}
}
