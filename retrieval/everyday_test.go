package retrieval

import "testing"

func TestEverydaySpecificity(t *testing.T) {
	e := parseEveryday(defaultEverydayWords())
	tests := []struct {
		word     string
		min, max float64
	}{
		{"boss", 0, 0},         // a workplace word: sets the scene
		{"friday", 0, 0.3},     // everyday speech
		{"bosses", 0, 0},       // plural of an everyday word
		{"webinar", 1, 1},      // not everyday at all
		{"dkim", 1, 1},         // unranked
		{"trotzdem", 0.3, 0.3}, // an everyday word of another language
	}
	for _, tt := range tests {
		if got := e.specificity(tt.word); got < tt.min || got > tt.max {
			t.Errorf("specificity(%q) = %.2f, want in [%.2f, %.2f]", tt.word, got, tt.min, tt.max)
		}
	}
}

func TestEverydayForeign(t *testing.T) {
	e := parseEveryday(defaultEverydayWords())
	tests := []struct {
		question string
		want     bool
	}{
		{"Wann wird das Outbound-Marketing entfernt und was passiert mit unseren Daten?", true},
		{"¿Cuándo se elimina el marketing saliente y qué pasa con nuestros datos?", true},
		{"Quand le marketing sortant sera-t-il supprimé ?", true},
		{"Wanneer wordt outbound marketing verwijderd en wat gebeurt er met onze gegevens?", true},
		{"When will outbound marketing be removed and what happens to our data?", false},
		{"Can we keep our segments and forms after the removal?", false},
	}
	for _, tt := range tests {
		if got := e.foreign(words(tt.question)); got != tt.want {
			t.Errorf("foreign(%q) = %v, want %v", tt.question, got, tt.want)
		}
	}
}

func defaultEverydayWords() string { return everydayWords }
