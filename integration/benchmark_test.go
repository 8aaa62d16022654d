package integration

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchTests are the redis-benchmark tests run, by the names it prints.
var benchTests = []string{"SET", "GET", "INCR", "MSET (10 keys)"}

// benchResult matches redis-benchmark's final line for one test in -q mode,
// e.g. "SET: 56338.03 requests per second, p50=0.543 msec".
var benchResult = regexp.MustCompile(`^([A-Z]+(?: \(\d+ keys\))?): ([0-9.]+) requests per second`)

const benchRequests = 20000

func TestRedisBenchmark(t *testing.T) {
	bench := needTool(t, "redis-benchmark")
	forEachLoop(t, func(t *testing.T, addr string) {
		port := portOf(t, addr)
		for i, pipeline := range []int{1, 16} {
			rps := runBenchmark(t, bench, port, pipeline)
			for _, name := range benchTests {
				if r, ok := rps[name]; !ok || r <= 0 {
					t.Errorf("-P %d: %s: requests per second = %v (reported: %v); want > 0", pipeline, name, r, ok)
				}
			}
			t.Logf("-P %d: %v", pipeline, rps)

			// The server is alive and every INCR was carried out.
			conn := dialRaw(t, addr)
			if v := conn.do("PING"); string(v.Str) != "PONG" {
				t.Fatalf("-P %d: PING after the benchmark = %v", pipeline, v)
			}
			want := strconv.Itoa((i + 1) * benchRequests)
			if v := conn.do("GET", "counter:__rand_int__"); string(v.Str) != want {
				t.Errorf("-P %d: counter after the benchmark = %v; want %s", pipeline, v, want)
			}
		}
	})
}

// runBenchmark runs a short redis-benchmark and returns the requests per
// second reported for each test.
func runBenchmark(t *testing.T, bench string, port, pipeline int) map[string]float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-t", "set,get,incr,mset",
		"-n", strconv.Itoa(benchRequests), "-q", "-P", strconv.Itoa(pipeline)}
	cmd := exec.CommandContext(ctx, bench, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("redis-benchmark %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, clip(out.Bytes()), errOut.String())
	}
	if strings.Contains(out.String()+errOut.String(), "Error from server") {
		t.Errorf("redis-benchmark -P %d got error replies:\n%s%s", pipeline, out.String(), errOut.String())
	}
	rps := map[string]float64{}
	// Progress lines end in \r, final lines in \n.
	for _, line := range strings.FieldsFunc(out.String(), func(r rune) bool { return r == '\r' || r == '\n' }) {
		m := benchResult.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		r, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			t.Errorf("redis-benchmark: bad rate in %q", line)
			continue
		}
		rps[m[1]] = r
	}
	return rps
}
