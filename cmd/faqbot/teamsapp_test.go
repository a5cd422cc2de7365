package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTeamsAppWritesThePackage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "faqbot-teams.zip")
	env := withDefaults(t, botEnv())
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"teams-app", "--out", out, "--name", "Transition FAQ", "--version", "1.2.0", "--website", "https://faq.contoso.example"},
		strings.NewReader(""), &stdout, &stderr, func(k string) string { return env[k] })
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	var m struct {
		ManifestVersion string `json:"manifestVersion"`
		Version         string `json:"version"`
		ID              string `json:"id"`
		Name            struct{ Short string }
		Developer       struct {
			WebsiteURL    string `json:"websiteUrl"`
			PrivacyURL    string `json:"privacyUrl"`
			TermsOfUseURL string `json:"termsOfUseUrl"`
		}
		Icons struct{ Color, Outline string }
		Bots  []struct {
			BotID  string   `json:"botId"`
			Scopes []string `json:"scopes"`
		}
	}
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	appID := env["MICROSOFT_APP_ID"]
	if m.ManifestVersion != "1.17" || m.Version != "1.2.0" || m.ID != appID || m.Name.Short != "Transition FAQ" ||
		len(m.Bots) != 1 || m.Bots[0].BotID != appID || len(m.Bots[0].Scopes) != 3 ||
		m.Developer.WebsiteURL != "https://faq.contoso.example" || m.Developer.PrivacyURL != m.Developer.WebsiteURL || m.Developer.TermsOfUseURL != m.Developer.WebsiteURL {
		t.Errorf("manifest = %+v", m)
	}
	for name, size := range map[string]int{m.Icons.Color: 192, m.Icons.Outline: 32} {
		img, err := png.Decode(bytes.NewReader(files[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := img.Bounds().Size(); s.X != size || s.Y != size {
			t.Errorf("%s is %v, want %d×%d", name, s, size, size)
		}
	}
	if !strings.Contains(stdout.String(), out) {
		t.Errorf("stdout does not say where the package went: %s", stdout.String())
	}
}

func TestTeamsAppErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no --out", botEnv(), nil, "--out"},
		{"no bot configured", nil, []string{"--out", filepath.Join(dir, "a.zip")}, "MICROSOFT_APP_ID"},
		{"bad version", botEnv(), []string{"--out", filepath.Join(dir, "b.zip"), "--version", "2"}, "version"},
		{"website not https", botEnv(), []string{"--out", filepath.Join(dir, "c.zip"), "--website", "http://x.example"}, "https"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := withDefaults(t, c.env)
			var stderr bytes.Buffer
			code := run(t.Context(), append([]string{"teams-app"}, c.args...), strings.NewReader(""), io.Discard, &stderr, func(k string) string { return env[k] })
			if code != exitUsage || !strings.Contains(errorLine(stderr.String()), c.want) {
				t.Errorf("exit %d, error %q; want 2 naming %s", code, errorLine(stderr.String()), c.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed runs left files: %v", entries)
	}
}
