package main

import (
	"strings"
	"testing"
)

func TestParseCSV(t *testing.T) {
	const header = `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"` + "\n"
	tests := []struct {
		name    string
		in      string
		want    benchResult
		wantErr string
	}{
		{
			name: "get",
			in:   header + `"GET","76045.62","0.346","0.088","0.335","0.455","0.631","1.879"` + "\n",
			want: benchResult{Test: "GET", RPS: 76045.62, Avg: 0.346, Min: 0.088, P50: 0.335, P95: 0.455, P99: 0.631, Max: 1.879},
		},
		{
			name: "name with spaces and parentheses, CRLF, a warning first",
			in:   "WARNING: Could not fetch server CONFIG\r\n" + strings.ReplaceAll(header, "\n", "\r\n") + `"MSET (10 keys)","52910.05","0.839","0.248","0.775","1.503","1.999","3.095"` + "\r\n",
			want: benchResult{Test: "MSET (10 keys)", RPS: 52910.05, Avg: 0.839, Min: 0.248, P50: 0.775, P95: 1.503, P99: 1.999, Max: 3.095},
		},
		{
			name: "columns in another order",
			in:   `"rps","test","p99_latency_ms","p50_latency_ms","avg_latency_ms","min_latency_ms","p95_latency_ms","max_latency_ms"` + "\n" + `"10","SET","9","5","4","1","8","12"` + "\n",
			want: benchResult{Test: "SET", RPS: 10, Avg: 4, Min: 1, P50: 5, P95: 8, P99: 9, Max: 12},
		},
		{name: "empty", in: "", wantErr: "no header"},
		{name: "header only", in: header, wantErr: "without results"},
		{name: "missing column", in: `"test","rps"` + "\n" + `"GET","1"` + "\n", wantErr: `no column "avg_latency_ms"`},
		{name: "bad number", in: header + `"GET","fast","0.346","0.088","0.335","0.455","0.631","1.879"` + "\n", wantErr: "rps"},
		{name: "short row", in: header + `"GET","1"` + "\n", wantErr: "csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCSV(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseCSV error = %v; want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseCSV: %v", err)
			}
			if got != tt.want {
				t.Errorf("parseCSV = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestWorkloads(t *testing.T) {
	full, quick := workloads(false), workloads(true)
	if len(full) != len(quick) {
		t.Fatalf("quick has %d workloads, full %d", len(quick), len(full))
	}
	seen := map[string]bool{}
	for i, w := range full {
		if seen[w.name()] {
			t.Errorf("workload name %q twice", w.name())
		}
		seen[w.name()] = true
		if quick[i].requests*10 != w.requests {
			t.Errorf("%s: quick requests %d, full %d", w.name(), quick[i].requests, w.requests)
		}
		if (w.test == "get") != (w.fill > 0) {
			t.Errorf("%s: fill = %d", w.name(), w.fill)
		}
	}
	for _, name := range []string{"SET 3B P1", "SET 3B P16", "GET 3B P1", "GET 3B P16", "SET 1KiB P1", "SET 1KiB P16",
		"GET 1KiB P1", "GET 1KiB P16", "INCR P1", "MSET 3B P1", "GET 3B P1 c1",
		"LPUSH P1", "RPUSH P1", "LPOP P1", "RPOP P1", "SADD P1", "HSET P1", "SPOP P1", "ZADD P1", "ZPOPMIN P1",
		"LRANGE_100 P1", "LRANGE_600 P1"} {
		if !seen[name] {
			t.Errorf("no workload %q", name)
		}
	}
}

func TestBenchArgs(t *testing.T) {
	tests := []struct {
		w    workload
		want string
	}{
		{
			w:    workload{test: "get", size: 1024, pipeline: 16, clients: 50, requests: 1000},
			want: "-h 127.0.0.1 -p 7000 --csv -n 1000 -c 50 -P 16 -t get -r 100000 -d 1024",
		},
		{
			w:    workload{test: "lrange_600", size: 3, pipeline: 1, clients: 50, requests: 20, command: []string{"LRANGE", "mylist", "0", "599"}},
			want: "-h 127.0.0.1 -p 7000 --csv -n 20 -c 50 -P 1 LRANGE mylist 0 599",
		},
	}
	for _, tt := range tests {
		if got := strings.Join(benchArgs(tt.w, 7000), " "); got != tt.want {
			t.Errorf("benchArgs(%s) = %q; want %q", tt.w.name(), got, tt.want)
		}
	}
}

func TestDataTypeWorkloads(t *testing.T) {
	for _, w := range dataTypeWorkloads() {
		pops := strings.Contains(w.test, "pop") || strings.HasPrefix(w.test, "lrange")
		if pops != (w.prefill.key != "") {
			t.Errorf("%s: prefill %+v", w.name(), w.prefill)
		}
		if strings.HasPrefix(w.test, "lrange") && (w.command == nil || w.prefill.count < 600) {
			t.Errorf("%s: command %q, prefill %+v; want a custom LRANGE on 600 elements or more", w.name(), w.command, w.prefill)
		}
		if w.prefill.key != "" && w.prefill.count > w.requests && !strings.HasPrefix(w.test, "lrange") {
			t.Errorf("%s: prefill of %d for %d requests", w.name(), w.prefill.count, w.requests)
		}
	}
}

func TestPrefillCommands(t *testing.T) {
	tests := []struct {
		p             prefill
		first, n      int
		length, added string
	}{
		{prefill{key: "mylist"}, 5, 3, "LLEN", "RPUSH mylist xxx xxx xxx"},
		{prefill{key: "myset"}, 5, 3, "SCARD", "SADD myset element:5 element:6 element:7"},
		{prefill{key: "myzset"}, 0, 2, "ZCARD", "ZADD myzset 0 element:0 1 element:1"},
	}
	for _, tt := range tests {
		if got := tt.p.lengthCommand(); got != tt.length {
			t.Errorf("%s: lengthCommand = %q; want %q", tt.p.key, got, tt.length)
		}
		if got := strings.Join(tt.p.addCommand(tt.first, tt.n), " "); got != tt.added {
			t.Errorf("%s: addCommand(%d, %d) = %q; want %q", tt.p.key, tt.first, tt.n, got, tt.added)
		}
	}
}
