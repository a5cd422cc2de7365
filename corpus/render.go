package corpus

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

type blockKind int

const (
	kindPara blockKind = iota
	kindLeadIn
	kindList
	kindNote
	kindTable
	kindCode
)

// block is one rendered top-level element of a section. Lists keep their
// top-level items apart so that chunking can split between them.
type block struct {
	kind        blockKind
	text, plain string
	items       []block
}

func (b block) words() int { return len(strings.Fields(b.plain)) }

// renderer turns goldmark nodes into Markdown-lite text with absolute links.
type renderer struct {
	src []byte
	doc *url.URL
}

func newRenderer(src []byte, docURL string) (*renderer, error) {
	u, err := url.Parse(docURL)
	if err != nil {
		return nil, fmt.Errorf("document URL %q: %w", docURL, err)
	}
	return &renderer{src: src, doc: u}, nil
}

var (
	// Learn's admonitions open a block quote: "> [!IMPORTANT]".
	admonition = regexp.MustCompile(`^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*`)
	// Learn directives that carry no text for readers of an answer.
	directive = regexp.MustCompile(`^(\[!(INCLUDE|div|VIDEO|Video|include)\b|:::)`)
)

func (r *renderer) block(n ast.Node) (block, bool) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		md, plain := r.inline(n)
		if plain == "" || directive.MatchString(strings.TrimSpace(r.raw(n))) {
			return block{}, false
		}
		kind := kindPara
		if strings.HasSuffix(plain, ":") || isBoldLine(n) {
			kind = kindLeadIn
		}
		return block{kind: kind, text: md, plain: plain}, true
	case *ast.Heading:
		md, plain := r.inline(n)
		if plain == "" {
			return block{}, false
		}
		return block{kind: kindLeadIn, text: "**" + md + "**", plain: plain}, true
	case *ast.List:
		return r.list(n), true
	case *ast.Blockquote:
		return r.quote(n)
	case *extast.Table:
		return r.table(n), true
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		code := strings.TrimRight(r.raw(n), "\n")
		if code == "" {
			return block{}, false
		}
		return block{kind: kindCode, text: "```\n" + code + "\n```", plain: code}, true
	case *ast.HTMLBlock, *ast.ThematicBreak:
		return block{}, false
	default:
		md, plain := r.inline(n)
		if plain == "" {
			return block{}, false
		}
		return block{kind: kindPara, text: md, plain: plain}, true
	}
}

// raw returns the source lines of a block as written.
func (r *renderer) raw(n ast.Node) string {
	lines := n.Lines()
	if lines == nil {
		return ""
	}
	var b strings.Builder
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(r.src))
	}
	return b.String()
}

// isBoldLine reports a paragraph that is nothing but bold text: Learn pages
// use it as a small heading ("**Email creation**").
func isBoldLine(n ast.Node) bool {
	e, ok := n.FirstChild().(*ast.Emphasis)
	return ok && e.Level == 2 && e.NextSibling() == nil
}

func (r *renderer) quote(q *ast.Blockquote) (block, bool) {
	var md, plain []string
	for c := q.FirstChild(); c != nil; c = c.NextSibling() {
		if b, ok := r.block(c); ok {
			md = append(md, b.text)
			plain = append(plain, b.plain)
		} else if c == q.FirstChild() && directive.MatchString(strings.TrimSpace(r.raw(c))) {
			return block{}, false // "> [!div ...]" wraps an image
		}
	}
	if len(md) == 0 {
		return block{}, false
	}
	text, ptext := strings.Join(md, "\n\n"), strings.Join(plain, " ")
	if m := admonition.FindStringSubmatch(ptext); m != nil {
		label := strings.ToUpper(m[1][:1]) + strings.ToLower(m[1][1:]) + ": "
		text = label + admonition.ReplaceAllString(text, "")
		ptext = label + ptext[len(m[0]):]
		if strings.TrimSpace(ptext) == strings.TrimSpace(label) {
			return block{}, false
		}
		return block{kind: kindNote, text: text, plain: ptext}, true
	}
	return block{kind: kindPara, text: text, plain: ptext}, true
}

func (r *renderer) list(l *ast.List) block {
	out := block{kind: kindList}
	var md, plain []string
	n := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "- "
		if l.IsOrdered() {
			marker = strconv.Itoa(n) + ". "
			n++
		}
		b := r.item(item, "", marker)
		out.items = append(out.items, b)
		md = append(md, b.text)
		plain = append(plain, b.plain)
	}
	out.text = strings.Join(md, "\n")
	out.plain = strings.Join(plain, "\n")
	return out
}

func (r *renderer) item(item ast.Node, indent, marker string) block {
	var md, plain []string
	first := true
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		if sub, ok := c.(*ast.List); ok {
			n := sub.Start
			for si := sub.FirstChild(); si != nil; si = si.NextSibling() {
				m := "- "
				if sub.IsOrdered() {
					m = strconv.Itoa(n) + ". "
					n++
				}
				b := r.item(si, indent+"  ", m)
				md = append(md, b.text)
				plain = append(plain, b.plain)
			}
			continue
		}
		b, ok := r.block(c)
		if !ok {
			continue
		}
		prefix := indent + "  "
		if first {
			prefix = indent + marker
			first = false
		}
		md = append(md, prefix+b.text)
		plain = append(plain, b.plain)
	}
	return block{kind: kindPara, text: strings.Join(md, "\n"), plain: strings.Join(plain, "\n")}
}

func (r *renderer) table(t *extast.Table) block {
	var md, plain []string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells, pcells []string
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			m, p := r.inline(cell)
			cells = append(cells, m)
			pcells = append(pcells, p)
		}
		md = append(md, strings.Join(cells, " | "))
		plain = append(plain, strings.Join(pcells, " | "))
	}
	return block{kind: kindTable, text: strings.Join(md, "\n"), plain: strings.Join(plain, "\n")}
}

// inline renders the inline content of n twice: Markdown-lite and plain.
func (r *renderer) inline(n ast.Node) (md, plain string) {
	var m, p strings.Builder
	r.walkInline(n, &m, &p)
	return tidy(m.String()), tidy(p.String())
}

func (r *renderer) walkInline(n ast.Node, m, p *strings.Builder) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := string(c.Segment.Value(r.src))
			m.WriteString(v)
			p.WriteString(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				m.WriteByte(' ')
				p.WriteByte(' ')
			}
		case *ast.String:
			m.Write(c.Value)
			p.Write(c.Value)
		case *ast.CodeSpan:
			var im, ip strings.Builder
			r.walkInline(c, &im, &ip)
			m.WriteString("`" + im.String() + "`")
			p.WriteString(ip.String())
		case *ast.Emphasis:
			var im, ip strings.Builder
			r.walkInline(c, &im, &ip)
			mark := strings.Repeat("*", c.Level)
			m.WriteString(mark + im.String() + mark)
			p.WriteString(ip.String())
		case *ast.Link:
			var im, ip strings.Builder
			r.walkInline(c, &im, &ip)
			if dest := r.resolve(string(c.Destination)); dest != "" && ip.Len() > 0 {
				m.WriteString("[" + im.String() + "](" + dest + ")")
			} else {
				m.WriteString(im.String())
			}
			p.WriteString(ip.String())
		case *ast.AutoLink:
			u := string(c.URL(r.src))
			m.WriteString(u)
			p.WriteString(u)
		case *ast.Image, *ast.RawHTML:
			// Pictures cannot be cited in chat; raw HTML is layout.
		default:
			r.walkInline(c, m, p)
		}
	}
}

// resolve makes a link absolute the way Learn publishes it: "x.md#a" next to
// the page becomes ".../x#a". Links with other schemes are dropped.
func (r *renderer) resolve(dest string) string {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return ""
	}
	switch u.Scheme {
	case "http", "https", "mailto":
		return u.String()
	case "":
	default:
		return ""
	}
	abs := r.doc.ResolveReference(u)
	abs.Path = strings.TrimSuffix(abs.Path, ".md")
	return abs.String()
}

var spaces = regexp.MustCompile(`[ \t\p{Zs}]+`)

func tidy(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}
