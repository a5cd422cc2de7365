package egress

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/internal/egress/egresstest"
)

func TestParse(t *testing.T) {
	p, err := Parse(" Learn.Microsoft.com., 10.1.2.0/24 ,192.0.2.7,[2001:db8::1],,")
	if err != nil {
		t.Fatal(err)
	}
	if !p.hosts["learn.microsoft.com"] || len(p.nets) != 3 {
		t.Errorf("parsed %+v", p)
	}
	for _, bad := range []string{"https://github.com", "github.com:443", "*.github.com", "10.0.0.0/33", "github.com/x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q): no error", bad)
		}
	}
}

func TestCheckURL(t *testing.T) {
	p, err := Parse(DefaultHosts + ",10.1.2.0/24,docs.corp.example")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://learn.microsoft.com/en-us/faq.md", true},
		{"https://LEARN.microsoft.com./faq.md", true},
		{"http://raw.githubusercontent.com:8080/o/r/faq.md", true},
		{"https://docs.corp.example/faq.md", true},
		{"http://10.1.2.3/faq.md", true},
		{"https://evil.learn.microsoft.com/faq.md", false},
		{"https://learn.microsoft.com.evil.example/faq.md", false},
		{"http://127.0.0.1:8080/internal.md", false},
		{"http://10.1.3.1/faq.md", false},
		{"http://[::1]/faq.md", false},
		{"file:///etc/passwd", false},
		{"ftp://github.com/faq.md", false},
		{"https:///faq.md", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		err = p.CheckURL(u)
		if (err == nil) != tt.ok {
			t.Errorf("CheckURL(%s) = %v, want allowed %v", tt.url, err, tt.ok)
		}
		if err != nil && !IsRefused(err) {
			t.Errorf("CheckURL(%s) = %v, not a refusal", tt.url, err)
		}
	}
}

func TestCheckAddr(t *testing.T) {
	p, err := Parse("github.com,10.1.2.0/24")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr string
		ok   bool
	}{
		{"140.82.121.4", true},
		{"2606:50c0:8000::154", true},
		{"10.1.2.9", true}, // listed
		{"127.0.0.1", false},
		{"::1", false},
		{"::ffff:127.0.0.1", false},
		{"10.0.0.1", false},
		{"172.16.5.4", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"fe80::1", false},
		{"fd00::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"100.64.0.1", false},
		{"224.0.0.1", false},
	}
	for _, tt := range tests {
		err := p.CheckAddr(netip.MustParseAddr(tt.addr))
		if (err == nil) != tt.ok {
			t.Errorf("CheckAddr(%s) = %v, want allowed %v", tt.addr, err, tt.ok)
		}
	}
}

func get(t *testing.T, c *http.Client, u string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestClient(t *testing.T) {
	internal := egresstest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "internal secrets")
	}))
	_, internalPort, _ := net.SplitHostPort(internal.Listener.Addr().String())
	public := egresstest.ServeOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/faq.md":
			io.WriteString(w, "## public FAQ")
		case "/to-ip":
			http.Redirect(w, r, internal.URL+"/internal.md", http.StatusFound)
		case "/to-name":
			http.Redirect(w, r, "http://localhost:"+internalPort+"/internal.md", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		}
	}))
	// 127.0.0.2 stands for a public server; localhost is a listed name
	// that resolves to an internal address, as a rebinding DNS name would.
	p, err := Parse("127.0.0.2,localhost")
	if err != nil {
		t.Fatal(err)
	}
	c := p.Client(10 * time.Second)

	if body, err := get(t, c, public.URL+"/faq.md"); err != nil || body != "## public FAQ" {
		t.Fatalf("allowed fetch: %q, %v", body, err)
	}
	tests := []struct {
		name, url, want string
	}{
		{"a loopback URL", internal.URL + "/internal.md", "host 127.0.0.1 is not in FAQBOT_REFRESH_HOSTS"},
		{"a listed name resolving to loopback", "http://localhost:" + internalPort + "/internal.md", "resolves to a loopback address"},
		{"a redirect to a loopback URL", public.URL + "/to-ip", "host 127.0.0.1 is not in FAQBOT_REFRESH_HOSTS"},
		{"a redirect to a name resolving to loopback", public.URL + "/to-name", "resolves to a loopback address"},
		{"a redirect loop", public.URL + "/loop", "redirects"},
	}
	for _, tt := range tests {
		body, err := get(t, c, tt.url)
		if err == nil {
			t.Errorf("%s: fetched %q", tt.name, body)
			continue
		}
		if !IsRefused(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want a refusal saying %q", tt.name, err, tt.want)
		}
	}
}

func TestClientIgnoresProxies(t *testing.T) {
	proxied := false
	proxy := egresstest.ServeOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied = true
		io.WriteString(w, "## via the proxy")
	}))
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	// The proxy's address is allowed, so only not using it makes the
	// fetch fail: faq.invalid does not resolve. (net/http never proxies
	// requests to localhost, so the host must be a name.)
	p, err := Parse("faq.invalid,127.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, p.Client(5*time.Second), "http://faq.invalid/faq.md"); err == nil || proxied {
		t.Errorf("fetch went through the proxy (err %v, proxied %v)", err, proxied)
	}
}
