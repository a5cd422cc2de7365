package llm

import (
	"fmt"
	"io"
	"net/http"
)

// LimitReplies bounds the responses a client reads through next to max
// bytes: go-openai reads a whole reply into memory, and a server that
// sends without end would take it all. A longer reply fails its call.
func LimitReplies(next http.RoundTripper, max int64) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return limitReplies{next: next, max: max}
}

type limitReplies struct {
	next http.RoundTripper
	max  int64
}

func (l limitReplies) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > l.max {
		resp.Body.Close()
		return nil, fmt.Errorf("model reply of %d bytes is over the %d allowed", resp.ContentLength, l.max)
	}
	resp.Body = &limitedBody{body: resp.Body, left: l.max, max: l.max}
	return resp, nil
}

// limitedBody fails a read past its limit instead of ending quietly, so
// that a cut reply is an error rather than truncated JSON.
type limitedBody struct {
	body io.ReadCloser
	left int64
	max  int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a reply of exactly the limit from a longer one.
		var one [1]byte
		n, err := b.body.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("model reply is over the %d bytes allowed", b.max)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }
