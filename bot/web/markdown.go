package web

import (
	"bytes"
	"html/template"
	"net/url"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// safeMarkdown renders corpus Markdown to HTML that cannot carry markup of
// its own: goldmark's default HTML renderer drops raw HTML (no
// WithUnsafe), and linkPolicy keeps only links to http(s) URLs, turning
// any other into its text.
var safeMarkdown = goldmark.New(goldmark.WithParserOptions(
	parser.WithASTTransformers(util.Prioritized(linkPolicy{}, 100)),
))

// renderMarkdown renders md safely; a failure (which goldmark reports
// only for writer errors) shows the text escaped.
func renderMarkdown(md string) template.HTML {
	var b bytes.Buffer
	if err := safeMarkdown.Convert([]byte(md), &b); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(md) + "</p>")
	}
	return template.HTML(b.String()) // #nosec: goldmark without WithUnsafe escapes text and drops raw HTML
}

// linkPolicy unwraps links and images whose destination is not an
// absolute http(s) URL: a corpus page is data from the web, and its
// relative, javascript: or data: links lead nowhere a reader should go.
type linkPolicy struct{}

func (linkPolicy) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var bad []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !allowedURL(string(n.Destination)) {
				bad = append(bad, n)
			}
		case *ast.Image:
			bad = append(bad, n) // no remote images on our pages
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkURL || !allowedURL(string(n.URL(src))) {
				bad = append(bad, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(src)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// allowedURL reports whether a link may be followed from our pages.
func allowedURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
