package teams

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// verify reports whether an Authorization header carries Teams' signature
// of body: "HMAC " followed by base64(HMAC-SHA256(key, body)). The MACs are
// compared in constant time so that response timing reveals nothing about
// the expected one.
func verify(key []byte, authorization string, body []byte) bool {
	scheme, sig, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "HMAC") {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
