package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func TestGeomean(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"one", []float64{2}, 2},
		{"pair", []float64{1, 4}, 2},
		{"reciprocals", []float64{0.5, 2}, 1},
		{"three", []float64{1, 3, 9}, 3},
		{"NaN and non-positive ignored", []float64{nan, 4, 0, -1, 1, math.Inf(1)}, 2},
		{"empty", nil, nan},
		{"nothing usable", []float64{nan, 0}, nan},
	}
	for _, tt := range tests {
		got := geomean(tt.in)
		if !near(got, tt.want) {
			t.Errorf("%s: geomean(%v) = %v; want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{5}, 5},
		{[]float64{nan, 7, math.Inf(1)}, 7},
		{nil, nan},
	}
	for _, tt := range tests {
		if got := median(tt.in); !near(got, tt.want) {
			t.Errorf("median(%v) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// near reports whether a and b are equal within rounding, NaN equal to NaN.
func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}

// smp makes a successful sample.
func smp(rps, cpuSec float64) sample {
	return sample{res: benchResult{RPS: rps, P50: 0.5, P99: 1}, requests: 1000, cpuSec: cpuSec, wallSec: 1}
}

func TestBuildReport(t *testing.T) {
	ws := []workload{
		{test: "set", size: 3, pipeline: 1, clients: 50, requests: 1000},
		{test: "get", size: 3, pipeline: 1, clients: 1, requests: 1000},
	}
	servers := []string{redisName, "reactor", "redcon"}
	// [workload][server][round]; the second round of redcon's GET failed.
	samples := [][][]sample{
		{
			{smp(100, 1), smp(200, 1)},
			{smp(50, 0.5), smp(200, 0.5)}, // ratios 0.5 and 1, efficiency ratio 2
			{smp(100, 2), smp(400, 0.25)}, // ratios 1 and 2, efficiency 0.5 and 4
		},
		{
			{smp(100, 1), smp(100, 1)},
			{smp(200, 1), smp(200, 1)}, // ratio 2, efficiency 1
			{smp(100, 0.5), {}},        // ratio 1, efficiency 2
		},
	}
	r := buildReport(ws, servers, samples)
	if r.failures != 1 {
		t.Errorf("failures = %d; want 1", r.failures)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"SET reactor rps", r.rows[0][1].rps, 125},
		{"SET reactor ratio", r.rows[0][1].ratio, 0.75},
		{"SET reactor eff ratio", r.rows[0][1].effRatio, 2},
		{"SET redcon ratio", r.rows[0][2].ratio, 1.5},
		{"SET redcon eff ratio", r.rows[0][2].effRatio, 2.25},
		{"SET redis ratio", r.rows[0][0].ratio, 1},
		{"GET redcon ratio", r.rows[1][2].ratio, 1},
		{"GET redcon cpu", r.rows[1][2].cpu, 50},
		{"GET redcon eff", r.rows[1][2].eff, 2000},
		{"reactor ops geomean", r.summary[0].opsRatio, math.Sqrt(0.75 * 2)},
		{"reactor eff geomean", r.summary[0].effRatio, math.Sqrt(2 * 1)},
		{"redcon ops geomean", r.summary[1].opsRatio, math.Sqrt(1.5 * 1)},
		// reactor/redcon efficiency: SET rounds 2/0.5=4 and 2/4=0.5 (median 2.25), GET 1/2.
		{"reactor vs redcon", r.reactorVsRedcon, math.Sqrt(2.25 * 0.5)},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v; want %v", c.name, c.got, c.want)
		}
	}
	if r.summary[0].server != "reactor" || len(r.summary) != 2 {
		t.Errorf("summary = %+v", r.summary)
	}

	var text bytes.Buffer
	if err := r.print(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"GET 3B P1 c1", "reactor ÷ redcon efficiency (geomean) 1.06", "1 runs failed"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("printed report lacks %q:\n%s", want, text.String())
		}
	}
	var md bytes.Buffer
	m := machine{command: "go run ./bench --quick", date: time.Date(2025, 1, 2, 3, 4, 0, 0, time.UTC), cpus: 2, cpu: "Test CPU", kernel: "linux 6.1", goVer: "go1.26", redis: "7.0.15", pinning: "unpinned", rounds: 2}
	if err := writeMarkdown(&md, m, r, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"`go run ./bench --quick`", "2025-01-02 03:04 UTC", "| CPU model | Test CPU |", "| SET 3B P1 | reactor | 125 | 0.75 |", "(results.svg)", "- reactor ops/s"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if c := r.chart(); len(c.groups) != 2 || c.groups[1] != "GET 3B\nP1 c1" || len(c.values[0]) != 2 || c.values[0][1] != 1.5 {
		t.Errorf("chart = %+v", c)
	}
}
