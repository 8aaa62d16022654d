package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// keyRange is redis-benchmark's -r: every workload uses random keys among this many.
const keyRange = 100000

// runTimeout bounds one redis-benchmark run.
const runTimeout = 3 * time.Minute

// workload is one redis-benchmark test with its parameters.
type workload struct {
	test     string // redis-benchmark -t: set, get, incr, mset
	size     int    // -d, the value size in bytes
	pipeline int    // -P
	clients  int    // -c
	requests int    // -n
	fill     int    // SETs that fill the keyspace before a GET workload; see fillRequests
}

// name is the workload's label in tables, e.g. "SET 1KiB P16" or "GET 3B P1 c1".
func (w workload) name() string { return w.title() + " " + w.detail() }

// title is the command and value size, e.g. "SET 1KiB"; INCR has no value size.
func (w workload) title() string {
	if w.test == "incr" {
		return "INCR"
	}
	size := strconv.Itoa(w.size) + "B"
	if w.size%1024 == 0 {
		size = strconv.Itoa(w.size/1024) + "KiB"
	}
	return strings.ToUpper(w.test) + " " + size
}

// detail is the pipeline depth, plus the client count when it is not the usual 50.
func (w workload) detail() string {
	d := "P" + strconv.Itoa(w.pipeline)
	if w.clients != 50 {
		d += " c" + strconv.Itoa(w.clients)
	}
	return d
}

// writesKeys reports whether the workload overwrites the keys GET reads (key:NNN).
func (w workload) writesKeys() bool { return w.test == "set" || w.test == "mset" }

// workloads returns the workloads in run order. SETs come before the GETs of the same value
// size, so the keyspace is filled once per size and round. quick divides the requests by
// 10, for a smoke run.
func workloads(quick bool) []workload {
	const p1, p16, latency = 75000, 375000, 15000
	ws := []workload{
		{test: "set", size: 3, pipeline: 1, clients: 50, requests: p1},
		{test: "set", size: 3, pipeline: 16, clients: 50, requests: p16},
		{test: "get", size: 3, pipeline: 1, clients: 50, requests: p1},
		{test: "get", size: 3, pipeline: 16, clients: 50, requests: p16},
		{test: "incr", size: 3, pipeline: 1, clients: 50, requests: p1},
		{test: "mset", size: 3, pipeline: 1, clients: 50, requests: p1 / 2},
		{test: "get", size: 3, pipeline: 1, clients: 1, requests: latency},
		{test: "set", size: 1024, pipeline: 1, clients: 50, requests: p1},
		{test: "set", size: 1024, pipeline: 16, clients: 50, requests: p16},
		{test: "get", size: 1024, pipeline: 1, clients: 50, requests: p1},
		{test: "get", size: 1024, pipeline: 16, clients: 50, requests: p16},
	}
	for i := range ws {
		if quick {
			ws[i].requests /= 10
		}
		if ws[i].test == "get" {
			ws[i].fill = fillRequests(quick)
		}
	}
	return ws
}

// fillRequests returns the SETs that fill the keyspace before a GET workload: with random
// keys, n SETs leave a fraction exp(-n/keyRange) of the keys missing, under 1% for
// 5*keyRange (14% in a quick run).
func fillRequests(quick bool) int {
	if quick {
		return 2 * keyRange
	}
	return 5 * keyRange
}

// benchResult is one line of redis-benchmark --csv output.
type benchResult struct {
	Test string
	RPS  float64 // requests per second
	// Latencies in milliseconds.
	Avg, Min, P50, P95, P99, Max float64
}

// sample is one measured run.
type sample struct {
	res      benchResult
	requests int
	cpuSec   float64 // server CPU time during the run
	wallSec  float64
}

func (s sample) ok() bool { return s.requests > 0 }

// cpuPercent is the share of one CPU the server used during the run.
func (s sample) cpuPercent() float64 { return 100 * s.cpuSec / s.wallSec }

// efficiency is the requests served per CPU-second of the server; +Inf is avoided by
// returning NaN when the run was too short to be measured.
func (s sample) efficiency() float64 {
	if s.cpuSec <= 0 {
		return nan
	}
	return float64(s.requests) / s.cpuSec
}

// benchArgs returns redis-benchmark's arguments for w against port.
func benchArgs(w workload, port int) []string {
	return []string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "--csv",
		"-t", w.test, "-n", strconv.Itoa(w.requests), "-c", strconv.Itoa(w.clients),
		"-P", strconv.Itoa(w.pipeline), "-r", strconv.Itoa(keyRange), "-d", strconv.Itoa(w.size)}
}

// measure runs w against s, filling the keyspace first when w is a GET, and returns the
// result with the CPU time the server used during the measured run.
func measure(ctx context.Context, s *server, w workload, pin pinning, ticks float64) (sample, error) {
	if w.fill > 0 && s.fill != w.size {
		fill := workload{test: "set", size: w.size, pipeline: 64, clients: 50, requests: w.fill}
		if _, err := runBenchmark(ctx, pin, benchArgs(fill, s.port)); err != nil {
			return sample{}, fmt.Errorf("filling the keyspace: %w", err)
		}
		s.fill = w.size
	}
	if w.writesKeys() && w.size != s.fill {
		s.fill = 0
	}
	before, err := s.cpuTime()
	if err != nil {
		return sample{}, err
	}
	start := time.Now()
	res, err := runBenchmark(ctx, pin, benchArgs(w, s.port))
	wall := time.Since(start)
	if err != nil {
		return sample{}, err
	}
	after, err := s.cpuTime()
	if err != nil {
		return sample{}, err
	}
	return sample{res: res, requests: w.requests, cpuSec: float64(after-before) / ticks, wallSec: wall.Seconds()}, nil
}

// runBenchmark runs redis-benchmark with args, pinned to the client CPU, and parses its CSV.
func runBenchmark(ctx context.Context, pin pinning, args []string) (benchResult, error) {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	cmd := pin.command(ctx, pin.client, append([]string{"redis-benchmark"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if msg := stderr.String() + stdout.String(); strings.Contains(msg, "Error from server") {
		return benchResult{}, fmt.Errorf("redis-benchmark got error replies: %s", firstLine(msg[strings.Index(msg, "Error from server"):]))
	}
	if err != nil {
		return benchResult{}, fmt.Errorf("redis-benchmark %s: %w: %s", strings.Join(args, " "), err, firstLine(stderr.String()))
	}
	return parseCSV(&stdout)
}

// parseCSV returns the first result of redis-benchmark --csv output. Lines before the
// header (the line naming the "test" and "rps" columns) are skipped; the columns are found by name.
func parseCSV(r io.Reader) (benchResult, error) {
	sc := bufio.NewScanner(r)
	var table strings.Builder
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if table.Len() == 0 && !(strings.Contains(line, `"test"`) && strings.Contains(line, `"rps"`)) {
			continue
		}
		if line != "" {
			table.WriteString(line + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		return benchResult{}, err
	}
	if table.Len() == 0 {
		return benchResult{}, errors.New("csv: no header line")
	}
	records, err := csv.NewReader(strings.NewReader(table.String())).ReadAll()
	if err != nil {
		return benchResult{}, fmt.Errorf("csv: %w", err)
	}
	if len(records) < 2 {
		return benchResult{}, errors.New("csv: header without results")
	}
	header, row := records[0], records[1]
	res := benchResult{Test: row[indexOf(header, "test")]}
	for _, col := range []struct {
		name string
		dst  *float64
	}{
		{"rps", &res.RPS}, {"avg_latency_ms", &res.Avg}, {"min_latency_ms", &res.Min},
		{"p50_latency_ms", &res.P50}, {"p95_latency_ms", &res.P95},
		{"p99_latency_ms", &res.P99}, {"max_latency_ms", &res.Max},
	} {
		i := indexOf(header, col.name)
		if i < 0 {
			return benchResult{}, fmt.Errorf("csv: no column %q", col.name)
		}
		v, err := strconv.ParseFloat(row[i], 64)
		if err != nil {
			return benchResult{}, fmt.Errorf("csv: %s: %w", col.name, err)
		}
		*col.dst = v
	}
	return res, nil
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}
