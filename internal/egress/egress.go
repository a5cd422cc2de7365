// Package egress bounds where a fetch that someone else names may go: an
// allow-list of hosts, applied to the first request and to every redirect,
// and a refusal of loopback, private and link-local addresses checked on
// the address actually dialled, so that a name that resolves (or
// re-resolves) to an internal address cannot pass.
package egress

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// DefaultHosts are the hosts FAQBOT_REFRESH_HOSTS allows when unset: where
// Microsoft publishes the FAQ and its sources.
const DefaultHosts = "learn.microsoft.com,github.com,raw.githubusercontent.com"

// maxRedirects bounds a redirect chain, as net/http's default does.
const maxRedirects = 10

// Policy is an allow-list of hosts, and of internal addresses that may be
// reached anyway. The zero Policy allows nothing.
type Policy struct {
	hosts map[string]bool
	// nets are addresses the list names (an IP or a CIDR prefix): a URL
	// with such a host is allowed, and so is dialling such an address even
	// when it is internal.
	nets []netip.Prefix
}

// Parse reads a comma-separated list of host names, IP addresses and CIDR
// prefixes, such as "learn.microsoft.com,docs.corp.example,10.1.2.0/24".
// Names match exactly (case-insensitive; no wildcards, no ports). Internal
// addresses (loopback, private, link-local…) are refused whatever name
// leads to them, unless the list names the address or a prefix holding it.
func Parse(list string) (*Policy, error) {
	p := &Policy{hosts: map[string]bool{}}
	for _, item := range strings.Split(list, ",") {
		item = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(item), "."))
		switch {
		case item == "":
			continue
		case strings.Contains(item, "/"):
			pfx, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("%q is not a CIDR prefix", item)
			}
			p.nets = append(p.nets, pfx.Masked())
		default:
			if ip, err := netip.ParseAddr(strings.Trim(item, "[]")); err == nil {
				ip = ip.Unmap()
				p.nets = append(p.nets, netip.PrefixFrom(ip, ip.BitLen()))
				continue
			}
			if strings.ContainsAny(item, ":@?#*/ ") {
				return nil, fmt.Errorf("%q is not a host name (no scheme, port, path or wildcard)", item)
			}
			p.hosts[item] = true
		}
	}
	return p, nil
}

// RefusedError is a fetch the policy did not allow. Its text says what was
// refused and why, never what a server answered.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "refused: " + e.Reason }

// RefusedFetch marks the error for callers that describe failed fetches
// without importing this package (corpus).
func (e *RefusedError) RefusedFetch() {}

func refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// CheckURL allows http and https URLs whose host the list names.
func (p *Policy) CheckURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return refused("only http and https URLs may be fetched")
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "" {
		return refused("the URL has no host")
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if p.listsAddr(ip.Unmap()) {
			return nil
		}
		return refused("host %s is not in FAQBOT_REFRESH_HOSTS", host)
	}
	if p.hosts[host] {
		return nil
	}
	return refused("host %s is not in FAQBOT_REFRESH_HOSTS", host)
}

// CheckAddr allows dialling ip unless it is internal and not listed.
func (p *Policy) CheckAddr(ip netip.Addr) error {
	ip = ip.Unmap()
	if kind := internal(ip); kind != "" && !p.listsAddr(ip) {
		return refused("the host resolves to a %s address", kind)
	}
	return nil
}

func (p *Policy) listsAddr(ip netip.Addr) bool {
	for _, n := range p.nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

var (
	sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT, cloud internals
	thisNetwork        = netip.MustParsePrefix("0.0.0.0/8")
)

// internal names the kind of address ip is when it is not on the public
// internet, "" when it is.
func internal(ip netip.Addr) string {
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsUnspecified(), thisNetwork.Contains(ip):
		return "unspecified"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	case sharedAddressSpace.Contains(ip):
		return "shared (carrier-grade NAT)"
	}
	return ""
}

// Client returns an HTTP client that fetches only what p allows: every
// request's URL (the first and each redirect's) is checked against the
// host list, and every connection against the address rules after DNS
// resolution. It uses no proxy, since a proxy would dial for it. timeout
// bounds a whole fetch.
func (p *Policy) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		Control:   p.control,
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = dialer.DialContext
	return &http.Client{
		Transport: checkedTransport{policy: p, next: t},
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return refused("more than %d redirects", maxRedirects)
			}
			if err := p.CheckURL(req.URL); err != nil {
				return fmt.Errorf("redirect: %w", err)
			}
			return nil
		},
	}
}

// control runs on every connection the dialer makes, with the resolved
// address: the check DNS rebinding cannot get around.
func (p *Policy) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return refused("cannot tell which address %s is", address)
	}
	return p.CheckAddr(ap.Addr())
}

// checkedTransport checks each request's URL before it is sent, so that
// the first request is held to the list as redirects are.
type checkedTransport struct {
	policy *Policy
	next   http.RoundTripper
}

func (t checkedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.policy.CheckURL(req.URL); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// IsRefused reports whether err is, or wraps, a refusal by a Policy.
func IsRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}
