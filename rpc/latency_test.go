package rpc

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// TestLatencyBuckets checks the histogram layout against HdrHistogram's with two
// significant digits: exact below 256 ns, 128 buckets per power of two above, every value
// in exactly one bucket.
func TestLatencyBuckets(t *testing.T) {
	for _, tc := range []struct {
		v         int64
		low, high int64
	}{
		{0, 1, 1}, {1, 1, 1}, {255, 255, 255}, {256, 256, 257}, {1024, 1024, 1031},
		{5000, 4992, 5023}, {6000, 5984, 6015}, {91000, 90624, 91135},
		{int64(time.Second), 998244352, 1002438655}, {int64(time.Hour), 998244352, 1002438655},
	} {
		b := latencyBucket(time.Duration(tc.v))
		if bucketLow(b) != tc.low || bucketHigh(b) != tc.high {
			t.Errorf("%d ns: bucket [%d, %d], want [%d, %d]", tc.v, bucketLow(b), bucketHigh(b), tc.low, tc.high)
		}
	}
	last := latencyBucket(time.Second)
	if last >= histBuckets {
		t.Fatalf("1 s falls in bucket %d of %d", last, histBuckets)
	}
	for i := 1; i <= last; i++ {
		if latencyBucket(time.Duration(bucketLow(i))) != i || latencyBucket(time.Duration(bucketHigh(i))) != i {
			t.Fatalf("bucket %d: [%d, %d] do not map back to it", i, bucketLow(i), bucketHigh(i))
		}
		if i > 1 && bucketHigh(i-1)+1 != bucketLow(i) {
			t.Fatalf("a gap between buckets %d and %d", i-1, i)
		}
	}
}

// histOf builds histogram counts from durations in ns.
func histOf(values ...int64) ([]int64, int64) {
	var st cmdStats
	for _, v := range values {
		st.record(latencyBucket(time.Duration(v)), 1)
	}
	return st.hist.Load().snapshot()
}

// TestLatencyPercentiles checks hdr_value_at_percentile's rules with values Redis reported:
// "p50=6.015,p99.99=6.015,p0=4.992,p100=6.015" for calls of 5 and 6 µs.
func TestLatencyPercentiles(t *testing.T) {
	counts, total := histOf(5000, 6000, 6000)
	var got []string
	for _, p := range []float64{50, 99.99, 0, 100, 12.5} {
		got = append(got, fmt.Sprintf("p%s=%.3f", formatPercentile(p), float64(percentile(counts, total, p))/1000))
	}
	if want := "p50=6.015,p99.99=6.015,p0=4.992,p100=6.015,p12.5=5.023"; strings.Join(got, ",") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ","), want)
	}
	for p, want := range map[float64]string{99.9: "99.9", 50: "50", 0.0000001: "0", 12.3456789: "12.345679"} {
		if got := formatPercentile(p); got != want {
			t.Errorf("formatPercentile(%v) = %s, want %s", p, got, want)
		}
	}
}

// TestLatencyCDF checks LATENCY HISTOGRAM's points against those redis-server reported for
// calls of about 199 µs and 3.1 ms ("264 => 1, 4227 => 2") and 5 µs ("8 => 3").
func TestLatencyCDF(t *testing.T) {
	for _, tc := range []struct {
		values []int64
		want   string
	}{
		{[]int64{199000, 3129000}, "264:1 4227:2"},
		{[]int64{5000, 5000, 6000}, "8:3"},
		{[]int64{100, 1024, 1031, 1032}, "1:3 2:4"},
		{[]int64{int64(time.Hour)}, "1082130:1"},
	} {
		usec, calls := cdf(histOf(tc.values...))
		var got []string
		for i := range usec {
			got = append(got, fmt.Sprintf("%d:%d", usec[i], calls[i]))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%v: %s, want %s", tc.values, strings.Join(got, " "), tc.want)
		}
	}
}

// TestLatencyGraph compares renderGraph with LATENCY GRAPH outputs of redis-server.
func TestLatencyGraph(t *testing.T) {
	rule := strings.Repeat("-", 80)
	one := renderGraph("command", []latencySample{{unix: 1000, ms: 50}}, 50, 1000)
	if want := "command - high 50 ms, low 50 ms (all time high 50 ms)\n" + rule + "\n \n \n \n_\n \n0\ns\n"; one != want {
		t.Errorf("one sample:\n%q\nwant:\n%q", one, want)
	}
	two := renderGraph("command", []latencySample{{unix: 998, ms: 50}, {unix: 1000, ms: 100}}, 100, 1000)
	if want := "command - high 100 ms, low 50 ms (all time high 100 ms)\n" + rule + "\n #\n |\n |\n_|\n  \n20\nss\n"; two != want {
		t.Errorf("two samples:\n%q\nwant:\n%q", two, want)
	}
	// More than 80 samples make blocks of 80 columns, separated by a blank line.
	var many []latencySample
	for i := range 100 {
		many = append(many, latencySample{unix: int64(i + 1), ms: int64(i)})
	}
	g := renderGraph("e", many, 99, 4000)
	blocks := strings.Split(g, "\n\n")
	if len(blocks) != 2 || !strings.HasSuffix(blocks[0], "\n"+strings.Repeat("1", 80)+"\n"+strings.Repeat("h", 80)) ||
		!strings.HasSuffix(blocks[1], "\n"+strings.Repeat("1", 20)+"\n"+strings.Repeat("h", 20)+"\n") {
		t.Errorf("100 samples:\n%s", g)
	}
}

// TestLatencyMonitor drives the latency monitor with commands that take a chosen time.
func TestLatencyMonitor(t *testing.T) {
	sleep := func(c *Client, args [][]byte) {
		ms, _ := strconv.Atoi(string(args[1]))
		time.Sleep(time.Duration(ms) * time.Millisecond)
		c.w.Raw(replyOK)
	}
	app := []*Command{
		{Name: "slowop", Arity: 2, Group: GroupServer, Run: sleep, Doc: Doc{Summary: "Sleeps."}},
		{Name: "fastop", Arity: 2, Flags: Fast, Group: GroupServer, Run: sleep, Doc: Doc{Summary: "Sleeps, although fast."}},
	}
	srv := newConnServer(t, "latency-monitor-threshold 20\nslowlog-log-slower-than 15000", Options{Commands: app})
	s := newConnSession(t, srv)
	start := time.Now().Unix()
	s.do("SLOWOP", "1")
	if got := s.do("LATENCY", "LATEST"); len(got.Elems) != 0 {
		t.Fatalf("a command under the threshold made an event: %s", got)
	}
	s.do("SLOWOP", "25")
	s.do("FASTOP", "30")
	latest := s.do("LATENCY", "LATEST")
	if len(latest.Elems) != 2 {
		t.Fatalf("LATENCY LATEST: %s", latest)
	}
	for i, name := range []string{"command", "fast-command"} {
		e := latest.Elems[i].Elems
		if string(e[0].Str) != name || e[1].Int < start || e[2].Int < 20 || e[3].Int < e[2].Int {
			t.Errorf("LATENCY LATEST entry %d: %s", i, latest.Elems[i])
		}
	}
	hist := s.do("LATENCY", "HISTORY", "command")
	if len(hist.Elems) != 1 || hist.Elems[0].Elems[1].Int < 25 {
		t.Errorf("LATENCY HISTORY command: %s", hist)
	}
	if g := s.do("LATENCY", "GRAPH", "fast-command"); g.Kind != resp.KindVerbatim && g.Kind != resp.KindBulk ||
		!strings.HasPrefix(strings.TrimPrefix(string(g.Str), "txt:"), "fast-command - high ") {
		t.Errorf("LATENCY GRAPH: %s", g)
	}
	doctor := string(s.do("LATENCY", "DOCTOR").Str)
	for _, want := range []string{"1. command: 1 latency spikes", "2. fast-command: 1 latency spikes", "Slow Log", "system load"} {
		if !strings.Contains(doctor, want) {
			t.Errorf("LATENCY DOCTOR lacks %q:\n%s", want, doctor)
		}
	}
	// The slow log took the two commands over 15 ms (SLOWOP 1 stays under it however loaded
	// the machine is, within reason).
	if got := slowlogArgs(t, s.do("SLOWLOG", "GET")); strings.Join(got, "|") != "FASTOP 30|SLOWOP 25" {
		t.Errorf("SLOWLOG GET: %q", got)
	}
	if got := s.do("LATENCY", "RESET", "command", "nosuch"); got.Int != 1 {
		t.Errorf("LATENCY RESET command nosuch = %d, want 1", got.Int)
	}
	if got := s.do("LATENCY", "RESET"); got.Int != 1 {
		t.Errorf("LATENCY RESET = %d, want 1", got.Int)
	}
	// Off again: nothing is recorded.
	s.do("CONFIG", "SET", "latency-monitor-threshold", "0")
	s.do("SLOWOP", "6")
	if got := s.do("LATENCY", "LATEST"); len(got.Elems) != 0 {
		t.Errorf("latency monitor off, LATENCY LATEST: %s", got)
	}
	// LATENCY HISTOGRAM counts every call, slow or not.
	h := s.do("LATENCY", "HISTOGRAM", "slowop")
	if len(h.Elems) != 2 || string(h.Elems[0].Str) != "slowop" || h.Elems[1].Elems[1].Int != 3 {
		t.Errorf("LATENCY HISTOGRAM slowop: %s", h)
	}
}

// TestLatencyInfo checks INFO latencystats' line format and the effect of the parameters.
func TestLatencyInfo(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	s.do("SET", "k", "v")
	info := string(s.do("INFO", "latencystats").Str)
	if !strings.Contains(info, "# Latencystats\r\nlatency_percentiles_usec_set:p50=") ||
		!strings.Contains(info, ",p99=") || !strings.Contains(info, ",p99.9=") {
		t.Errorf("INFO latencystats:\n%s", info)
	}
	s.do("CONFIG", "SET", "latency-tracking-info-percentiles", "")
	if info := string(s.do("INFO", "latencystats").Str); !strings.Contains(info, "latency_percentiles_usec_set:\r\n") {
		t.Errorf("no percentiles, INFO latencystats:\n%s", info)
	}
	s.do("CONFIG", "SET", "latency-tracking", "no")
	s.do("GET", "k")
	if info := string(s.do("INFO", "latencystats").Str); strings.TrimPrefix(info, "txt:") != "# Latencystats\r\n" {
		t.Errorf("latency-tracking no, INFO latencystats:\n%q", info)
	}
	if srv.stats[srv.table["get"].id].hist.Load() != nil {
		t.Error("GET got a histogram with latency-tracking no")
	}
	s.do("CONFIG", "RESETSTAT")
	if srv.stats[srv.table["set"].id].hist.Load() != nil {
		t.Error("CONFIG RESETSTAT kept SET's histogram")
	}
}

// TestLatencyHistogramBatched: a pipeline of one command records its calls in one batch,
// and every call is counted.
func TestLatencyHistogramBatched(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	var pipe []byte
	for range 100 {
		pipe = append(pipe, respCommand("GET", "k")...)
	}
	if n := s.c.Process(pipe); n != len(pipe) {
		t.Fatalf("Process consumed %d of %d", n, len(pipe))
	}
	s.c.ResetOutput()
	_, total := srv.stats[srv.table["get"].id].hist.Load().snapshot()
	if total != 100 || srv.stats[srv.table["get"].id].calls.Load() != 100 {
		t.Fatalf("histogram total %d, calls %d, want 100", total, srv.stats[srv.table["get"].id].calls.Load())
	}
}

// BenchmarkLatencyHotPath measures what latency tracking adds to a command's statistics:
// the bucket of its duration, against the batch entry alone (tracking off).
func BenchmarkLatencyHotPath(b *testing.B) {
	for _, tracking := range []bool{false, true} {
		b.Run(fmt.Sprint("tracking=", tracking), func(b *testing.B) {
			var batch statBatch
			b.ReportAllocs()
			for i := range b.N {
				d := time.Duration(600 + i&127)
				bucket := -1
				if tracking {
					bucket = latencyBucket(d)
				}
				if !batch.add(3, bucket, d, false) {
					batch.n = 0
				}
			}
		})
	}
}
