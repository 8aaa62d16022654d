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
	test     string // redis-benchmark -t: set, get, incr, mset, lpush, lrange_100, …
	size     int    // -d, the value size in bytes
	pipeline int    // -P
	clients  int    // -c
	requests int    // -n
	fill     int    // SETs that fill the keyspace before a GET workload; see fillRequests

	// command, when set, is run as redis-benchmark's custom command in place of -t test: an
	// LRANGE test run with -t pushes its list in the same run, which would count in the
	// server's CPU time, so the list is filled by prefill and the LRANGE alone is run.
	command []string
	// prefill is the data set a reading or popping workload needs, filled before the run.
	prefill prefill
}

// name is the workload's label in tables, e.g. "SET 1KiB P16" or "GET 3B P1 c1".
func (w workload) name() string { return w.title() + " " + w.detail() }

// title is the command and, for the string workloads whose value size varies, the value
// size, e.g. "SET 1KiB", "INCR" or "LRANGE_100".
func (w workload) title() string {
	if w.test != "set" && w.test != "get" && w.test != "mset" {
		return strings.ToUpper(w.test)
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
	ws = append(ws, dataTypeWorkloads()...)
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

// dataTypeWorkloads returns the list, hash, set and sorted set workloads, in run order. They
// use redis-benchmark's own keys (mylist, myhash, myset, myzset), which every push or add
// grows and every pop shrinks: in this order the pops find what the pushes before them left,
// and prefill tops a data set up when a run was left out.
func dataTypeWorkloads() []workload {
	const n, lrange = 40000, 15000
	list := prefill{key: "mylist", count: n}
	ws := []workload{
		{test: "lpush"}, {test: "rpush"},
		{test: "lpop", prefill: list}, {test: "rpop", prefill: list},
		{test: "sadd"}, {test: "hset"},
		{test: "spop", prefill: prefill{key: "myset", count: n}},
		{test: "zadd"},
		{test: "zpopmin", prefill: prefill{key: "myzset", count: n}},
		{test: "lrange_100", command: []string{"LRANGE", "mylist", "0", "99"}},
		{test: "lrange_600", command: []string{"LRANGE", "mylist", "0", "599"}},
	}
	for i := range ws {
		ws[i].size, ws[i].pipeline, ws[i].clients, ws[i].requests = 3, 1, 50, n
		if ws[i].command != nil {
			// The longest range: as after redis-benchmark's own LPUSH, every LRANGE
			// returns as many elements as it asks for.
			ws[i].prefill = prefill{key: "mylist", count: 600}
			ws[i].requests = lrange
		}
	}
	return ws
}

// prefill is a data set under one of redis-benchmark's keys that holds at least count
// elements, as redis-benchmark's own commands write them: "xxx" values (its -d 3 data) in
// the list mylist, element:N members in the set myset and the sorted set myzset.
type prefill struct {
	key   string // mylist, myset or myzset; "" for none
	count int
}

// lengthCommand returns the command that counts the data set's elements.
func (p prefill) lengthCommand() string {
	switch p.key {
	case "mylist":
		return "LLEN"
	case "myset":
		return "SCARD"
	}
	return "ZCARD"
}

// addCommand returns the command that adds the elements first … first+n-1 (a list gets n
// more values, a set or sorted set the members element:first and on).
func (p prefill) addCommand(first, n int) []string {
	switch p.key {
	case "mylist":
		args := []string{"RPUSH", p.key}
		for range n {
			args = append(args, "xxx")
		}
		return args
	case "myset":
		args := []string{"SADD", p.key}
		for i := first; i < first+n; i++ {
			args = append(args, "element:"+strconv.Itoa(i))
		}
		return args
	}
	args := []string{"ZADD", p.key}
	for i := first; i < first+n; i++ {
		args = append(args, strconv.Itoa(i), "element:"+strconv.Itoa(i))
	}
	return args
}

// fill tops the data set up to p.count elements on s, unmeasured, in commands of at most
// prefillChunk elements. A set or sorted set gets the members element:0 … element:count-1,
// some of which it may hold already, so it ends with count elements or more.
func (p prefill) fill(ctx context.Context, s *server) error {
	if p.key == "" {
		return nil
	}
	reply, err := s.call(p.lengthCommand(), p.key)
	if err != nil {
		return err
	}
	have, err := strconv.Atoi(reply)
	if err != nil {
		return fmt.Errorf("%s %s: %q", p.lengthCommand(), p.key, reply)
	}
	if have >= p.count {
		return nil
	}
	want := p.count
	if p.key == "mylist" {
		want -= have
	}
	chunks := (want + prefillChunk - 1) / prefillChunk
	return load(ctx, s.addr(), chunks, func(i int) []string {
		return p.addCommand(i*prefillChunk, min(prefillChunk, want-i*prefillChunk))
	})
}

// prefillChunk is the number of elements one prefill command adds.
const prefillChunk = 1000

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
	args := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "--csv",
		"-n", strconv.Itoa(w.requests), "-c", strconv.Itoa(w.clients), "-P", strconv.Itoa(w.pipeline)}
	if w.command != nil {
		return append(args, w.command...)
	}
	return append(args, "-t", w.test, "-r", strconv.Itoa(keyRange), "-d", strconv.Itoa(w.size))
}

// measure runs w against s, filling the keyspace first when w is a GET and the data set it
// needs when it has a prefill, and returns the result with the CPU time the server used
// during the measured run.
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
	if err := w.prefill.fill(ctx, s); err != nil {
		return sample{}, fmt.Errorf("filling %s: %w", w.prefill.key, err)
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
