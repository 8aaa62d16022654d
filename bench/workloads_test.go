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
		"GET 1KiB P1", "GET 1KiB P16", "INCR P1", "MSET 3B P1", "GET 3B P1 c1"} {
		if !seen[name] {
			t.Errorf("no workload %q", name)
		}
	}
}

func TestBenchArgs(t *testing.T) {
	w := workload{test: "get", size: 1024, pipeline: 16, clients: 50, requests: 1000}
	got := strings.Join(benchArgs(w, 7000), " ")
	want := "-h 127.0.0.1 -p 7000 --csv -t get -n 1000 -c 50 -P 16 -r 100000 -d 1024"
	if got != want {
		t.Errorf("benchArgs = %q; want %q", got, want)
	}
}
