package teams

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestAppPackage(t *testing.T) {
	var buf bytes.Buffer
	if err := DefaultAppPackage(testAppID).WriteZip(&buf); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes())
	if len(files) != 3 {
		t.Errorf("package holds %d files, want manifest and two icons", len(files))
	}
	var m map[string]any
	if err := json.Unmarshal(files[ManifestFile], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	// Required by the 1.17 schema.
	for _, k := range []string{"$schema", "manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"} {
		if _, ok := m[k]; !ok {
			t.Errorf("manifest lacks %q", k)
		}
	}
	if m["manifestVersion"] != "1.17" || m["id"] != testAppID {
		t.Errorf("manifestVersion %v, id %v", m["manifestVersion"], m["id"])
	}
	dev := m["developer"].(map[string]any)
	for _, k := range []string{"name", "websiteUrl", "privacyUrl", "termsOfUseUrl"} {
		if s, _ := dev[k].(string); s == "" {
			t.Errorf("developer.%s is empty", k)
		}
	}
	name := m["name"].(map[string]any)
	if n := utf8.RuneCountInString(name["short"].(string)); n == 0 || n > 30 {
		t.Errorf("name.short has %d characters", n)
	}
	desc := m["description"].(map[string]any)
	if n := utf8.RuneCountInString(desc["short"].(string)); n == 0 || n > 80 {
		t.Errorf("description.short has %d characters", n)
	}
	bots := m["bots"].([]any)
	if len(bots) != 1 {
		t.Fatalf("%d bots", len(bots))
	}
	b := bots[0].(map[string]any)
	if b["botId"] != testAppID {
		t.Errorf("botId = %v", b["botId"])
	}
	var scopes []string
	for _, s := range b["scopes"].([]any) {
		scopes = append(scopes, s.(string))
	}
	for _, want := range []string{"personal", "team", "groupChat"} {
		if !slices.Contains(scopes, want) {
			t.Errorf("bot scopes %v lack %s", scopes, want)
		}
	}
	cmds := b["commandLists"].([]any)[0].(map[string]any)["commands"].([]any)
	if len(cmds) == 0 || len(cmds) > 10 {
		t.Errorf("%d commands", len(cmds))
	}
	for _, c := range cmds {
		c := c.(map[string]any)
		if n := utf8.RuneCountInString(c["title"].(string)); n > 32 {
			t.Errorf("command title %q has %d characters", c["title"], n)
		}
		if n := utf8.RuneCountInString(c["description"].(string)); n > 128 {
			t.Errorf("command description %q has %d characters", c["description"], n)
		}
	}

	icons := m["icons"].(map[string]any)
	col := decodePNG(t, files[icons["color"].(string)])
	if s := col.Bounds().Size(); s.X != 192 || s.Y != 192 {
		t.Errorf("color icon is %v, want 192×192", s)
	}
	out := decodePNG(t, files[icons["outline"].(string)])
	if s := out.Bounds().Size(); s.X != 32 || s.Y != 32 {
		t.Errorf("outline icon is %v, want 32×32", s)
	}
	white, clear := 0, 0
	for y := range 32 {
		for x := range 32 {
			r, g, b, a := out.At(x, y).RGBA()
			switch {
			case a == 0:
				clear++
			case r == 0xffff && g == 0xffff && b == 0xffff && a == 0xffff:
				white++
			default:
				t.Fatalf("outline pixel (%d,%d) is neither white nor transparent: %v", x, y, out.At(x, y))
			}
		}
	}
	if white == 0 || clear == 0 {
		t.Errorf("outline has %d white and %d transparent pixels", white, clear)
	}
}

func TestAppPackageRejectsWhatTheSchemaWould(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*AppPackage)
	}{
		{"app id not a GUID", func(p *AppPackage) { p.AppID = "faq-bot" }},
		{"version not semver", func(p *AppPackage) { p.Version = "1.0" }},
		{"short name too long", func(p *AppPackage) { p.ShortName = "A very long name for a Teams app" }},
		{"website not https", func(p *AppPackage) { p.WebsiteURL = "http://example.com" }},
		{"privacy not a URL", func(p *AppPackage) { p.PrivacyURL = "privacy" }},
		{"accent not a colour", func(p *AppPackage) { p.AccentColor = "blue" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultAppPackage(testAppID)
			tt.mod(&p)
			if err := p.WriteZip(io.Discard); err == nil {
				t.Error("no error")
			}
		})
	}
}

func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("icon is not a PNG: %v", err)
	}
	return img
}
