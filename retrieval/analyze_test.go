package retrieval

import (
	"reflect"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Do I need new licenses?", []string{"need", "new", "licens"}},
		{"licensing", []string{"licens"}},
		{"RTJ vs OBM", []string{"realtim", "journey", "vs", "outbound", "market"}},
		{"real-time journeys, real time, realtime", []string{"realtim", "journey", "realtim", "realtim"}},
		{"CI-J in D365", []string{"custom", "insight", "journey", "dynam", "365"}},
		{"We won't be ready by June 30, 2025.", []string{"readi", "june", "30", "2025"}},
		{"E-mail designer", []string{"email", "design"}},
		{"Kann ich eine Verlängerung beantragen?", []string{"kann", "ich", "ein", "verlängerung", "beantragen"}},
	}
	for _, tt := range tests {
		if got := Terms(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
