package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// svgCounts parses an SVG document and counts its elements by name.
func svgCounts(t *testing.T, data []byte) map[string]int {
	t.Helper()
	counts := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v\n%s", err, data)
		}
		if el, ok := tok.(xml.StartElement); ok {
			counts[el.Name.Local]++
			if counts["svg"] == 0 {
				t.Fatalf("root element is %s", el.Name.Local)
			}
		}
	}
	return counts
}

func TestWriteBarChart(t *testing.T) {
	tests := []struct {
		name      string
		chart     barChart
		bars      int // rects with a tooltip
		wantTexts []string
	}{
		{
			name: "three series",
			chart: barChart{title: "T <&>", yLabel: "ops/s ÷ redis", groups: []string{"SET 3B\nP1", "GET 1KiB\nP16"},
				series: []string{"net", "reactor", "redcon"}, values: [][]float64{{0.8, 1.1, 0.95}, {1.5, 2.25, 0.4}}, ref: 1},
			bars:      6,
			wantTexts: []string{"T &lt;&amp;&gt;", ">SET 3B<", ">P16<", ">redcon<", ">2.25<", "redis-server = 1", "stroke-dasharray"},
		},
		{
			name:      "missing values",
			chart:     barChart{groups: []string{"a", "b"}, series: []string{"x"}, values: [][]float64{{nan}, {}}, ref: 1},
			bars:      0,
			wantTexts: []string{"n/a"},
		},
		{
			name:  "empty",
			chart: barChart{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := writeBarChart(&b, tt.chart); err != nil {
				t.Fatal(err)
			}
			counts := svgCounts(t, b.Bytes())
			if counts["title"] != tt.bars {
				t.Errorf("%d bars with a tooltip; want %d", counts["title"], tt.bars)
			}
			for _, want := range tt.wantTexts {
				if !strings.Contains(b.String(), want) {
					t.Errorf("SVG lacks %q", want)
				}
			}
			if b.Len() > 20000 {
				t.Errorf("SVG is %d bytes", b.Len())
			}
		})
	}
}

func TestAxisScale(t *testing.T) {
	tests := []struct {
		hi, step, top float64
	}{
		{1.08, 0.2, 1.2},
		{2.3, 0.5, 2.5},
		{0.5, 0.1, 0.5},
		{7, 2, 8},
		{12, 2, 12},
		{13, 2.5, 15},
		{0, 0.2, 1},
	}
	for _, tt := range tests {
		step, top := axisScale(tt.hi)
		if !near(step, tt.step) || !near(top, tt.top) {
			t.Errorf("axisScale(%v) = %v, %v; want %v, %v", tt.hi, step, top, tt.step, tt.top)
		}
	}
}
