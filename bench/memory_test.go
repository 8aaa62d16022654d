package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestDatasets(t *testing.T) {
	full, quick := datasets(false), datasets(true)
	if len(full) != 5 || len(quick) != len(full) {
		t.Fatalf("%d data sets, %d quick; want 5 each", len(full), len(quick))
	}
	want := map[string]string{
		"strings":     "SET key:7 val:7",
		"hashes":      "HSET h:7 f1 v1 f2 v2 f3 v3 f4 v4 f5 v5 f6 v6 f7 v7 f8 v8 f9 v9 f10 v10",
		"lists":       "RPUSH l:7 e1 e2 e3 e4 e5 e6 e7 e8 e9 e10",
		"sets":        "SADD s:7 m1 m2 m3 m4 m5 m6 m7 m8 m9 m10",
		"sorted sets": "ZADD z:7 1 m1 2 m2 3 m3 4 m4 5 m5 6 m6 7 m7 8 m8 9 m9 10 m10",
	}
	for i, ds := range full {
		if got := strings.Join(ds.command(7), " "); got != want[ds.name] {
			t.Errorf("%s: command(7) = %q; want %q", ds.name, got, want[ds.name])
		}
		if quick[i].keys*10 != ds.keys {
			t.Errorf("%s: %d keys, %d quick", ds.name, ds.keys, quick[i].keys)
		}
	}
	if full[0].keys != 1_000_000 || full[1].keys != 100_000 {
		t.Errorf("key counts %d, %d; want 1000000, 100000", full[0].keys, full[1].keys)
	}
}

func TestParseMemInfo(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    memInfo
		wantErr bool
	}{
		{
			name: "redis-server",
			in:   "# Memory\r\nused_memory:873512\r\nused_memory_human:853.04K\r\nused_memory_rss:7712768\r\nused_memory_rss_human:7.36M\r\n",
			want: memInfo{used: 873512, rss: 7712768},
		},
		{name: "no rss", in: "# Memory\r\nused_memory:1\r\n", wantErr: true},
		{name: "not a number", in: "used_memory:lots\r\nused_memory_rss:1\r\n", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseMemInfo(tt.in)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("%s: parseMemInfo = %+v, %v; want %+v, error %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestMemoryReport(t *testing.T) {
	ds := datasets(false)[:2]
	r := memoryReport{sets: ds, redisVer: "7.0.15", results: [][]memMeasure{
		{ // 1M strings: kvrpcd 100 B/key heap, 150 RSS; redis 50 and 60.
			{base: memInfo{1 << 20, 8 << 20}, loaded: memInfo{1<<20 + 100e6, 8<<20 + 150e6}},
			{base: memInfo{900e3, 7e6}, loaded: memInfo{900e3 + 50e6, 7e6 + 60e6}},
		},
		{ // 100k hashes: 200 B/key against 100 B/key.
			{base: memInfo{1 << 20, 8 << 20}, loaded: memInfo{1<<20 + 20e6, 8<<20 + 20e6}},
			{base: memInfo{900e3, 7e6}, loaded: memInfo{900e3 + 10e6, 7e6 + 10e6}},
		},
	}}
	rows := r.tableRows()
	want := [][]string{
		{"strings", "1000000", "SET key:<i> val:<i>", "100.0", "50.0", "2.00", "150.0", "60.0", "2.50"},
		{"hashes", "100000", "HSET h:<i> f1 v1 … f10 v10", "200.0", "100.0", "2.00", "200.0", "100.0", "2.00"},
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q; want %q", i, rows[i], want[i])
		}
	}
	if got, want := r.baselineLine(), "kvrpcd heap 1.0 MiB, RSS 8.0 MiB; redis used_memory 0.9 MiB, RSS 6.7 MiB"; !strings.Contains(got, want) {
		t.Errorf("baselineLine = %q; want it to contain %q", got, want)
	}
	var text bytes.Buffer
	if err := r.print(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "heap ÷ redis") || !strings.Contains(text.String(), "HSET h:<i>") {
		t.Errorf("printed memory report:\n%s", text.String())
	}
	m := machine{command: "go run ./bench --memory-only", date: time.Date(2025, 1, 2, 3, 4, 0, 0, time.UTC)}
	md := string(r.markdown(&m))
	for _, want := range []string{"## Memory\n", "`go run ./bench --memory-only` on 2025-01-02 03:04 UTC", "redis-server 7.0.15",
		"| strings | 1000000 | `SET key:<i> val:<i>` | 100.0 | 50.0 | 2.00 | 150.0 | 60.0 | 2.50 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(string(r.markdown(nil)), "Measured by") {
		t.Error("markdown(nil) names a run")
	}
}

func TestReplaceSection(t *testing.T) {
	const section = "## Memory\n\nnew\n"
	tests := []struct {
		name, page, want string
	}{
		{"empty page", "", section},
		{"appended", "# T\n\n## Results\n\nr\n", "# T\n\n## Results\n\nr\n\n" + section},
		{"last section", "# T\n\n## Memory\n\nold\nold\n", "# T\n\n" + section},
		{"middle section", "# T\n\n## Memory\n\nold\n\n## Later\n\nl\n", "# T\n\n" + section + "\n## Later\n\nl\n"},
		{"at the start", "## Memory\n\nold\n", section},
		{"a longer heading is another section", "# T\n\n## Memory use\n\nu\n", "# T\n\n## Memory use\n\nu\n\n" + section},
	}
	for _, tt := range tests {
		if got := string(replaceSection([]byte(tt.page), memoryHeading, []byte(section))); got != tt.want {
			t.Errorf("%s: replaceSection = %q; want %q", tt.name, got, tt.want)
		}
	}
}
