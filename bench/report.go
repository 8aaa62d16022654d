package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

var nan = math.NaN()

// report is the outcome of a benchmark: medians over rounds per workload and server.
type report struct {
	servers   []string // servers[0] is redis-server
	workloads []string // workload names
	labels    []string // the same, on two lines, for the chart
	rows      [][]cell // [workload][server]
	summary   []summary
	// reactorVsRedcon is the geometric mean over workloads of the reactor's efficiency
	// divided by redcon's, NaN when one of them is missing.
	reactorVsRedcon float64
	failures        int // runs that failed
}

// cell holds the medians over rounds of one workload on one server.
type cell struct {
	rps, ratio float64 // ops/s and its paired ratio to redis-server
	p50, p99   float64 // latency in ms
	cpu        float64 // CPU % of one core
	eff        float64 // requests per server CPU-second
	effRatio   float64 // paired ratio of eff to redis-server's
}

// summary holds the geometric means over workloads for one loop model.
type summary struct {
	server             string
	opsRatio, effRatio float64
}

// buildReport reduces samples, indexed [workload][server][round], to medians. Ratios are
// paired: the ratio of two servers in the same round, then the median over rounds.
func buildReport(ws []workload, servers []string, samples [][][]sample) report {
	r := report{servers: servers, reactorVsRedcon: nan}
	for _, w := range ws {
		r.workloads = append(r.workloads, w.name())
		r.labels = append(r.labels, w.title()+"\n"+w.detail())
	}
	r.rows = make([][]cell, len(ws))
	for wi := range ws {
		ref := samples[wi][0]
		for si := range servers {
			runs := samples[wi][si]
			r.failures += countFailed(runs)
			r.rows[wi] = append(r.rows[wi], cell{
				rps:      median(collect(runs, func(s sample) float64 { return s.res.RPS })),
				ratio:    pairedRatio(runs, ref, func(s sample) float64 { return s.res.RPS }),
				p50:      median(collect(runs, func(s sample) float64 { return s.res.P50 })),
				p99:      median(collect(runs, func(s sample) float64 { return s.res.P99 })),
				cpu:      median(collect(runs, sample.cpuPercent)),
				eff:      median(collect(runs, sample.efficiency)),
				effRatio: pairedRatio(runs, ref, sample.efficiency),
			})
		}
	}
	for si, name := range servers {
		if si == 0 {
			continue
		}
		var ops, eff []float64
		for wi := range ws {
			ops = append(ops, r.rows[wi][si].ratio)
			eff = append(eff, r.rows[wi][si].effRatio)
		}
		r.summary = append(r.summary, summary{server: name, opsRatio: geomean(ops), effRatio: geomean(eff)})
	}
	reactor, redcon := slices.Index(servers, "reactor"), slices.Index(servers, "redcon")
	if reactor > 0 && redcon > 0 {
		var ratios []float64
		for wi := range ws {
			ratios = append(ratios, pairedRatio(samples[wi][reactor], samples[wi][redcon], sample.efficiency))
		}
		r.reactorVsRedcon = geomean(ratios)
	}
	return r
}

func countFailed(runs []sample) int {
	n := 0
	for _, s := range runs {
		if !s.ok() {
			n++
		}
	}
	return n
}

// collect returns f of every successful run.
func collect(runs []sample, f func(sample) float64) []float64 {
	var out []float64
	for _, s := range runs {
		if s.ok() {
			out = append(out, f(s))
		}
	}
	return out
}

// pairedRatio returns the median over rounds of f(a)/f(b), over the rounds where both ran.
func pairedRatio(a, b []sample, f func(sample) float64) float64 {
	var ratios []float64
	for i := range a {
		if a[i].ok() && b[i].ok() {
			ratios = append(ratios, f(a[i])/f(b[i]))
		}
	}
	return median(ratios)
}

// median returns the median of the finite values in xs, or NaN when there are none.
func median(xs []float64) float64 {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return nan
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// geomean returns the geometric mean of the finite positive values in xs, or NaN when
// there are none.
func geomean(xs []float64) float64 {
	sum, n := 0.0, 0
	for _, x := range xs {
		if x > 0 && !math.IsInf(x, 0) {
			sum += math.Log(x)
			n++
		}
	}
	if n == 0 {
		return nan
	}
	return math.Exp(sum / float64(n))
}

// num formats x with the given verb, or "-" when it is not a number.
func num(format string, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return fmt.Sprintf(format, x)
}

var tableHeader = []string{"workload", "server", "ops/s", "ops/s ÷ redis", "p50 ms", "p99 ms", "CPU %", "req/CPU-s", "eff ÷ redis"}

// tableRows returns the table as text cells, one row per workload and server.
func (r report) tableRows() [][]string {
	var rows [][]string
	for wi, w := range r.workloads {
		for si, s := range r.servers {
			c := r.rows[wi][si]
			rows = append(rows, []string{w, s, num("%.0f", c.rps), num("%.2f", c.ratio),
				num("%.3f", c.p50), num("%.3f", c.p99), num("%.0f", c.cpu), num("%.0f", c.eff), num("%.2f", c.effRatio)})
		}
	}
	return rows
}

// summaryLines returns the summary, one sentence per line.
func (r report) summaryLines() []string {
	var lines []string
	for _, s := range r.summary {
		lines = append(lines, fmt.Sprintf("%-8s ops/s ÷ redis (geomean) %s   efficiency ÷ redis (geomean) %s",
			s.server, num("%.2f", s.opsRatio), num("%.2f", s.effRatio)))
	}
	lines = append(lines, fmt.Sprintf("reactor ÷ redcon efficiency (geomean) %s", num("%.2f", r.reactorVsRedcon)))
	if r.failures > 0 {
		lines = append(lines, fmt.Sprintf("%d runs failed and are left out", r.failures))
	}
	return lines
}

// print writes the table and the summary as aligned text.
func (r report) print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(tableHeader, "\t")+"\t")
	for i, row := range r.tableRows() {
		if i > 0 && i%len(r.servers) == 0 {
			fmt.Fprintln(tw, strings.Repeat("\t", len(tableHeader)))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, l := range r.summaryLines() {
		fmt.Fprintln(w, l)
	}
	return nil
}

// chart returns the bar chart of the ops/s ratio to redis-server, one bar per loop model.
func (r report) chart() barChart {
	c := barChart{
		title:  "kvrpcd throughput relative to redis-server (median ops/s ratio, higher is better)",
		yLabel: "ops/s ÷ redis-server",
		series: r.servers[1:],
		ref:    1,
	}
	for wi, label := range r.labels {
		c.groups = append(c.groups, label)
		var vs []float64
		for si := 1; si < len(r.servers); si++ {
			vs = append(vs, r.rows[wi][si].ratio)
		}
		c.values = append(c.values, vs)
	}
	return c
}

// machine describes where and how the benchmark ran.
type machine struct {
	command string
	date    time.Time
	cpus    int
	cpu     string
	kernel  string
	goVer   string
	redis   string
	pinning string
	rounds  int
}

func describeMachine(ctx context.Context, redisVersion string, pin pinning, opts options, args []string) machine {
	m := machine{
		command: strings.Join(append([]string{"go run ./bench"}, args...), " "),
		date:    time.Now().UTC(),
		cpus:    runtime.NumCPU(),
		cpu:     "unknown",
		kernel:  "unknown",
		goVer:   runtime.Version(),
		redis:   redisVersion,
		pinning: pin.describe(),
		rounds:  opts.rounds,
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = runtime.GOOS + " " + strings.TrimSpace(string(data))
	}
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		m.goVer = strings.TrimSpace(string(out))
	}
	return m
}

// writeMachine writes the title of the Markdown page, the command that made it and the
// machine it ran on.
func writeMachine(b *bytes.Buffer, m machine) {
	b.WriteString("# kvrpcd benchmark\n\n")
	fmt.Fprintf(b, "Generated by `%s` on %s.\n\n", m.command, m.when())
	b.WriteString("| machine | |\n|---|---|\n")
	fmt.Fprintf(b, "| CPUs (nproc) | %d |\n", m.cpus)
	fmt.Fprintf(b, "| CPU model | %s |\n", m.cpu)
	fmt.Fprintf(b, "| kernel | %s |\n", m.kernel)
	fmt.Fprintf(b, "| Go | %s |\n", m.goVer)
	fmt.Fprintf(b, "| redis-server | %s |\n\n", m.redis)
}

func (m machine) when() string { return m.date.Format("2006-01-02 15:04 MST") }

// writeMarkdown writes the report as a Markdown page that shows results.svg, with the
// memory report when mem is not nil.
func writeMarkdown(w io.Writer, m machine, r report, mem *memoryReport) error {
	var b bytes.Buffer
	writeMachine(&b, m)
	fmt.Fprintf(&b, "Method: %s; kvrpcd runs with GOMAXPROCS=1 and `--loops 1`, so every server has one core. "+
		"Each workload runs with redis-benchmark `--csv`, random keys (`-r %d`), %s, the servers in "+
		"alternating order (A B C D, then D C B A). GET workloads run on a keyspace filled with values of their "+
		"size. The list, hash, set and sorted set workloads use redis-benchmark's own keys; a data set that a "+
		"pop or LRANGE workload needs is filled first, unmeasured, as redis-benchmark's own commands write it, "+
		"and LRANGE runs as a custom command (`LRANGE mylist 0 99`) so that its run holds no LPUSH. Values are medians over rounds; a ratio to redis-server is taken within each round, then the "+
		"median. CPU %% is the server's user+system time (/proc/<pid>/stat) over the run's wall time; "+
		"req/CPU-s is the requests served per server CPU-second (its efficiency).\n\n",
		m.pinning, keyRange, plural(m.rounds, "round"))

	b.WriteString("## Results\n\n")
	b.WriteString("| " + strings.Join(tableHeader, " | ") + " |\n")
	b.WriteString("|---|---|" + strings.Repeat("---:|", len(tableHeader)-2) + "\n")
	for _, row := range r.tableRows() {
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	b.WriteString("\n![ops/s ratio to redis-server per workload](results.svg)\n\n")

	b.WriteString("## Summary\n\n")
	for _, l := range r.summaryLines() {
		b.WriteString("- " + strings.Join(strings.Fields(l), " ") + "\n")
	}
	if mem != nil {
		b.WriteString("\n")
		b.Write(mem.markdown(nil))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// plural returns "1 round", "3 rounds".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
