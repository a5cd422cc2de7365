package retrieval

import (
	"reflect"
	"testing"
)

func TestTypeOf(t *testing.T) {
	tests := []struct {
		question string
		want     AnswerTypes
	}{
		{"When does outbound go away?", TimeAnswer},
		{"How long do we have left?", TimeAnswer | DurationAnswer},
		{"What exact day is the cutoff?", TimeAnswer | ExactAnswer},
		{"How much does real-time journeys cost?", PriceAnswer},
		{"How many contacts can it handle?", AmountAnswer},
		{"How do I set up my first journey?", ProcedureAnswer},
		{"Why did Microsoft drop social posting?", ReasonAnswer},
		{"Bis wann müssen wir umsteigen?", TimeAnswer},
		{"¿Cuánto cuesta?", PriceAnswer},
		{"Our segments are important to us.", 0},
		{"fecha exacta de la retirada?", TimeAnswer | ExactAnswer},
		{"can we have more than 40 journeys live?", AmountAnswer},
		{"cuantos contactos soporta?", AmountAnswer},
	}
	for _, tt := range tests {
		if got := TypeOf(tt.question); got != tt.want {
			t.Errorf("TypeOf(%q) = %07b, want %07b", tt.question, got, tt.want)
		}
	}
}

func TestHolds(t *testing.T) {
	tests := []struct {
		text string
		t    AnswerTypes
		want bool
	}{
		{"Outbound marketing is removed after June 30, 2025.", TimeAnswer, true},
		{"Customers get a few months to move.", TimeAnswer, true},
		{"Customers get a few months to move.", TimeAnswer | ExactAnswer, false},
		{"Real-time journeys scale to 100 million contacts.", AmountAnswer, true},
		{"Real-time journeys scale well.", AmountAnswer, false},
		{"It comes at no additional cost.", PriceAnswer, true},
		{"Talk to your account team about licensing.", PriceAnswer, false},
		{"Any text at all.", ProcedureAnswer | ReasonAnswer, true},
	}
	for _, tt := range tests {
		if got := Holds(tt.text, tt.t); got != tt.want {
			t.Errorf("Holds(%q, %07b) = %v, want %v", tt.text, tt.t, got, tt.want)
		}
	}
}

func TestAmountUnit(t *testing.T) {
	tests := []struct {
		question, unit, text string
		holds                bool
	}{
		{"How many contacts can we have?", "contacts", "It supports up to 100 million contacts.", true},
		{"how many more weeks do we get?", "weeks", "You get two weeks after the date.", true},
		{"How many emails per hour?", "emails", "It supports 100 million contacts.", false},
		{"What does it do?", "", "", false},
	}
	for _, tt := range tests {
		u := AmountUnit(tt.question)
		if u != tt.unit {
			t.Errorf("AmountUnit(%q) = %q, want %q", tt.question, u, tt.unit)
			continue
		}
		if u != "" && HoldsAmountOf(tt.text, u) != tt.holds {
			t.Errorf("HoldsAmountOf(%q, %q) = %v, want %v", tt.text, u, !tt.holds, tt.holds)
		}
	}
}

func TestDates(t *testing.T) {
	got := Dates("Removed after June 30, 2025; hidden from new environments since July 2024, two weeks later.")
	if want := []string{"June 30, 2025", "July 2024"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Dates = %q, want %q", got, want)
	}
	if Dates("no digits here, June") != nil || HoldsDate("in two weeks") {
		t.Error("a text without a year holds no date")
	}
}
