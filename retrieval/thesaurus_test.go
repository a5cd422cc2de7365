package retrieval

import (
	"reflect"
	"sort"
	"testing"
)

func TestThesaurusExpand(t *testing.T) {
	th := parseThesaurus(`# a comment
remove, retire, phase out
cost, price
remove, retire = entfernen, supprimer
`)
	tests := []struct {
		name     string
		question string
		foreign  bool
		want     []string // the expanded terms, sorted
	}{
		{"a two-way group expands to its other phrases", "when do they retire it", false,
			[]string{"phase", "remov", "retir"}},
		{"phrases match by stem", "what does it cost", false, []string{"cost", "price"}},
		{"a one-way group's source expands to its targets in a foreign question", "wann wird es entfernen", true,
			[]string{"remov", "retir"}},
		{"a one-way group stays silent in an English question", "wann wird es entfernen", false, nil},
		{"a one-way group's target expands to nothing through it", "remove it", true,
			[]string{"phase", "remov", "retir"}},
		{"nothing matches", "what about segments", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := words(tt.question)
			var got []string
			for _, s := range th.expand(stemAll(ws), contentTokens(ws), tt.foreign) {
				got = append(got, s.terms...)
			}
			sort.Strings(got)
			got = dedupe(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("expand(%q, foreign %v) = %q, want %q", tt.question, tt.foreign, got, tt.want)
			}
		})
	}
}

func dedupe(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// The shipped thesaurus parses into groups, and its one-way lines carry
// translations: an English question never expands into their foreign
// words, a foreign one reaches the English words.
func TestShippedThesaurusKeepsTranslationsOneWay(t *testing.T) {
	th := parseThesaurus(defaultThesaurus)
	if len(th.groups) < 20 {
		t.Fatalf("shipped thesaurus has %d groups", len(th.groups))
	}
	ws := words("Will outbound marketing be discontinued and removed?")
	for _, s := range th.expand(stemAll(ws), contentTokens(ws), false) {
		for _, term := range s.terms {
			if term == "abgeschaltet" || term == "stilllegung" {
				t.Errorf("English question expanded to the foreign term %q", term)
			}
		}
	}
	ws = words("Wann wird Outbound-Marketing entfernt?")
	found := false
	for _, s := range th.expand(stemAll(ws), contentTokens(ws), true) {
		for _, term := range s.terms {
			found = found || term == "remov"
		}
	}
	if !found {
		t.Error("German question did not reach the English word for removal")
	}
}
