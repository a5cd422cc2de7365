package main

import (
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// checkDesk reads the support loop's setting FAQBOT_ESCALATION_REMIND.
func (c *config) checkDesk(env func(string) string) error {
	c.EscalationRemind = bot.DefaultRemindAfter
	switch v := strings.TrimSpace(env("FAQBOT_ESCALATION_REMIND")); v {
	case "":
	case "off", "0":
		c.EscalationRemind = -1
	default:
		d, err := parseSpan(v)
		if err != nil || d < bot.DefaultFollowupEvery {
			return bad("FAQBOT_ESCALATION_REMIND", "%q is not a span of at least a minute such as 24h or 2d, or off", v)
		}
		c.EscalationRemind = d
	}
	return nil
}

// adminURL is the dashboard's public address, "" when the public URL or
// the admin token is not set.
func (c *config) adminURL() string {
	if c.PublicURL == "" || c.AdminToken == "" {
		return ""
	}
	return c.PublicURL + "/admin"
}
