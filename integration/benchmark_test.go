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

// dataTypeBenchTests are the redis-benchmark tests for lists, hashes, sets and
// sorted sets, by the names it prints; the LRANGE tests push their list first.
var dataTypeBenchTests = []string{"LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN",
	"LPUSH (needed to benchmark LRANGE)", "LRANGE_100 (first 100 elements)", "LRANGE_300 (first 300 elements)",
	"LRANGE_500 (first 500 elements)", "LRANGE_600 (first 600 elements)"}

// benchResult matches redis-benchmark's final line for one test in -q mode,
// e.g. "SET: 56338.03 requests per second, p50=0.543 msec" or
// "LRANGE_100 (first 100 elements): 40650.41 requests per second, …".
var benchResult = regexp.MustCompile(`^([A-Z][A-Z0-9_]*(?: \([^)]*\))?): ([0-9.]+) requests per second`)

const (
	benchRequests         = 20000
	dataTypeBenchRequests = 5000
)

func TestRedisBenchmark(t *testing.T) {
	bench := needTool(t, "redis-benchmark")
	forEachLoop(t, func(t *testing.T, addr string) {
		port := portOf(t, addr)
		for i, pipeline := range []int{1, 16} {
			rps := runBenchmark(t, bench, port, "-t", "set,get,incr,mset", "-n", strconv.Itoa(benchRequests), "-P", strconv.Itoa(pipeline))
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

func TestRedisBenchmarkDataTypes(t *testing.T) {
	bench := needTool(t, "redis-benchmark")
	forEachLoop(t, func(t *testing.T, addr string) {
		rps := runBenchmark(t, bench, portOf(t, addr),
			"-t", "lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,lrange_300,lrange_500,lrange_600",
			"-n", strconv.Itoa(dataTypeBenchRequests))
		for _, name := range dataTypeBenchTests {
			if r, ok := rps[name]; !ok || r <= 0 {
				t.Errorf("%s: requests per second = %v (reported: %v); want > 0", name, r, ok)
			}
		}
		t.Logf("%v", rps)

		// The server is alive and holds what redis-server holds after the same run: without
		// -r every SADD, HSET and ZADD writes the one field or member "element:__rand_int__",
		// the pops empty the set, the sorted set and the pushed list, and the LRANGE tests'
		// LPUSH refills the list.
		conn := dialRaw(t, addr)
		if v := conn.do("PING"); string(v.Str) != "PONG" {
			t.Fatalf("PING after the benchmark = %v", v)
		}
		for _, c := range []struct {
			cmd  []string
			want int64
		}{
			{[]string{"LLEN", "mylist"}, dataTypeBenchRequests},
			{[]string{"HLEN", "myhash"}, 1},
			{[]string{"EXISTS", "myset", "myzset"}, 0},
		} {
			if v := conn.do(c.cmd...); v.Int != c.want || len(v.Str) > 0 {
				t.Errorf("%s after the benchmark = %v; want %d", strings.Join(c.cmd, " "), v, c.want)
			}
		}
	})
}

// runBenchmark runs a short redis-benchmark with args (its tests and request
// count) in -q mode and returns the requests per second reported for each
// test. Any error text in its output fails the test.
func runBenchmark(t *testing.T, bench string, port int, args ...string) map[string]float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args = append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-q"}, args...)
	cmd := exec.CommandContext(ctx, bench, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("redis-benchmark %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, clip(out.Bytes()), errOut.String())
	}
	if all := out.String() + errOut.String(); strings.Contains(all, "ERR") || strings.Contains(all, "Error") {
		t.Errorf("redis-benchmark %s printed errors:\n%s", strings.Join(args, " "), all)
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
