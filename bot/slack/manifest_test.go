package slack

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestManifestMatchesTheHandlers keeps slack/manifest.yml in step with
// what the app serves and the scopes its Web API calls need.
func TestManifestMatchesTheHandlers(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "slack", "manifest.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			Assistant *struct {
				Description string `yaml:"assistant_description"`
			} `yaml:"assistant_view"`
			SlashCommands []struct {
				Command string `yaml:"command"`
				URL     string `yaml:"url"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				URL    string   `yaml:"request_url"`
				Events []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool   `yaml:"is_enabled"`
				URL     string `yaml:"request_url"`
			} `yaml:"interactivity"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Features.Assistant == nil || m.Features.Assistant.Description == "" {
		t.Error("no assistant_view: the app would not appear in Slack's AI-app surface")
	}
	var commands []string
	for _, c := range m.Features.SlashCommands {
		commands = append(commands, c.Command)
		if !strings.HasSuffix(c.URL, "/slack/commands") {
			t.Errorf("%s goes to %s", c.Command, c.URL)
		}
	}
	if !slices.Equal(commands, []string{"/faq", "/faq-refresh"}) {
		t.Errorf("commands %v", commands)
	}
	if !slices.Equal(m.Settings.Events.Events, []string{"app_mention", "message.im", "assistant_thread_started", "assistant_thread_context_changed"}) || !strings.HasSuffix(m.Settings.Events.URL, "/slack/events") {
		t.Errorf("events %v at %s", m.Settings.Events.Events, m.Settings.Events.URL)
	}
	if !m.Settings.Interactivity.Enabled || !strings.HasSuffix(m.Settings.Interactivity.URL, "/slack/interactions") {
		t.Errorf("interactivity %+v", m.Settings.Interactivity)
	}
	for _, s := range []string{"app_mentions:read", "chat:write", "commands", "im:history", "channels:history", "groups:history", "reactions:write", "assistant:write"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, s) {
			t.Errorf("scope %s missing", s)
		}
	}
}
