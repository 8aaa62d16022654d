package rpc

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kvrpcd/kvrpcd/store"
)

// memoryCommands declares MEMORY and its subcommands. kvrpcd's memory is Go's heap: the
// figures come from runtime/metrics, named as Redis names jemalloc's (see memoryStats).
func memoryCommands() []*Command {
	stats := []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"}
	return []*Command{
		{Name: "memory", Arity: -2, Group: GroupServer,
			Doc: Doc{Summary: "A container for memory diagnostics commands", Since: "4.0.0", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "memory|doctor", Arity: 2, Group: GroupServer, Tips: stats, Run: memoryDoctor,
					Doc: Doc{Summary: "Outputs memory problems report", Since: "4.0.0", Complexity: "O(1)"}},
				{Name: "memory|help", Arity: 2, Flags: Loading | Stale, Group: GroupServer, Run: memoryHelp,
					Doc: Doc{Summary: "Show helpful text about the different subcommands", Since: "4.0.0", Complexity: "O(1)"}},
				{Name: "memory|malloc-stats", Arity: 2, Group: GroupServer, Tips: stats, Run: memoryMallocStats,
					Doc: Doc{Summary: "Show allocator internal stats", Since: "4.0.0",
						Complexity: "Depends on how much memory is allocated, could be slow"}},
				{Name: "memory|purge", Arity: 2, Group: GroupServer,
					Tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"}, Run: memoryPurge,
					Doc: Doc{Summary: "Ask the allocator to release memory", Since: "4.0.0",
						Complexity: "Depends on how much memory is allocated, could be slow"}},
				{Name: "memory|stats", Arity: 2, Group: GroupServer, Tips: stats, Run: memoryStatsCommand,
					Doc: Doc{Summary: "Show memory usage details", Since: "4.0.0", Complexity: "O(1)"}},
				{Name: "memory|usage", Arity: -3, Flags: ReadOnly, Group: GroupServer,
					Keys: []KeySpec{{Flags: KeyRO, BeginIndex: 2, KeyStep: 1}}, Run: memoryUsage,
					Doc: Doc{Summary: "Estimate the memory usage of a key", Since: "4.0.0",
						Complexity: "O(N) where N is the number of samples.",
						Args: []Arg{
							{Name: "key", Type: ArgKey},
							{Name: "count", Type: ArgInteger, Token: "SAMPLES", Optional: true},
						}}},
			}},
	}
}

var memoryHelpLines = []string{
	"MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"DOCTOR",
	"    Return memory problems reports.",
	"MALLOC-STATS",
	"    Return internal statistics report from the memory allocator.",
	"PURGE",
	"    Attempt to purge dirty pages for reclamation by the allocator.",
	"STATS",
	"    Return information about the memory usage of the server.",
	"USAGE <key> [SAMPLES <count>]",
	"    Return memory in bytes used by <key> and its value. Nested values are",
	"    sampled up to <count> times (default: 5, 0 means sample all).",
	"HELP",
	"    Prints this help.",
}

func memoryHelp(c *Client, _ [][]byte) { writeHelp(c, memoryHelpLines) }

// memoryUsage: MEMORY USAGE key [SAMPLES count]. The options are checked before the key is
// looked up, as in Redis; SAMPLES 0 measures every element.
func memoryUsage(c *Client, args [][]byte) {
	samples := store.DefaultMemorySamples
	for j := 3; j < len(args); j++ {
		if !is(args[j], "samples") || j+1 >= len(args) {
			c.Error(msgSyntax)
			return
		}
		n, err := parseInt(args[j+1])
		if err != nil {
			c.Error(msgNotInteger)
			return
		}
		if n < 0 {
			c.Error(msgSyntax)
			return
		}
		samples = int(min(n, math.MaxInt32))
		if n == 0 {
			samples = 0 // every element
		}
		j++
	}
	v := c.srv.store.Peek(c.db, args[2])
	if v == nil {
		c.w.Null()
		return
	}
	c.w.Int(int64(v.MemoryUsage(samples)))
}

func memoryPurge(c *Client, _ [][]byte) {
	debug.FreeOSMemory()
	c.w.Raw(replyOK)
}

// memoryMallocStats reports the Go runtime's memory statistics, in the place of jemalloc's
// report: every runtime/metrics figure about memory and the garbage collector.
func memoryMallocStats(c *Client, _ [][]byte) {
	var descs []metrics.Description
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/") || strings.HasPrefix(d.Name, "/gc/") {
			descs = append(descs, d)
		}
	}
	samples := make([]metrics.Sample, len(descs))
	for i, d := range descs {
		samples[i].Name = d.Name
	}
	metrics.Read(samples)
	var b strings.Builder
	b.WriteString("___ Begin Go runtime memory statistics ___\n")
	b.WriteString("Version: " + runtime.Version() + "\n")
	b.WriteString("GOMAXPROCS: " + strconv.Itoa(runtime.GOMAXPROCS(0)) + "\n")
	for _, s := range samples {
		switch s.Value.Kind() {
		case metrics.KindUint64:
			b.WriteString(s.Name + ": " + strconv.FormatUint(s.Value.Uint64(), 10) + "\n")
		case metrics.KindFloat64:
			b.WriteString(s.Name + ": " + strconv.FormatFloat(s.Value.Float64(), 'f', -1, 64) + "\n")
		}
	}
	b.WriteString("--- End Go runtime memory statistics ---\n")
	c.w.Verbatim("txt", b.String())
}

// memStats are MEMORY STATS's figures (Redis's struct redisMemOverhead).
type memStats struct {
	peak, total, startup   uint64
	clientsNormal          uint64
	dbs                    []memDB
	overheadTotal          uint64
	keys                   int64
	bytesPerKey            uint64
	dataset                uint64
	datasetPerc, peakPerc  float32
	allocated, active, rss uint64 // allocator.allocated, active, resident
	processRSS             uint64
}

// memDB is one non-empty database's overhead.
type memDB struct {
	id, keys, expires int
}

// heapMetrics are the runtime/metrics the allocator figures come from.
var heapMetrics = [...]string{
	"/memory/classes/heap/objects:bytes",  // allocated: live and not yet swept objects
	"/memory/classes/heap/unused:bytes",   // in spans in use, not holding objects
	"/memory/classes/total:bytes",         // mapped by the runtime
	"/memory/classes/heap/released:bytes", // mapped but returned to the OS
}

// readHeap returns the heap figures: allocated (objects), active (spans in use) and resident
// (mapped memory not returned to the OS).
func readHeap() (allocated, active, resident uint64) {
	var s [len(heapMetrics)]metrics.Sample
	for i, name := range heapMetrics {
		s[i].Name = name
	}
	metrics.Read(s[:])
	v := func(i int) uint64 {
		if s[i].Value.Kind() == metrics.KindUint64 {
			return s[i].Value.Uint64()
		}
		return 0
	}
	allocated = v(0)
	active = allocated + v(1)
	resident = v(2) - min(v(3), v(2))
	return
}

// clientStructBytes is the memory a connection's state takes, counted for every client in
// MEMORY STATS clients.normal and CLIENT LIST tot-mem.
var clientStructBytes = uint64(unsafe.Sizeof(Client{}))

// collectMemStats gathers MEMORY STATS's figures. Redis's replication, cluster, AOF and
// script figures are 0 (kvrpcd has none of them), and so are the per-database hash table
// overheads, which the store does not report; keys.bytes-per-key and dataset.bytes then
// charge those to the data.
func (s *Server) collectMemStats() memStats {
	var m memStats
	m.allocated, m.active, m.rss = readHeap()
	m.total = m.allocated
	m.peak = peakMemory.Load()
	for m.total > m.peak && !peakMemory.CompareAndSwap(m.peak, m.total) {
		m.peak = peakMemory.Load()
	}
	m.peak = max(m.peak, m.total)
	m.startup = min(s.startupHeap, m.total)
	s.mu.Lock()
	for _, cl := range s.clients {
		m.clientsNormal += clientStructBytes + uint64(cl.multiMem.Load()+cl.argvMem.Load())
	}
	s.mu.Unlock()
	st := s.store.Stats()
	for i, db := range st.DB {
		if db.Keys > 0 {
			m.dbs = append(m.dbs, memDB{id: i, keys: db.Keys, expires: db.Expires})
			m.keys += int64(db.Keys)
		}
	}
	m.overheadTotal = m.startup + m.clientsNormal
	net := m.total - m.startup
	if m.keys > 0 {
		m.bytesPerKey = net / uint64(m.keys)
	}
	if m.total > m.overheadTotal {
		m.dataset = m.total - m.overheadTotal
	}
	m.datasetPerc = float32(float64(m.dataset) * 100 / float64(max(net, 1)))
	m.peakPerc = float32(float64(m.total) * 100 / float64(max(m.peak, 1)))
	m.processRSS = processRSS()
	return m
}

// ratio divides as Redis's float fields do, in single precision.
func ratio(a, b uint64) float64 { return float64(float32(float64(a) / float64(max(b, 1)))) }

// diff returns a-b, or 0 when b is larger, for the ".bytes" fields.
func diff(a, b uint64) int64 { return int64(a) - int64(min(a, b)) }

// memoryStatsCommand: MEMORY STATS, with Redis 7.0's fields in its order.
func memoryStatsCommand(c *Client, _ [][]byte) {
	m := c.srv.collectMemStats()
	w := &c.w
	w.Map(27 + len(m.dbs))
	field := func(name string, n int64) {
		w.BulkString(name)
		w.Int(n)
	}
	double := func(name string, f float64) {
		w.BulkString(name)
		w.Double(f)
	}
	field("peak.allocated", int64(m.peak))
	field("total.allocated", int64(m.total))
	field("startup.allocated", int64(m.startup))
	field("replication.backlog", 0)
	field("clients.slaves", 0)
	field("clients.normal", int64(m.clientsNormal))
	field("cluster.links", 0)
	field("aof.buffer", 0)
	field("lua.caches", 0)
	field("functions.caches", 0)
	for _, db := range m.dbs {
		w.BulkString("db." + strconv.Itoa(db.id))
		w.Map(3)
		field("overhead.hashtable.main", 0)
		field("overhead.hashtable.expires", 0)
		field("overhead.hashtable.slot-to-keys", 0)
	}
	field("overhead.total", int64(m.overheadTotal))
	field("keys.count", m.keys)
	field("keys.bytes-per-key", int64(m.bytesPerKey))
	field("dataset.bytes", int64(m.dataset))
	double("dataset.percentage", float64(m.datasetPerc))
	double("peak.percentage", float64(m.peakPerc))
	field("allocator.allocated", int64(m.allocated))
	field("allocator.active", int64(m.active))
	field("allocator.resident", int64(m.rss))
	double("allocator-fragmentation.ratio", ratio(m.active, m.allocated))
	field("allocator-fragmentation.bytes", diff(m.active, m.allocated))
	double("allocator-rss.ratio", ratio(m.rss, m.active))
	field("allocator-rss.bytes", diff(m.rss, m.active))
	double("rss-overhead.ratio", ratio(m.processRSS, m.rss))
	field("rss-overhead.bytes", diff(m.processRSS, m.rss))
	double("fragmentation", ratio(m.processRSS, m.total))
	field("fragmentation.bytes", diff(m.processRSS, m.total))
}

// memoryDoctor answers in the spirit of Redis's memory doctor: the same verdicts (too
// little data to judge, no issue, or a list of issues) over the Go heap's figures.
func memoryDoctor(c *Client, _ [][]byte) {
	c.w.Verbatim("txt", doctorReport(c.srv.collectMemStats(), c.srv.cfg.Int("maxmemory")))
}

// doctorReport diagnoses m as Redis's getMemoryDoctorReport does.
func doctorReport(m memStats, maxmemory int64) string {
	if m.total < 5<<20 {
		return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. " +
			"Please, leave for your mission on Earth and fill it with some data. " +
			"The new Sam and I will be back to our programming as soon as I finished rebooting."
	}
	var issues []string
	if float64(m.peak)/float64(m.total) > 1.5 {
		issues = append(issues, " * Peak memory: In the past this instance used more than 150% the memory that is currently using. "+
			"The Go runtime returns memory to the operating system gradually after a peak, so you can expect to see a big fragmentation ratio for a while; "+
			"this is harmless and is only due to the memory peak. If you want to reclaim memory at once, please try the MEMORY PURGE command.")
	}
	if float64(m.active)/float64(max(m.allocated, 1)) > 1.1 && m.active-m.allocated > 10<<20 {
		issues = append(issues, " * Allocator fragmentation: This instance has an allocator internal fragmentation greater than 1.1, "+
			"which means that heap spans in use hold a lot of free space. It is normally due to a workload that deletes many small values; "+
			"the garbage collector reuses the space as new values arrive.")
	}
	if float64(m.processRSS)/float64(max(m.total, 1)) > 1.4 && m.processRSS-m.total > 10<<20 {
		issues = append(issues, " * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 "+
			"(this means that the Resident Set Size of the process is much larger than the sum of the logical allocations it performed). "+
			"The Go garbage collector lets the heap grow to GOGC percent over the live data before it collects; "+
			"MEMORY PURGE collects and returns the free memory to the operating system.")
	}
	if maxmemory > 0 && m.total > uint64(maxmemory) {
		issues = append(issues, " * Used memory over maxmemory: The heap is larger than the configured maxmemory.")
	}
	if len(issues) == 0 {
		return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base."
	}
	return "Sam, I detected a few issues in this instance memory implants:\n\n" + strings.Join(issues, "\n\n") +
		"\n\nI'm here to keep you safe, Sam. I want to help you.\n"
}
