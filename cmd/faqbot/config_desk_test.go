package main

import (
	"testing"
	"time"
)

func TestDeskSettings(t *testing.T) {
	for _, tc := range []struct {
		env            map[string]string
		remind         time.Duration
		public, admins string
	}{
		{env: nil, remind: 24 * time.Hour},
		{env: map[string]string{"FAQBOT_ESCALATION_REMIND": "2d"}, remind: 48 * time.Hour},
		{env: map[string]string{"FAQBOT_ESCALATION_REMIND": "off"}, remind: -1},
		{env: map[string]string{"FAQBOT_ESCALATION_REMIND": "0"}, remind: -1},
		{env: map[string]string{"FAQBOT_PUBLIC_URL": "https://faqbot.example.com/"}, remind: 24 * time.Hour,
			public: "https://faqbot.example.com"},
		{env: map[string]string{"FAQBOT_PUBLIC_URL": "https://faqbot.example.com/bot", "FAQBOT_ADMIN_TOKEN": "t"}, remind: 24 * time.Hour,
			public: "https://faqbot.example.com/bot", admins: "https://faqbot.example.com/bot/admin"},
	} {
		cfg, err := loadConfig(func(k string) string { return tc.env[k] }, "", "")
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if cfg.EscalationRemind != tc.remind || cfg.PublicURL != tc.public || cfg.adminURL() != tc.admins {
			t.Errorf("%v: remind %v, public %q, admin %q", tc.env, cfg.EscalationRemind, cfg.PublicURL, cfg.adminURL())
		}
	}
}
