package web

import (
	"strings"
	"testing"
)

func TestRenderMarkdownIsSafe(t *testing.T) {
	for _, tc := range []struct {
		md        string
		want, not []string
	}{
		{md: "raw <script>alert(1)</script> and <img src=x onerror=alert(2)>", not: []string{"<script", "<img"}},
		{md: "<div onclick=x>block</div>", not: []string{"<div"}},
		{md: "[x](javascript:alert(1)) [y](data:text/html,hi) [z](/relative) [w](vbscript:x)", want: []string{"x", "y", "z", "w"}, not: []string{"<a "}},
		{md: "<javascript:alert(1)> <mailto:a@b.c>", not: []string{"<a "}},
		{md: "![pic](https://example.com/p.png)", want: []string{"pic"}, not: []string{"<img"}},
		{md: "**bold** and [ok](https://learn.microsoft.com/x)\n\n- one\n- two", want: []string{"<strong>bold</strong>", `<a href="https://learn.microsoft.com/x">ok</a>`, "<li>one</li>"}},
		{md: "<https://learn.microsoft.com/y>", want: []string{`<a href="https://learn.microsoft.com/y">`}},
	} {
		got := string(renderMarkdown(tc.md))
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q: output lacks %q:\n%s", tc.md, w, got)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("%q: output has %q:\n%s", tc.md, n, got)
			}
		}
	}
}
