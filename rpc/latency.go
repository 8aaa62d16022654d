package rpc

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Latency: per-command latency histograms (latency-tracking, INFO latencystats, LATENCY
// HISTOGRAM) and the latency monitor (latency-monitor-threshold, LATENCY LATEST / HISTORY /
// GRAPH / DOCTOR / RESET).
//
// A histogram has the layout of the HdrHistogram Redis uses (values 1 ns to 1 s, two
// significant digits), so percentiles and bucket bounds read as Redis's do. A command's
// histogram is allocated at its first call; recording is one atomic add, batched per read
// batch with the other command statistics (statBatch).

// Histogram layout: values below 256 ns have a bucket each; above, each power of two is
// split into 128 buckets.
const (
	histSubBits  = 7 // log2 of the buckets per power of two
	histSubHalf  = 1 << histSubBits
	histMaxValue = int64(time.Second) // Redis's LATENCY_HISTOGRAM_MAX_VALUE
	histBuckets  = 3072               // covers histMaxValue
)

// latencyHist counts a command's calls by duration.
type latencyHist struct {
	counts [histBuckets]atomic.Int64
}

// latencyBucket returns the histogram bucket of a duration, clamped to [1 ns, 1 s].
func latencyBucket(d time.Duration) int {
	v := min(max(int64(d), 1), histMaxValue)
	shift := max(bits.Len64(uint64(v))-histSubBits-1, 0)
	return shift<<histSubBits + int(v>>shift)
}

// bucketLow and bucketHigh are the smallest and largest values of bucket i.
func bucketLow(i int) int64 {
	shift := max(i>>histSubBits-1, 0)
	return int64(i-shift<<histSubBits) << shift
}

func bucketHigh(i int) int64 {
	shift := max(i>>histSubBits-1, 0)
	return bucketLow(i) + 1<<shift - 1
}

// record adds n calls to bucket b of command st's histogram, allocating it at the first call.
func (st *cmdStats) record(b int, n int64) {
	h := st.hist.Load()
	if h == nil {
		h = new(latencyHist)
		if !st.hist.CompareAndSwap(nil, h) {
			h = st.hist.Load()
		}
	}
	h.counts[b].Add(n)
}

// snapshot copies the counts and returns their total.
func (h *latencyHist) snapshot() (counts []int64, total int64) {
	counts = make([]int64, histBuckets)
	for i := range counts {
		counts[i] = h.counts[i].Load()
		total += counts[i]
	}
	return counts, total
}

// percentile returns the value at percentile p (0 to 100) in ns, as hdr_value_at_percentile:
// the highest value of the bucket that reaches the requested count, the lowest for p 0.
func percentile(counts []int64, total int64, p float64) int64 {
	want := max(int64(min(p, 100)/100*float64(total)+0.5), 1)
	var sum int64
	for i, n := range counts {
		sum += n
		if sum >= want {
			if p == 0 {
				return bucketLow(i)
			}
			return bucketHigh(i)
		}
	}
	return 0
}

// cdf returns Redis's LATENCY HISTOGRAM points: for each power of two from 1024 ns, the
// bucket's highest value in µs and the calls up to it, keeping only points where the count
// grew.
func cdf(counts []int64, total int64) (usec, calls []int64) {
	var sum, prev int64
	next := 0
	for level := int64(1024); sum < total; level *= 2 {
		b := histBuckets - 1
		if level <= histMaxValue {
			b = latencyBucket(time.Duration(level))
		}
		for ; next <= b; next++ {
			sum += counts[next]
		}
		if sum > prev {
			// level is the first value of a bucket 1/128 of it wide.
			usec = append(usec, (level+level>>histSubBits-1)/1000)
			calls = append(calls, sum)
		}
		prev = sum
	}
	return usec, calls
}

// infoLatencyStats writes INFO latencystats: the configured percentiles of every command
// with a histogram, in µs, while latency-tracking is on.
func infoLatencyStats(s *Server, b *infoBuilder) {
	if !s.latencyTracking.Load() {
		return
	}
	pcts := s.cfg.LatencyPercentiles()
	for _, cmd := range s.cmds {
		h := s.stats[cmd.id].hist.Load()
		if h == nil {
			continue
		}
		counts, total := h.snapshot()
		b.buf = append(append(b.buf, "latency_percentiles_usec_"...), cmd.Name...)
		b.buf = append(b.buf, ':')
		for i, p := range pcts {
			if i > 0 {
				b.buf = append(b.buf, ',')
			}
			b.buf = append(b.buf, 'p')
			b.buf = append(b.buf, formatPercentile(p)...)
			b.buf = fmt.Appendf(b.buf, "=%.3f", float64(percentile(counts, total, p))/1000)
		}
		b.buf = append(b.buf, '\r', '\n')
	}
}

// formatPercentile prints a percentile as Redis does: "%f" with trailing zeros trimmed.
func formatPercentile(p float64) string {
	s := strconv.FormatFloat(p, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// The latency monitor keeps, per event, the worst latency of each second in which the
// event reached latency-monitor-threshold milliseconds, for the last 160 such seconds.

const latencySamples = 160 // Redis's LATENCY_TS_LEN

// latencySample is the worst latency of an event in one second.
type latencySample struct {
	unix int64
	ms   int64
}

// latencySeries is one event's recent samples, a ring, and its all-time maximum.
type latencySeries struct {
	samples [latencySamples]latencySample
	idx     int
	max     int64
}

// latencyMonitor holds the latency monitor's events in the order they first occurred.
type latencyMonitor struct {
	threshold atomic.Int64 // latency-monitor-threshold in ns; math.MaxInt64 when off

	mu     sync.Mutex
	names  []string
	events map[string]*latencySeries
}

// setThreshold applies latency-monitor-threshold (milliseconds, 0 off).
func (m *latencyMonitor) setThreshold(ms int64) {
	switch {
	case ms <= 0:
		m.threshold.Store(math.MaxInt64)
	case ms > math.MaxInt64/int64(time.Millisecond):
		m.threshold.Store(math.MaxInt64 - 1)
	default:
		m.threshold.Store(ms * int64(time.Millisecond))
	}
}

// add records a latency of ms milliseconds for event now, as Redis's latencyAddSample.
func (m *latencyMonitor) add(event string, ms int64, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := m.events[event]
	if ts == nil {
		if m.events == nil {
			m.events = make(map[string]*latencySeries)
		}
		ts = new(latencySeries)
		m.events[event] = ts
		m.names = append(m.names, event)
	}
	ts.max = max(ts.max, ms)
	unix := now.Unix()
	prev := &ts.samples[(ts.idx+latencySamples-1)%latencySamples]
	if prev.unix == unix {
		prev.ms = max(prev.ms, ms)
		return
	}
	ts.samples[ts.idx] = latencySample{unix: unix, ms: ms}
	ts.idx = (ts.idx + 1) % latencySamples
}

// ordered returns an event's samples, oldest first; the caller holds mu.
func (ts *latencySeries) ordered() []latencySample {
	var out []latencySample
	for j := range latencySamples {
		if s := ts.samples[(ts.idx+j)%latencySamples]; s.unix != 0 {
			out = append(out, s)
		}
	}
	return out
}

// slowCommand is called for a command that ran for at least the lower of the slow log's and
// the latency monitor's thresholds. out is the length of the output before the command, so
// that a blocked command's retry counts only when it was served.
func (c *Client) slowCommand(cmd *Command, args [][]byte, d time.Duration, out int) {
	if c.blockedOn != nil && !(c.retrying && len(c.w.Buf) > out) {
		return // Redis accounts a blocked command when it is served
	}
	s := c.srv
	if int64(d) >= s.slowlog.threshold.Load() && cmd.Flags&SkipSlowlog == 0 {
		s.slowlog.add(c, cmd, args, d, s.cfg.Int("slowlog-max-len"))
	}
	if int64(d) >= s.latency.threshold.Load() { // whole milliseconds, so the truncated d passes too
		event := "command"
		if cmd.Flags&Fast != 0 {
			event = "fast-command"
		}
		s.latency.add(event, int64(d/time.Millisecond), time.Now())
	}
}

// latencyCommands declares LATENCY.
func latencyCommands() []*Command {
	flags := Admin | NoScript | Loading | Stale
	special := []string{"nondeterministic_output", "request_policy:all_nodes", "response_policy:special"}
	eventArg := []Arg{{Name: "event", Type: ArgString}}
	return []*Command{
		{Name: "latency", Arity: -2, Group: GroupServer,
			Doc: Doc{Summary: "A container for latency diagnostics commands", Since: "2.8.13", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "latency|doctor", Arity: 2, Flags: flags, Group: GroupServer, Tips: special, Run: latencyDoctor,
					Doc: Doc{Summary: "Return a human readable latency analysis report.", Since: "2.8.13", Complexity: "O(1)"}},
				{Name: "latency|graph", Arity: 3, Flags: flags, Group: GroupServer, Tips: special, Run: latencyGraph,
					Doc: Doc{Summary: "Return a latency graph for the event.", Since: "2.8.13", Complexity: "O(1)", Args: eventArg}},
				{Name: "latency|help", Arity: 2, Flags: Loading | Stale, Group: GroupServer, Run: latencyHelp,
					Doc: Doc{Summary: "Show helpful text about the different subcommands.", Since: "2.8.13", Complexity: "O(1)"}},
				{Name: "latency|histogram", Arity: -2, Flags: flags, Group: GroupServer, Tips: special, Run: latencyHistogram,
					Doc: Doc{Summary: "Return the cumulative distribution of latencies of a subset of commands or all.", Since: "7.0.0",
						Complexity: "O(N) where N is the number of commands with latency information being retrieved.",
						Args:       []Arg{{Name: "command", Type: ArgString, Optional: true, Multiple: true}}}},
				{Name: "latency|history", Arity: 3, Flags: flags, Group: GroupServer, Tips: special, Run: latencyHistory,
					Doc: Doc{Summary: "Return timestamp-latency samples for the event.", Since: "2.8.13", Complexity: "O(1)", Args: eventArg}},
				{Name: "latency|latest", Arity: 2, Flags: flags, Group: GroupServer, Tips: special, Run: latencyLatest,
					Doc: Doc{Summary: "Return the latest latency samples for all events.", Since: "2.8.13", Complexity: "O(1)"}},
				{Name: "latency|reset", Arity: -2, Flags: flags, Group: GroupServer,
					Tips: []string{"request_policy:all_nodes", "response_policy:all_succeeded"}, Run: latencyReset,
					Doc: Doc{Summary: "Reset latency data for one or more events.", Since: "2.8.13", Complexity: "O(1)",
						Args: []Arg{{Name: "event", Type: ArgString, Optional: true, Multiple: true}}}},
			}},
	}
}

// latencyLatest answers LATENCY LATEST: per event its name, the time and latency of its
// latest sample and its all-time maximum.
func latencyLatest(c *Client, _ [][]byte) {
	m := &c.srv.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	c.w.Array(len(m.names))
	for _, name := range m.names {
		ts := m.events[name]
		last := ts.samples[(ts.idx+latencySamples-1)%latencySamples]
		c.w.Array(4)
		c.w.BulkString(name)
		c.w.Int(last.unix)
		c.w.Int(last.ms)
		c.w.Int(ts.max)
	}
}

// latencyHistory answers LATENCY HISTORY event: its samples as (time, latency) pairs.
func latencyHistory(c *Client, args [][]byte) {
	m := &c.srv.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := m.events[string(args[2])]
	if ts == nil {
		c.w.Array(0)
		return
	}
	samples := ts.ordered()
	c.w.Array(len(samples))
	for _, s := range samples {
		c.w.Array(2)
		c.w.Int(s.unix)
		c.w.Int(s.ms)
	}
}

// latencyReset answers LATENCY RESET [event ...]: the number of events dropped.
func latencyReset(c *Client, args [][]byte) {
	m := &c.srv.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	if len(args) == 2 {
		n = len(m.names)
		m.names, m.events = nil, nil
	} else {
		for _, a := range args[2:] {
			if m.events[string(a)] != nil {
				delete(m.events, string(a))
				m.names = slices.DeleteFunc(m.names, func(name string) bool { return name == string(a) })
				n++
			}
		}
	}
	c.w.Int(int64(n))
}

// latencyGraph answers LATENCY GRAPH event with Redis's ASCII sparkline.
func latencyGraph(c *Client, args [][]byte) {
	m := &c.srv.latency
	m.mu.Lock()
	ts := m.events[string(args[2])]
	var samples []latencySample
	var allTime int64
	if ts != nil {
		samples, allTime = ts.ordered(), ts.max
	}
	m.mu.Unlock()
	if ts == nil {
		c.errorf("ERR No samples available for event '%s'", args[2])
		return
	}
	c.w.Verbatim("txt", renderGraph(string(args[2]), samples, allTime, time.Now().Unix()))
}

// renderGraph draws an event's samples as Redis's latencyCommandGenSparkeline: a title, a
// rule and a filled sparkline four rows high, 80 samples per block, each sample labelled
// with how long ago it happened, written vertically.
func renderGraph(event string, samples []latencySample, allTime, now int64) string {
	var lo, hi int64
	labels := make([]string, len(samples))
	for i, s := range samples {
		if i == 0 {
			lo, hi = s.ms, s.ms
		}
		lo, hi = min(lo, s.ms), max(hi, s.ms)
		switch elapsed := now - s.unix; {
		case elapsed < 60:
			labels[i] = strconv.FormatInt(elapsed, 10) + "s"
		case elapsed < 3600:
			labels[i] = strconv.FormatInt(elapsed/60, 10) + "m"
		case elapsed < 86400:
			labels[i] = strconv.FormatInt(elapsed/3600, 10) + "h"
		default:
			labels[i] = strconv.FormatInt(elapsed/86400, 10) + "d"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s - high %d ms, low %d ms (all time high %d ms)\n", event, hi, lo, allTime)
	b.WriteString(strings.Repeat("-", 80) + "\n")
	const cols, rows = 80, 4
	for j := 0; j < len(samples); j += cols {
		if j != 0 {
			b.WriteByte('\n')
		}
		end := min(j+cols, len(samples))
		renderSparkRange(&b, samples[j:end], labels[j:end], lo, hi, rows)
	}
	return b.String()
}

// renderSparkRange draws one block of a sparkline as Redis's sparklineRenderRange with
// SPARKLINE_FILL.
func renderSparkRange(b *strings.Builder, samples []latencySample, labels []string, lo, hi int64, rows int) {
	const charset = "_o#"
	relmax := float64(hi - lo)
	if relmax == 0 {
		relmax = 1
	}
	steps := len(charset) * rows
	chars := make([]byte, len(samples))
	for row := 0; ; row++ {
		more := false
		for j := range chars {
			chars[j] = ' '
		}
		for j, s := range samples {
			step := int(float64(int(float64(s.ms-lo)*float64(steps))) / relmax)
			step = min(max(step, 0), steps-1)
			if row < rows {
				more = true
				idx := step - (rows-row-1)*len(charset)
				switch {
				case idx >= 0 && idx < len(charset):
					chars[j] = charset[idx]
				case idx >= len(charset):
					chars[j] = '|'
				}
				continue
			}
			if row-rows < 1 { // a blank line between the graph and the labels
				more = true
				break
			}
			if pos := row - rows - 1; pos < len(labels[j]) {
				chars[j] = labels[j][pos]
				more = true
			}
		}
		if !more {
			return
		}
		b.Write(chars)
		b.WriteByte('\n')
	}
}

// latencyDoctor answers LATENCY DOCTOR with a report in the spirit of Redis's: each event's
// spikes, then advice for the kinds of events seen.
func latencyDoctor(c *Client, _ [][]byte) {
	s := c.srv
	if s.cfg.Int("latency-monitor-threshold") == 0 {
		c.w.Verbatim("txt", "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "+
			"You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "+
			"If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n")
		return
	}
	m := &s.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.names) == 0 {
		c.w.Verbatim("txt", "Dave, no latency spike was observed during the lifetime of this Redis instance, "+
			"not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n")
		return
	}
	var b strings.Builder
	b.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
	now := time.Now().Unix()
	slowCommands, fastCommands := false, false
	for i, name := range m.names {
		ts := m.events[name]
		samples := ts.ordered()
		var sum, oldest int64
		for _, s := range samples {
			sum += s.ms
			if oldest == 0 || s.unix < oldest {
				oldest = s.unix
			}
		}
		n := int64(len(samples))
		avg := sum / max(n, 1)
		var dev int64
		for _, s := range samples {
			dev += max(avg-s.ms, s.ms-avg)
		}
		period := max(now-oldest, 1)
		fmt.Fprintf(&b, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.\n",
			i+1, name, n, avg, dev/max(n, 1), float64(period)/float64(max(n, 1)), ts.max)
		switch name {
		case "command":
			slowCommands = true
		case "fast-command":
			fastCommands = true
		}
	}
	b.WriteString("\nI have a few advices for you:\n\n")
	if slowCommands {
		b.WriteString("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. " +
			"Please check https://redis.io/commands/slowlog for more information.\n")
		b.WriteString("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. " +
			"If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n")
	}
	if fastCommands {
		b.WriteString("- The system is slow to execute Redis code paths not containing system calls. " +
			"This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
			"  1) Lower the system load.\n" +
			"  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
			"  3) Check if you have a \"noisy neighbour\" problem.\n" +
			"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n")
	}
	if !slowCommands && !fastCommands {
		b.WriteString("- Check the latency of the system and the load of the host: these events do not come from commands.\n")
	}
	c.w.Verbatim("txt", b.String())
}

// latencyHistogram answers LATENCY HISTOGRAM [command ...]: per command with a histogram,
// its calls and the cumulative distribution of its latencies; a container stands for its
// subcommands too.
func latencyHistogram(c *Client, args [][]byte) {
	s := c.srv
	var cmds []*Command
	if len(args) == 2 {
		for _, cmd := range s.cmds {
			if s.stats[cmd.id].hist.Load() != nil {
				cmds = append(cmds, cmd)
			}
		}
	} else {
		for _, a := range args[2:] {
			cmd := s.commandByFullName(string(a))
			if cmd == nil {
				continue
			}
			if s.stats[cmd.id].hist.Load() != nil {
				cmds = append(cmds, cmd)
			}
			for _, sub := range cmd.Subcommands {
				if s.stats[sub.id].hist.Load() != nil {
					cmds = append(cmds, sub)
				}
			}
		}
	}
	c.w.Map(len(cmds))
	for _, cmd := range cmds {
		counts, total := s.stats[cmd.id].hist.Load().snapshot()
		usec, calls := cdf(counts, total)
		c.w.BulkString(cmd.Name)
		c.w.Map(2)
		c.w.BulkString("calls")
		c.w.Int(total)
		c.w.BulkString("histogram_usec")
		c.w.Map(len(usec))
		for i := range usec {
			c.w.Int(usec[i])
			c.w.Int(calls[i])
		}
	}
}

// commandByFullName finds a command or, for "container|sub", a subcommand, ignoring case.
func (s *Server) commandByFullName(name string) *Command {
	name = strings.ToLower(name)
	top, sub, hasSub := strings.Cut(name, "|")
	cmd := s.table[top]
	if cmd == nil || !hasSub {
		return cmd
	}
	return cmd.subs[sub]
}

var latencyHelpLines = []string{
	"LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"DOCTOR",
	"    Return a human readable latency analysis report.",
	"GRAPH <event>",
	"    Return an ASCII latency graph for the <event> class.",
	"HISTORY <event>",
	"    Return time-latency samples for the <event> class.",
	"LATEST",
	"    Return the latest latency samples for all events.",
	"RESET [<event> ...]",
	"    Reset latency data of one or more <event> classes.",
	"    (default: reset all data for all event classes)",
	"HISTOGRAM [COMMAND ...]",
	"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
	"    If no commands are specified then all histograms are replied.",
	"HELP",
	"    Prints this help.",
}

func latencyHelp(c *Client, _ [][]byte) { writeHelp(c, latencyHelpLines) }

// applyDiagnostics copies the slow log's and the latency monitor's parameters into the
// atomics the hot path reads.
func (s *Server) applyDiagnostics() {
	s.slowlog.setThreshold(s.cfg.Int("slowlog-log-slower-than"))
	s.latency.setThreshold(s.cfg.Int("latency-monitor-threshold"))
	s.slowNanos.Store(min(s.slowlog.threshold.Load(), s.latency.threshold.Load()))
	s.latencyTracking.Store(s.cfg.Bool("latency-tracking"))
}
