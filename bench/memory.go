package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// memoryServers are the servers of the memory report, in table order: kvrpcd with the
// reactor loop model, then redis-server. The loop model does not change how the keyspace
// is stored; one is enough.
var memoryServers = []string{"reactor", redisName}

// infoSettle is how long the memory report waits before INFO memory: redis-server refreshes
// used_memory_rss in its cron, every 100 ms.
const infoSettle = 300 * time.Millisecond

// dataset is one load of the memory report: keys keys, key i written by command(i).
type dataset struct {
	name    string // "strings", "hashes", …
	keys    int
	shape   string // command(i) in words, for the table
	command func(i int) []string
}

// datasets returns the data sets of the memory report: a million small strings and a
// hundred thousand hashes, lists, sets and sorted sets of ten small elements each (set
// members are not integers, which redis-server would keep in an intset). quick divides the
// key counts by 10, for a smoke run.
func datasets(quick bool) []dataset {
	strs, others := 1_000_000, 100_000
	if quick {
		strs, others = strs/10, others/10
	}
	// ten returns key followed by ten elements made by elem(1) … elem(10).
	ten := func(cmd, key string, elem func(j int) []string) []string {
		args := []string{cmd, key}
		for j := 1; j <= 10; j++ {
			args = append(args, elem(j)...)
		}
		return args
	}
	n := strconv.Itoa
	return []dataset{
		{name: "strings", keys: strs, shape: "SET key:<i> val:<i>", command: func(i int) []string {
			return []string{"SET", "key:" + n(i), "val:" + n(i)}
		}},
		{name: "hashes", keys: others, shape: "HSET h:<i> f1 v1 … f10 v10", command: func(i int) []string {
			return ten("HSET", "h:"+n(i), func(j int) []string { return []string{"f" + n(j), "v" + n(j)} })
		}},
		{name: "lists", keys: others, shape: "RPUSH l:<i> e1 … e10", command: func(i int) []string {
			return ten("RPUSH", "l:"+n(i), func(j int) []string { return []string{"e" + n(j)} })
		}},
		{name: "sets", keys: others, shape: "SADD s:<i> m1 … m10", command: func(i int) []string {
			return ten("SADD", "s:"+n(i), func(j int) []string { return []string{"m" + n(j)} })
		}},
		{name: "sorted sets", keys: others, shape: "ZADD z:<i> 1 m1 … 10 m10", command: func(i int) []string {
			return ten("ZADD", "z:"+n(i), func(j int) []string { return []string{n(j), "m" + n(j)} })
		}},
	}
}

// memInfo is a server's memory as INFO memory reports it, in bytes: used_memory (for
// kvrpcd the Go heap in use, for redis-server what its allocator gave out) and
// used_memory_rss.
type memInfo struct{ used, rss int64 }

// memMeasure is one data set loaded into one fresh server: its memory empty and loaded.
type memMeasure struct{ base, loaded memInfo }

// perKey returns the memory the load added, in bytes per key.
func (m memMeasure) perKey(keys int) (used, rss float64) {
	return float64(m.loaded.used-m.base.used) / float64(keys), float64(m.loaded.rss-m.base.rss) / float64(keys)
}

// memoryReport is the outcome of the memory report.
type memoryReport struct {
	sets     []dataset
	results  [][]memMeasure // [data set][server], servers as memoryServers
	quick    bool
	redisVer string
}

// runMemory loads every data set into a fresh server of each of memoryServers in turn,
// one server at a time, and reads INFO memory before and after the load.
func runMemory(ctx context.Context, bin, dir string, pin pinning, quick bool) (memoryReport, error) {
	rep := memoryReport{sets: datasets(quick), quick: quick}
	for _, ds := range rep.sets {
		var row []memMeasure
		for _, name := range memoryServers {
			start := time.Now()
			m, version, err := measureMemory(ctx, name, bin, dir, pin, ds)
			if err != nil {
				return rep, fmt.Errorf("memory, %s on %s: %w", ds.name, name, err)
			}
			if name == redisName {
				rep.redisVer = version
			}
			used, rss := m.perKey(ds.keys)
			logf("memory %-12s %-8s %7.1f B/key used, %7.1f B/key RSS (%s)", ds.name, name, used, rss, time.Since(start).Round(time.Millisecond))
			row = append(row, m)
		}
		rep.results = append(rep.results, row)
	}
	return rep, nil
}

// measureMemory starts a fresh server, loads ds into it, reads its memory before and after
// and stops it. It returns the server's redis_version too.
func measureMemory(ctx context.Context, name, bin, dir string, pin pinning, ds dataset) (memMeasure, string, error) {
	s, err := startNamed(ctx, name, bin, dir, pin)
	if s != nil {
		defer stopServers([]*server{s})
	}
	if err != nil {
		return memMeasure{}, "", err
	}
	var m memMeasure
	if m.base, err = readMemory(ctx, s); err != nil {
		return m, "", err
	}
	if err := load(ctx, s.addr(), ds.keys, ds.command); err != nil {
		if !s.alive() {
			return m, "", fmt.Errorf("server exited while loading (log: %s)", s.logTail())
		}
		return m, "", fmt.Errorf("loading: %w", err)
	}
	size, err := s.call("DBSIZE")
	if err != nil {
		return m, "", err
	}
	if size != strconv.Itoa(ds.keys) {
		return m, "", fmt.Errorf("DBSIZE %s after loading %d keys", size, ds.keys)
	}
	if m.loaded, err = readMemory(ctx, s); err != nil {
		return m, "", err
	}
	return m, s.version, nil
}

// readMemory waits infoSettle and returns the server's INFO memory.
func readMemory(ctx context.Context, s *server) (memInfo, error) {
	select {
	case <-ctx.Done():
		return memInfo{}, ctx.Err()
	case <-time.After(infoSettle):
	}
	info, err := s.call("INFO", "memory")
	if err != nil {
		return memInfo{}, err
	}
	return parseMemInfo(info)
}

// parseMemInfo returns used_memory and used_memory_rss from INFO memory text.
func parseMemInfo(info string) (memInfo, error) {
	var m memInfo
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"used_memory", &m.used}, {"used_memory_rss", &m.rss}} {
		v, err := strconv.ParseInt(infoField(info, f.name), 10, 64)
		if err != nil {
			return m, fmt.Errorf("INFO memory: %s: %w", f.name, err)
		}
		*f.dst = v
	}
	return m, nil
}

var memoryHeader = []string{"data set", "keys", "each key", "kvrpcd heap B/key", "redis used_memory B/key",
	"heap ÷ redis", "kvrpcd RSS B/key", "redis RSS B/key", "RSS ÷ redis"}

// tableRows returns the memory table as text cells, one row per data set.
func (r memoryReport) tableRows() [][]string {
	var rows [][]string
	for i, ds := range r.sets {
		kUsed, kRSS := r.results[i][0].perKey(ds.keys)
		rUsed, rRSS := r.results[i][1].perKey(ds.keys)
		rows = append(rows, []string{ds.name, strconv.Itoa(ds.keys), ds.shape,
			num("%.1f", kUsed), num("%.1f", rUsed), num("%.2f", kUsed/rUsed),
			num("%.1f", kRSS), num("%.1f", rRSS), num("%.2f", kRSS/rRSS)})
	}
	return rows
}

// baselineLine describes the empty servers' memory, the median over the data sets' fresh
// servers, which the table subtracts.
func (r memoryReport) baselineLine() string {
	var kUsed, kRSS, rUsed, rRSS []float64
	for _, row := range r.results {
		kUsed, kRSS = append(kUsed, float64(row[0].base.used)), append(kRSS, float64(row[0].base.rss))
		rUsed, rRSS = append(rUsed, float64(row[1].base.used)), append(rRSS, float64(row[1].base.rss))
	}
	mib := func(xs []float64) string { return num("%.1f MiB", median(xs)/(1<<20)) }
	return fmt.Sprintf("empty server (subtracted): kvrpcd heap %s, RSS %s; redis used_memory %s, RSS %s",
		mib(kUsed), mib(kRSS), mib(rUsed), mib(rRSS))
}

// print writes the memory table as aligned text.
func (r memoryReport) print(w io.Writer) error {
	fmt.Fprintln(w, "memory, bytes per key (kvrpcd --loop reactor and redis-server, one fresh server per data set)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(memoryHeader, "\t")+"\t")
	for _, row := range r.tableRows() {
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, r.baselineLine())
	return err
}

// memoryHeading starts the memory section of results.md.
const memoryHeading = "## Memory"

// markdown returns the memory section of results.md, from its heading on. When the
// section is measured apart from the rest of the page, m names the run that measured it.
func (r memoryReport) markdown(m *machine) []byte {
	var b bytes.Buffer
	b.WriteString(memoryHeading + "\n\n")
	if m != nil {
		fmt.Fprintf(&b, "Measured by `%s` on %s.\n\n", m.command, m.when())
	}
	fmt.Fprintf(&b, "Bytes per key after loading each data set into a fresh server (kvrpcd with `--loop reactor`, "+
		"then redis-server %s, one at a time, each with one core as in the throughput runs) over pipelines of %d commands, minus the "+
		"empty server's memory; the key count is checked with DBSIZE. kvrpcd's heap is INFO memory "+
		"`used_memory`, the Go heap in use (HeapAlloc), which also holds garbage the collector has not "+
		"reclaimed yet; redis-server's is its `used_memory`. RSS is `used_memory_rss` of each.",
		r.redisVer, loadBatch)
	if r.quick {
		b.WriteString(" A quick run loads a tenth of the keys.")
	}
	b.WriteString("\n\n")
	b.WriteString("| " + strings.Join(memoryHeader, " | ") + " |\n")
	b.WriteString("|---|---:|---|" + strings.Repeat("---:|", len(memoryHeader)-3) + "\n")
	for _, row := range r.tableRows() {
		row[2] = "`" + row[2] + "`"
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	b.WriteString("\n" + r.baselineLine() + ".\n")
	return b.Bytes()
}

// replaceSection returns page with its section that starts with the line heading (up to
// the next "## " heading or the end) replaced by section, which ends in a newline; the
// section is appended when page has none.
func replaceSection(page []byte, heading string, section []byte) []byte {
	start := -1
	if bytes.HasPrefix(page, []byte(heading+"\n")) {
		start = 0
	} else if i := bytes.Index(page, []byte("\n"+heading+"\n")); i >= 0 {
		start = i + 1
	}
	var out bytes.Buffer
	if start < 0 {
		out.Write(bytes.TrimRight(page, "\n"))
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		out.Write(section)
		return out.Bytes()
	}
	end := len(page)
	if i := bytes.Index(page[start+len(heading):], []byte("\n## ")); i >= 0 {
		end = start + len(heading) + i + 1
	}
	out.Write(page[:start])
	out.Write(section)
	if end < len(page) {
		out.WriteString("\n")
		out.Write(page[end:])
	}
	return out.Bytes()
}
