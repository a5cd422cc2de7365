package main

import "net/url"

// checkPublicURL accepts FAQBOT_PUBLIC_URL as an absolute http(s) base
// URL without query or fragment: citations append /faq/… to it.
func (c *config) checkPublicURL() error {
	if c.PublicURL == "" {
		return nil
	}
	if err := httpURL(c.PublicURL); err != nil {
		return bad("FAQBOT_PUBLIC_URL", "%v", err)
	}
	u, _ := url.Parse(c.PublicURL)
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return bad("FAQBOT_PUBLIC_URL", "want a base URL such as https://faq.example.com, without query, fragment or credentials")
	}
	return nil
}
