// Package redact makes configured locations fit to show in logs, metrics,
// errors and replies: the one place that decides what of a URL may be
// seen.
package redact

import (
	"net/url"
	"strings"
)

// Placeholder stands for a value that was removed.
const Placeholder = "REDACTED"

// URL shows s without the credentials a URL can carry: the user info
// (user:password@, or a token as the user name) and the fragment are
// dropped and the query, where signatures and tokens travel, becomes
// Placeholder. Anything that is not a URL with a host, such as a file path
// or "embedded:transition-faqs.md", passes through. A string that looks
// like a URL but does not parse is not shown at all, since its credentials
// cannot be found.
func URL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if looksLikeURL(s) {
			return "(a URL that does not parse)"
		}
		return s
	}
	if u.Opaque != "" && (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")) {
		// "https:user:pass@host": nothing is safe to show but the scheme.
		return u.Scheme + ":" + Placeholder
	}
	if u.Host == "" {
		return s
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery, u.ForceQuery = Placeholder, false
	}
	return u.String()
}

func looksLikeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && scheme != "" && !strings.ContainsAny(scheme, `/\ `)
}
