package teams

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
)

// The app's icons, drawn rather than shipped: a speech bubble holding a
// question mark. Teams wants a 192×192 full-colour icon and a 32×32
// outline that is white on a transparent background.

const (
	colorIconSize   = 192
	outlineIconSize = 32
)

// questionGlyph is a question mark on a 5×7 grid.
var questionGlyph = []string{
	".###.",
	"#...#",
	"....#",
	"...#.",
	"..#..",
	".....",
	"..#..",
}

// bubble is a rounded rectangle with a tail at its lower left, in pixels.
type bubble struct {
	x0, y0, x1, y1, r int // the rectangle [x0,x1)×[y0,y1) and corner radius
	tail              int // how far the tail reaches below y1
}

func (b bubble) inside(x, y int) bool {
	if x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 {
		// Outside a corner's quarter circle is outside the bubble.
		cx, cy := clamp(x, b.x0+b.r, b.x1-1-b.r), clamp(y, b.y0+b.r, b.y1-1-b.r)
		dx, dy := x-cx, y-cy
		return dx*dx+dy*dy <= b.r*b.r
	}
	// The tail: a right triangle under the bubble's left part.
	left := b.x0 + b.r
	if y >= b.y1 && y < b.y1+b.tail && x >= left {
		return x < left+(b.y1+b.tail-y)
	}
	return false
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// colorIcon is white bubble on the accent colour, with the question mark in
// the accent colour.
func colorIcon(accent string) ([]byte, error) {
	bg, err := parseHexColor(accent)
	if err != nil {
		return nil, err
	}
	img := image.NewNRGBA(image.Rect(0, 0, colorIconSize, colorIconSize))
	b := bubble{x0: 32, y0: 30, x1: 160, y1: 136, r: 28, tail: 30}
	for y := range colorIconSize {
		for x := range colorIconSize {
			c := bg
			if b.inside(x, y) {
				c = color.NRGBA{255, 255, 255, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	drawGlyph(img, 96-25, 83-35, 10, bg)
	return encodePNG(img)
}

// outlineIcon is the bubble's outline and the question mark in white; every
// other pixel is fully transparent.
func outlineIcon() ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, outlineIconSize, outlineIconSize))
	outer := bubble{x0: 3, y0: 3, x1: 29, y1: 24, r: 6, tail: 6}
	inner := bubble{x0: 5, y0: 5, x1: 27, y1: 22, r: 4}
	white := color.NRGBA{255, 255, 255, 255}
	for y := range outlineIconSize {
		for x := range outlineIconSize {
			if outer.inside(x, y) && !inner.inside(x, y) {
				img.SetNRGBA(x, y, white)
			}
		}
	}
	drawGlyph(img, 16-2, 14-3, 1, white)
	return encodePNG(img)
}

// drawGlyph paints questionGlyph with its top left at (x, y), each cell
// scale×scale pixels.
func drawGlyph(img *image.NRGBA, x, y, scale int, c color.NRGBA) {
	for row, line := range questionGlyph {
		for col, cell := range line {
			if cell != '#' {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetNRGBA(x+col*scale+dx, y+row*scale+dy, c)
				}
			}
		}
	}
}

func parseHexColor(s string) (color.NRGBA, error) {
	if !colorPattern.MatchString(s) {
		return color.NRGBA{}, fmt.Errorf("%w: accent color %q is not #RRGGBB", errBadManifest, s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.NRGBA{}, err
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode icon: %w", err)
	}
	return buf.Bytes(), nil
}
