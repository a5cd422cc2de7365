package teams

import "testing"

func TestVerify(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	body := []byte(`{"type":"message","text":"hi"}`)
	good := sign(key, body)
	sig := good[len("HMAC "):]
	tests := []struct {
		name string
		auth string
		want bool
	}{
		{"as Teams sends it", good, true},
		{"scheme in lower case", "hmac " + sig, true},
		{"surrounding spaces", "  " + good + " ", true},
		{"empty", "", false},
		{"scheme only", "HMAC", false},
		{"no scheme", sig, false},
		{"other scheme", "Bearer " + sig, false},
		{"bad base64", "HMAC ***", false},
		{"truncated", good[:len(good)-4], false},
		{"empty signature", "HMAC ", false},
		{"signature of another body", sign(key, []byte("{}")), false},
		{"signature with another key", sign([]byte("another key"), body), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verify(key, tt.auth, body); got != tt.want {
				t.Errorf("verify(%q) = %v, want %v", tt.auth, got, tt.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	f.Add("HMAC abc=", []byte("{}"))
	f.Add(sign(key, []byte("{}")), []byte("{}"))
	f.Fuzz(func(t *testing.T, auth string, body []byte) {
		if verify(key, auth, body) && auth != "" {
			// Accepting means the header carries exactly the body's MAC.
			if !verify(key, sign(key, body), body) {
				t.Fatal("accepted a header while rejecting the true signature")
			}
		}
	})
}
