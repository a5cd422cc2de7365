package main

import (
	"context"
	"fmt"

	"github.com/faqbot/faqbot/bot/teams"
	"github.com/faqbot/faqbot/internal/atomicfile"
)

// runTeamsApp builds the Teams app package for the Bot Framework bot named
// by MICROSOFT_APP_ID: the zip to sideload or upload in the admin center.
func runTeamsApp(_ context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("teams-app", &common)
	out := fs.String("out", "", "where to write the package (.zip)")
	p := teams.DefaultAppPackage("")
	fs.StringVar(&p.ShortName, "name", p.ShortName, "the app's short name (30 characters at most)")
	fs.StringVar(&p.Version, "version", p.Version, "the package version, MAJOR.MINOR.PATCH; raise it for every update")
	fs.StringVar(&p.Developer, "developer", p.Developer, "who publishes the app")
	fs.StringVar(&p.WebsiteURL, "website", p.WebsiteURL, "the publisher's https website")
	fs.StringVar(&p.PrivacyURL, "privacy-url", "", "https privacy statement (default: --website)")
	fs.StringVar(&p.TermsURL, "terms-url", "", "https terms of use (default: --website)")
	fs.StringVar(&p.AccentColor, "accent-color", p.AccentColor, "the icon's background, #RRGGBB")
	cfg, pos, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 0:
		return &usageError{"teams-app: takes no arguments"}
	case *out == "":
		return &usageError{"teams-app: --out FILE.zip is required"}
	case cfg.MicrosoftAppID == "":
		return bad("MICROSOFT_APP_ID", "required: the package installs the Azure Bot with this Microsoft App ID")
	}
	p.AppID = cfg.MicrosoftAppID
	if _, err := p.Manifest(); err != nil {
		return &usageError{fmt.Sprintf("teams-app: %v", err)}
	}
	if err := atomicfile.WriteFile(*out, 0o644, p.WriteZip); err != nil {
		return fmt.Errorf("teams-app: %w", err)
	}
	fmt.Fprintf(std.out, "wrote %s: Teams app %q %s for bot %s (manifest %s)\n", *out, p.ShortName, p.Version, p.AppID, teams.ManifestVersion)
	return nil
}
