package teams

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The Teams app package that installs the bot: manifest.json and two icons
// in a zip, to sideload in Teams or upload in the Teams admin center.

// ManifestVersion is the app manifest schema the package follows.
const ManifestVersion = "1.17"

const manifestSchema = "https://developer.microsoft.com/en-us/json-schemas/teams/v" + ManifestVersion + "/MicrosoftTeams.schema.json"

// File names inside the package.
const (
	ManifestFile    = "manifest.json"
	ColorIconFile   = "color.png"
	OutlineIconFile = "outline.png"
)

// AppPackage describes the Teams app. AppID is required; the rest have
// defaults (DefaultAppPackage).
type AppPackage struct {
	// AppID is the bot's Microsoft App ID, also used as the app's id.
	AppID            string
	Version          string
	ShortName        string
	FullName         string
	ShortDescription string
	FullDescription  string
	Developer        string
	WebsiteURL       string
	PrivacyURL       string
	TermsURL         string
	// AccentColor is the icon's background, #RRGGBB.
	AccentColor string
}

// DefaultAppPackage is the package for appID with faqbot's defaults.
func DefaultAppPackage(appID string) AppPackage {
	return AppPackage{
		AppID:            appID,
		Version:          "1.0.0",
		ShortName:        "FAQ Bot",
		FullName:         "Customer Insights – Journeys transition FAQ bot",
		ShortDescription: "Answers questions on the move from outbound marketing to real-time journeys.",
		FullDescription: "Ask about the Dynamics 365 Customer Insights – Journeys transition from outbound marketing " +
			"to real-time journeys. Every answer cites the exact section of Microsoft's transition FAQ. Extension " +
			"requests and outbound topics the FAQ can't help with are handed to people, and you are told here when " +
			"someone follows up. Use it in a personal chat, a group chat or a channel (mention it there).",
		Developer:   "faqbot",
		WebsiteURL:  "https://github.com/faqbot/faqbot",
		AccentColor: "#0F6CBD",
	}
}

// Manifest limits of schema 1.17.
const (
	maxShortName        = 30
	maxFullName         = 100
	maxShortDescription = 80
	maxFullDescription  = 4000
	maxCommandTitle     = 32
	maxCommandDesc      = 128
)

// botCommands are the suggestions Teams shows in the compose box.
var botCommands = []manifestCommand{
	{Title: "When is outbound removed?", Description: "When will outbound marketing be removed from Customer Insights – Journeys?"},
	{Title: "What happens to my data?", Description: "What happens to outbound segments, forms, events and their data after the removal?"},
	{Title: "How do I transition?", Description: "How do I move from outbound marketing to real-time journeys?"},
	{Title: "Request an extension", Description: "Ask for more time to move off outbound marketing; a person handles it."},
}

type manifest struct {
	Schema          string        `json:"$schema"`
	ManifestVersion string        `json:"manifestVersion"`
	Version         string        `json:"version"`
	ID              string        `json:"id"`
	Developer       manifestDev   `json:"developer"`
	Name            manifestText  `json:"name"`
	Description     manifestText  `json:"description"`
	Icons           manifestIcons `json:"icons"`
	AccentColor     string        `json:"accentColor"`
	Bots            []manifestBot `json:"bots"`
	ValidDomains    []string      `json:"validDomains"`
}

type manifestDev struct {
	Name          string `json:"name"`
	WebsiteURL    string `json:"websiteUrl"`
	PrivacyURL    string `json:"privacyUrl"`
	TermsOfUseURL string `json:"termsOfUseUrl"`
}

type manifestText struct {
	Short string `json:"short"`
	Full  string `json:"full"`
}

type manifestIcons struct {
	Color   string `json:"color"`
	Outline string `json:"outline"`
}

type manifestBot struct {
	BotID              string                `json:"botId"`
	Scopes             []string              `json:"scopes"`
	SupportsFiles      bool                  `json:"supportsFiles"`
	IsNotificationOnly bool                  `json:"isNotificationOnly"`
	CommandLists       []manifestCommandList `json:"commandLists"`
}

type manifestCommandList struct {
	Scopes   []string          `json:"scopes"`
	Commands []manifestCommand `json:"commands"`
}

type manifestCommand struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

var (
	guidPattern    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	semverPattern  = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$`)
	colorPattern   = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	botScopes      = []string{personalChat, "team", groupChat}
	errBadManifest = errors.New("teams app")
)

// IsGUID reports whether s is a GUID, as Entra ID app and tenant ids are.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

// Manifest returns manifest.json, or an error naming the field that the
// schema would reject.
func (p AppPackage) Manifest() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	privacy, terms := firstNonEmpty(p.PrivacyURL, p.WebsiteURL), firstNonEmpty(p.TermsURL, p.WebsiteURL)
	m := manifest{
		Schema:          manifestSchema,
		ManifestVersion: ManifestVersion,
		Version:         p.Version,
		ID:              strings.ToLower(p.AppID),
		Developer:       manifestDev{Name: p.Developer, WebsiteURL: p.WebsiteURL, PrivacyURL: privacy, TermsOfUseURL: terms},
		Name:            manifestText{Short: p.ShortName, Full: p.FullName},
		Description:     manifestText{Short: p.ShortDescription, Full: p.FullDescription},
		Icons:           manifestIcons{Color: ColorIconFile, Outline: OutlineIconFile},
		AccentColor:     strings.ToUpper(p.AccentColor),
		Bots: []manifestBot{{
			BotID:        p.AppID,
			Scopes:       botScopes,
			CommandLists: []manifestCommandList{{Scopes: botScopes, Commands: botCommands}},
		}},
		ValidDomains: []string{},
	}
	return json.MarshalIndent(m, "", "  ")
}

func (p AppPackage) check() error {
	fields := []struct {
		name, value string
		max         int
	}{
		{"short name", p.ShortName, maxShortName},
		{"full name", p.FullName, maxFullName},
		{"short description", p.ShortDescription, maxShortDescription},
		{"full description", p.FullDescription, maxFullDescription},
		{"developer name", p.Developer, 32},
	}
	for _, f := range fields {
		if n := utf8.RuneCountInString(f.value); n == 0 || n > f.max {
			return fmt.Errorf("%w: %s must have 1 to %d characters (has %d)", errBadManifest, f.name, f.max, n)
		}
	}
	switch {
	case !IsGUID(p.AppID):
		return fmt.Errorf("%w: app id %q is not a GUID", errBadManifest, p.AppID)
	case !semverPattern.MatchString(p.Version):
		return fmt.Errorf("%w: version %q is not MAJOR.MINOR.PATCH", errBadManifest, p.Version)
	case !colorPattern.MatchString(p.AccentColor):
		return fmt.Errorf("%w: accent color %q is not #RRGGBB", errBadManifest, p.AccentColor)
	}
	for _, u := range []struct{ name, value string }{
		{"website URL", p.WebsiteURL}, {"privacy URL", p.PrivacyURL}, {"terms of use URL", p.TermsURL},
	} {
		if u.value == "" && u.name != "website URL" {
			continue
		}
		if parsed, err := url.Parse(u.value); err != nil || parsed.Scheme != "https" || parsed.Host == "" {
			return fmt.Errorf("%w: %s %q must be an https URL", errBadManifest, u.name, u.value)
		}
	}
	return nil
}

// WriteZip writes the app package: manifest.json, color.png (192×192) and
// outline.png (32×32, white on transparent).
func (p AppPackage) WriteZip(w io.Writer) error {
	m, err := p.Manifest()
	if err != nil {
		return err
	}
	color, err := colorIcon(p.AccentColor)
	if err != nil {
		return err
	}
	outline, err := outlineIcon()
	if err != nil {
		return err
	}
	z := zip.NewWriter(w)
	for _, f := range []struct {
		name string
		data []byte
	}{{ManifestFile, m}, {ColorIconFile, color}, {OutlineIconFile, outline}} {
		fw, err := z.Create(f.name)
		if err != nil {
			return fmt.Errorf("zip %s: %w", f.name, err)
		}
		if _, err := fw.Write(f.data); err != nil {
			return fmt.Errorf("zip %s: %w", f.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	return nil
}
