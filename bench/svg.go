package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// barChart is a grouped bar chart: one group per workload, one bar per series in each.
type barChart struct {
	title  string
	yLabel string
	groups []string    // group labels; "\n" splits a label into lines
	series []string    // legend entries, in bar order
	values [][]float64 // [group][series]; NaN draws no bar
	ref    float64     // a dashed reference line at this value, when > 0
}

// palette colours the series in order (colour-blind safe Tableau 10 colours).
var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"}

// Layout, in pixels.
const (
	chartLeft   = 64 // room for the y axis labels
	chartRight  = 16
	chartTop    = 70 // room for the title and the legend
	plotHeight  = 260
	chartBottom = 48 // room for the group labels
	groupWidth  = 84
	groupPad    = 10 // space around each group's bars, on each side
)

// writeBarChart writes c as a standalone SVG document.
func writeBarChart(w io.Writer, c barChart) error {
	plotWidth := groupWidth * max(len(c.groups), 1)
	width := max(chartLeft+plotWidth+chartRight, 560)
	height := chartTop + plotHeight + chartBottom
	top, bottom := float64(chartTop), float64(chartTop+plotHeight)

	hi := c.ref
	for _, vs := range c.values {
		for _, v := range vs {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				hi = max(hi, v)
			}
		}
	}
	step, yMax := axisScale(hi * 1.08)
	y := func(v float64) float64 { return bottom - v/yMax*plotHeight }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>`+"\n", chartLeft, esc(c.title))

	// Legend: a swatch per series, then the reference line.
	x := float64(chartLeft)
	for i, s := range c.series {
		fmt.Fprintf(&b, `<rect x="%.1f" y="36" width="12" height="12" fill="%s"/>`, x, palette[i%len(palette)])
		fmt.Fprintf(&b, `<text x="%.1f" y="46">%s</text>`+"\n", x+16, esc(s))
		x += 16 + textWidth(s, 12) + 18
	}
	if c.ref > 0 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="42" x2="%.1f" y2="42" stroke="#c00" stroke-width="1.5" stroke-dasharray="5,3"/>`, x, x+22)
		fmt.Fprintf(&b, `<text x="%.1f" y="46">%s</text>`+"\n", x+26, esc(fmt.Sprintf("redis-server = %g", c.ref)))
	}

	// Y axis: grid lines and labels.
	for i := 0; i <= int(math.Round(yMax/step)); i++ {
		v := float64(i) * step
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`, chartLeft, y(v), chartLeft+plotWidth, y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", chartLeft-6, y(v)+4, trimFloat(v))
	}
	fmt.Fprintf(&b, `<text transform="translate(16 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", (top+bottom)/2, esc(c.yLabel))

	// Bars, with their value above and a tooltip.
	n := max(len(c.series), 1)
	barWidth := float64(groupWidth-2*groupPad) / float64(n)
	for g, label := range c.groups {
		x0 := float64(chartLeft + g*groupWidth + groupPad)
		for i := range c.series {
			v := nan
			if g < len(c.values) && i < len(c.values[g]) {
				v = c.values[g][i]
			}
			bx := x0 + float64(i)*barWidth
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="9" text-anchor="middle">n/a</text>`+"\n", bx+barWidth/2, bottom-4)
				continue
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`,
				bx+1, y(v), barWidth-2, bottom-y(v), palette[i%len(palette)],
				esc(fmt.Sprintf("%s, %s: %.2f", c.series[i], strings.ReplaceAll(label, "\n", " "), v)))
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="9" text-anchor="middle">%.2f</text>`+"\n", bx+barWidth/2, y(v)-3, v)
		}
		for l, line := range strings.Split(label, "\n") {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n",
				x0-groupPad+groupWidth/2, bottom+18+float64(l)*15, esc(line))
		}
	}

	// The axis and the reference line, over the bars.
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333"/>`+"\n", chartLeft, bottom, chartLeft+plotWidth, bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333"/>`+"\n", chartLeft, top, chartLeft, bottom)
	if c.ref > 0 {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#c00" stroke-width="1.5" stroke-dasharray="5,3"/>`+"\n",
			chartLeft, y(c.ref), chartLeft+plotWidth, y(c.ref))
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// axisScale returns a round tick step and the axis maximum, a multiple of it at or above
// hi, with at most 6 steps.
func axisScale(hi float64) (step, top float64) {
	if !(hi > 0) || math.IsInf(hi, 0) {
		hi = 1
	}
	magnitude := math.Pow(10, math.Floor(math.Log10(hi)))
	for _, m := range []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10} {
		step = m * magnitude
		if hi/step <= 6 {
			break
		}
	}
	return step, math.Ceil(hi/step-1e-9) * step
}

// trimFloat formats an axis value without trailing zeros.
func trimFloat(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// textWidth estimates the width of s in a sans-serif font of the given size.
func textWidth(s string, size float64) float64 {
	return float64(len([]rune(s))) * size * 0.6
}

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
