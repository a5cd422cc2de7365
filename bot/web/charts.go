package web

import (
	"fmt"
	"math"
	"strconv"

	"github.com/faqbot/faqbot/bot"
)

// The dashboard's charts are SVG drawn on the server: no script, no
// library, nothing fetched, so they render offline and under a strict
// Content-Security-Policy. Every mark carries its value (data-value) and a
// <title> for tooltips and screen readers.

// chart is one SVG, in the coordinates of its viewBox.
type chart struct {
	// ID names the chart in the page (data-chart).
	ID, Title, Desc string
	Width, Height   int
	Bars            []mark
	Dots            []mark
	Lines           []polyline
	Texts           []svgText
	Grid            []gridLine
	Legend          []legendItem
	// Empty says there is nothing to draw in the period.
	Empty bool
}

type mark struct {
	X, Y, W, H float64
	Class      string
	Value      string
	Title      string
}

type polyline struct {
	Points string
	Class  string
}

type svgText struct {
	X, Y   float64
	Anchor string
	Class  string
	Text   string
}

type gridLine struct {
	X1, Y1, X2, Y2 float64
}

type legendItem struct {
	Class, Label string
}

// Chart geometry.
const (
	chartWidth  = 720
	chartHeight = 240
	padLeft     = 44
	padRight    = 12
	padTop      = 12
	padBottom   = 28
	maxXLabels  = 10
	barShare    = 0.75 // of a day's slot
)

// niceMax rounds a maximum up to 1, 2 or 5 times a power of ten, so
// that the axis ticks are round.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// axes draws the horizontal grid and its labels for values 0..top.
func axes(c *chart, top float64, format func(float64) string) {
	plotH := float64(c.Height - padTop - padBottom)
	for _, f := range []float64{0, 0.5, 1} {
		y := float64(padTop) + plotH*(1-f)
		c.Grid = append(c.Grid, gridLine{X1: padLeft, Y1: y, X2: float64(c.Width - padRight), Y2: y})
		c.Texts = append(c.Texts, svgText{X: padLeft - 6, Y: y + 4, Anchor: "end", Class: "axis", Text: format(top * f)})
	}
}

// dayLabels labels at most maxXLabels of the days under their slots.
func dayLabels(c *chart, days []bot.DayStats, slot float64) {
	step := max(1, (len(days)+maxXLabels-1)/maxXLabels)
	for i := 0; i < len(days); i += step {
		d := days[i].Day
		if len(d) == len("2006-01-02") {
			d = d[5:]
		}
		c.Texts = append(c.Texts, svgText{X: padLeft + slot*(float64(i)+0.5), Y: float64(c.Height - 8), Anchor: "middle", Class: "axis", Text: d})
	}
}

func count(v float64) string { return strconv.Itoa(int(math.Round(v))) }

func percent(v float64) string { return strconv.Itoa(int(math.Round(v*100))) + "%" }

// questionsChart stacks each day's questions by outcome: answered (and
// not escalated), abstained (and not escalated), escalated.
func questionsChart(st bot.Stats) chart {
	c := chart{ID: "questions-per-day", Title: "Questions per day, by outcome",
		Desc:  "Stacked bars: answered, abstained and escalated questions for each day of the period.",
		Width: chartWidth, Height: chartHeight,
		Legend: []legendItem{{"answered", "answered"}, {"abstained", "abstained"}, {"escalated", "escalated"}}}
	top := 0
	for _, d := range st.ByDay {
		top = max(top, d.Questions)
	}
	c.Empty = top == 0
	ymax := niceMax(float64(top))
	axes(&c, ymax, count)
	plotW := float64(chartWidth - padLeft - padRight)
	plotH := float64(chartHeight - padTop - padBottom)
	slot := plotW / float64(max(len(st.ByDay), 1))
	for i, d := range st.ByDay {
		parts := []struct {
			class string
			n     int
		}{
			{"answered", d.Answered - d.EscalatedAnswered},
			{"abstained", d.Abstained - (d.Escalated - d.EscalatedAnswered)},
			{"escalated", d.Escalated},
		}
		y := float64(padTop) + plotH
		for _, p := range parts {
			if p.n <= 0 {
				continue
			}
			h := plotH * float64(p.n) / ymax
			y -= h
			c.Bars = append(c.Bars, mark{
				X: padLeft + slot*float64(i) + slot*(1-barShare)/2, Y: y, W: slot * barShare, H: h,
				Class: p.class, Value: strconv.Itoa(p.n), Title: fmt.Sprintf("%s: %d %s", d.Day, p.n, p.class),
			})
		}
	}
	dayLabels(&c, st.ByDay, slot)
	return c
}

// deflectionChart draws each day's deflection rate; days without
// questions have none and break the line.
func deflectionChart(st bot.Stats) chart {
	c := chart{ID: "deflection-rate", Title: "Deflection rate per day",
		Desc:  "The share of each day's questions that were deflected, as a line; days without questions are left out.",
		Width: chartWidth, Height: chartHeight}
	axes(&c, 1, percent)
	plotW := float64(chartWidth - padLeft - padRight)
	plotH := float64(chartHeight - padTop - padBottom)
	slot := plotW / float64(max(len(st.ByDay), 1))
	var seg []string
	flush := func() {
		if len(seg) > 1 {
			c.Lines = append(c.Lines, polyline{Points: joinPoints(seg), Class: "deflection"})
		}
		seg = nil
	}
	c.Empty = true
	for i, d := range st.ByDay {
		if d.Questions == 0 {
			flush()
			continue
		}
		c.Empty = false
		rate := float64(d.Deflected) / float64(d.Questions)
		x, y := padLeft+slot*(float64(i)+0.5), float64(padTop)+plotH*(1-rate)
		seg = append(seg, fmt.Sprintf("%.1f,%.1f", x, y))
		c.Dots = append(c.Dots, mark{X: x, Y: y, Class: "deflection", Value: fmt.Sprintf("%.3f", rate),
			Title: fmt.Sprintf("%s: %s deflected (%d of %d)", d.Day, percent(rate), d.Deflected, d.Questions)})
	}
	flush()
	dayLabels(&c, st.ByDay, slot)
	return c
}

func joinPoints(p []string) string {
	out := ""
	for i, s := range p {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

// row is one bar of a horizontal bar chart.
type row struct {
	Label string
	N     int
	Class string
}

// barsChart draws labelled horizontal bars, one per row.
func barsChart(id, title, desc string, rows []row) chart {
	const rowH, labelW, valueW = 26, 300, 48
	c := chart{ID: id, Title: title, Desc: desc, Width: chartWidth, Height: max(1, len(rows))*rowH + 8}
	top := 0
	for _, r := range rows {
		top = max(top, r.N)
	}
	c.Empty = top == 0
	plotW := float64(chartWidth - labelW - valueW)
	for i, r := range rows {
		y := float64(4 + i*rowH)
		w := 0.0
		if top > 0 {
			w = plotW * float64(r.N) / float64(top)
		}
		label := r.Label
		if len([]rune(label)) > 40 {
			label = string([]rune(label)[:39]) + "…"
		}
		c.Texts = append(c.Texts,
			svgText{X: labelW - 8, Y: y + rowH/2 + 4, Anchor: "end", Class: "label", Text: label},
			svgText{X: labelW + w + 6, Y: y + rowH/2 + 4, Anchor: "start", Class: "value", Text: strconv.Itoa(r.N)})
		c.Bars = append(c.Bars, mark{X: labelW, Y: y + 3, W: w, H: rowH - 6, Class: r.Class, Value: strconv.Itoa(r.N),
			Title: fmt.Sprintf("%s: %d", r.Label, r.N)})
	}
	return c
}

func feedbackChart(st bot.Stats) chart {
	return barsChart("feedback", "Feedback", "Clicks on Helpful and Not helpful in the period.", []row{
		{"Helpful", st.Feedback.Helpful, "helpful"},
		{"Not helpful", st.Feedback.NotHelpful, "not-helpful"},
	})
}

func sectionsChart(st bot.Stats) chart {
	var rows []row
	for _, s := range st.TopSections {
		rows = append(rows, row{firstNonEmpty(s.Title, s.Anchor), s.Count, "section"})
	}
	return barsChart("top-sections", "Top cited sections", "The FAQ sections cited by the most answered questions.", rows)
}

func reasonsChart(st bot.Stats) chart {
	var rows []row
	for _, r := range sortedCounts(st.ByReason) {
		rows = append(rows, row{bot.Reason(r.key).Label(), r.n, "escalated"})
	}
	return barsChart("escalations-by-reason", "Escalations by reason", "Escalated questions by why they went to people.", rows)
}

// latencyChart is the histogram of answer times.
func latencyChart(st bot.Stats) chart {
	c := chart{ID: "latency", Title: "Answer latency",
		Desc:  fmt.Sprintf("How many answers took how long; half took at most %d ms, 95%% at most %d ms.", st.Latency.P50Ms, st.Latency.P95Ms),
		Width: chartWidth, Height: chartHeight}
	top := 0
	for _, b := range st.Latency.Buckets {
		top = max(top, b.Count)
	}
	c.Empty = top == 0
	ymax := niceMax(float64(top))
	axes(&c, ymax, count)
	plotW := float64(chartWidth - padLeft - padRight)
	plotH := float64(chartHeight - padTop - padBottom)
	slot := plotW / float64(max(len(st.Latency.Buckets), 1))
	for i, b := range st.Latency.Buckets {
		label := "≤" + millisLabel(b.LeMs)
		if i == len(st.Latency.Buckets)-1 && i > 0 {
			label = ">" + millisLabel(st.Latency.Buckets[i-1].LeMs)
		}
		c.Texts = append(c.Texts, svgText{X: padLeft + slot*(float64(i)+0.5), Y: float64(chartHeight - 8), Anchor: "middle", Class: "axis", Text: label})
		if b.Count == 0 {
			continue
		}
		h := plotH * float64(b.Count) / ymax
		c.Bars = append(c.Bars, mark{X: padLeft + slot*float64(i) + slot*(1-barShare)/2, Y: float64(padTop) + plotH - h,
			W: slot * barShare, H: h, Class: "latency", Value: strconv.Itoa(b.Count), Title: fmt.Sprintf("%s: %d answers", label, b.Count)})
	}
	return c
}

func millisLabel(ms int) string {
	if ms >= 1000 {
		return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) + "s"
	}
	return strconv.Itoa(ms) + "ms"
}
