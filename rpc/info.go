package rpc

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// INFO: Redis 7.0's sections and field names, so that monitoring tools and client
// libraries find what they parse. Fields kvrpcd has no counterpart for are left out, and
// counters it does not keep (replication, persistence, forks) show Redis's idle values.

// infoSection is one INFO section: its name, as a client asks for it, and its writer.
type infoSection struct {
	name    string // lower case, as requested ("commandstats")
	title   string // as printed ("Commandstats")
	dflt    bool   // part of INFO without arguments and of "default"
	write   func(s *Server, b *infoBuilder)
	aliases []string
}

// infoSections are in the order Redis prints them, whatever the order asked.
var infoSections = []infoSection{
	{name: "server", title: "Server", dflt: true, write: infoServer},
	{name: "clients", title: "Clients", dflt: true, write: infoClients},
	{name: "memory", title: "Memory", dflt: true, write: infoMemory},
	{name: "persistence", title: "Persistence", dflt: true, write: infoPersistence},
	{name: "stats", title: "Stats", dflt: true, write: infoStats},
	{name: "replication", title: "Replication", dflt: true, write: infoReplication},
	{name: "cpu", title: "CPU", dflt: true, write: infoCPU},
	{name: "modules", title: "Modules", dflt: true, write: func(*Server, *infoBuilder) {}, aliases: []string{"module_list"}},
	{name: "commandstats", title: "Commandstats", write: infoCommandStats},
	{name: "errorstats", title: "Errorstats", dflt: true, write: infoErrorStats},
	{name: "latencystats", title: "Latencystats", write: infoLatencyStats},
	{name: "cluster", title: "Cluster", dflt: true, write: infoCluster},
	{name: "keyspace", title: "Keyspace", dflt: true, write: infoKeyspace},
	{name: "loops", title: "Loops", dflt: true, write: infoLoops},
}

// infoBuilder accumulates the text of INFO: "field:value" lines ending in CRLF.
type infoBuilder struct{ buf []byte }

func (b *infoBuilder) str(field, value string) {
	b.buf = append(append(append(append(b.buf, field...), ':'), value...), '\r', '\n')
}

func (b *infoBuilder) int(field string, v int64) {
	b.buf = append(append(b.buf, field...), ':')
	b.buf = append(strconv.AppendInt(b.buf, v, 10), '\r', '\n')
}

func (b *infoBuilder) printf(field, format string, args ...any) {
	b.buf = append(append(b.buf, field...), ':')
	b.buf = append(fmt.Appendf(b.buf, format, args...), '\r', '\n')
}

// infoCommand answers INFO [section ...]: no section means the default ones; "all" means
// every section, "everything" too (kvrpcd has no module sections), "default" the default
// ones; unknown sections are ignored, as in Redis.
func infoCommand(c *Client, args [][]byte) {
	want := make(map[string]bool)
	all := false
	if len(args) == 1 {
		want["default"] = true
	}
	for _, a := range args[1:] {
		name := strings.ToLower(string(a))
		if name == "all" || name == "everything" {
			all = true
		}
		want[name] = true
	}
	var b infoBuilder
	for _, sec := range infoSections {
		if !all && !want[sec.name] && !(sec.dflt && want["default"]) && !slices.ContainsFunc(sec.aliases, func(a string) bool { return want[a] }) {
			continue
		}
		if sec.name == "loops" && c.srv.LoopStats() == nil {
			continue // a model without event loops
		}
		if len(b.buf) > 0 {
			b.buf = append(b.buf, '\r', '\n')
		}
		b.buf = append(append(append(b.buf, "# "...), sec.title...), '\r', '\n')
		sec.write(c.srv, &b)
	}
	c.w.Verbatim("txt", string(b.buf))
}

func infoServer(s *Server, b *infoBuilder) {
	now := time.Now()
	uptime := int64(now.Sub(s.start) / time.Second)
	mode := "standalone"
	if s.cfg.Bool("cluster-enabled") {
		mode = "cluster"
	}
	exe, _ := os.Executable()
	b.str("redis_version", redisVersion)
	b.str("redis_git_sha1", "00000000")
	b.str("redis_git_dirty", "0")
	b.str("redis_build_id", "0")
	b.str("redis_mode", mode)
	b.str("os", runtime.GOOS+" "+runtime.GOARCH)
	b.int("arch_bits", strconv.IntSize)
	b.int("process_id", int64(os.Getpid()))
	b.str("process_supervised", "no")
	b.str("run_id", s.runID)
	b.int("tcp_port", s.cfg.Int("port"))
	b.int("server_time_usec", now.UnixMicro())
	b.int("uptime_in_seconds", uptime)
	b.int("uptime_in_days", uptime/86400)
	b.int("hz", s.cfg.Int("hz"))
	b.int("configured_hz", s.cfg.Int("hz"))
	b.int("lru_clock", now.Unix()&(1<<24-1))
	b.str("executable", exe)
	b.str("config_file", s.cfg.ConfigFile())
	b.str("io_threads_active", "0")
	b.str("kvrpcd_version", Version)
	b.str("go_version", runtime.Version())
	b.str("loop_model", s.loop)
	if loops := s.LoopStats(); loops != nil {
		conns := make([]string, len(loops))
		for i, l := range loops {
			conns[i] = strconv.FormatInt(l.Connections, 10)
		}
		b.int("loops", int64(len(loops)))
		b.str("loop_connections", strings.Join(conns, ","))
	}
}

func infoClients(s *Server, b *infoBuilder) {
	s.mu.Lock()
	n := len(s.clients)
	s.mu.Unlock()
	b.int("connected_clients", int64(n))
	b.str("cluster_connections", "0")
	b.int("maxclients", s.cfg.Int("maxclients"))
	b.str("client_recent_max_input_buffer", "0")
	b.str("client_recent_max_output_buffer", "0")
	b.int("blocked_clients", s.BlockedClients()+s.pausedClients())
	b.int("tracking_clients", s.ntracking.Load())
	b.str("clients_in_timeout_table", "0")
}

// peakMemory is the highest heap size INFO has seen; memory is the process's, so the peak is
// too.
var peakMemory atomic.Uint64

// humanBytes formats n as Redis's bytesToHuman: "512B", "1.50K", "2.00M", ...
func humanBytes(n uint64) string {
	if n < 1024 {
		return strconv.FormatUint(n, 10) + "B"
	}
	f := float64(n)
	for _, unit := range []string{"K", "M", "G", "T", "P"} {
		f /= 1024
		if f < 1024 || unit == "P" {
			return strconv.FormatFloat(f, 'f', 2, 64) + unit
		}
	}
	return "" // not reached
}

func infoMemory(s *Server, b *infoBuilder) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	used := ms.HeapAlloc
	peak := peakMemory.Load()
	for used > peak && !peakMemory.CompareAndSwap(peak, used) {
		peak = peakMemory.Load()
	}
	peak = max(peak, used)
	rss := processRSS()
	total := totalMemory()
	maxmem := uint64(max(s.cfg.Int("maxmemory"), 0))
	b.int("used_memory", int64(used))
	b.str("used_memory_human", humanBytes(used))
	b.int("used_memory_rss", int64(rss))
	b.str("used_memory_rss_human", humanBytes(rss))
	b.int("used_memory_peak", int64(peak))
	b.str("used_memory_peak_human", humanBytes(peak))
	b.printf("used_memory_peak_perc", "%.2f%%", float64(used)*100/float64(max(peak, 1)))
	b.int("total_system_memory", int64(total))
	b.str("total_system_memory_human", humanBytes(total))
	b.str("number_of_cached_scripts", "0")
	b.str("number_of_functions", "0")
	b.str("number_of_libraries", "0")
	b.int("maxmemory", int64(maxmem))
	b.str("maxmemory_human", humanBytes(maxmem))
	b.str("maxmemory_policy", s.cfg.String("maxmemory-policy"))
	b.printf("mem_fragmentation_ratio", "%.2f", float64(rss)/float64(max(used, 1)))
	b.str("mem_allocator", "go-"+runtime.Version())
	b.str("lazyfree_pending_objects", "0")
	b.str("lazyfreed_objects", "0")
}

func infoPersistence(s *Server, b *infoBuilder) {
	b.str("loading", "0")
	b.str("async_loading", "0")
	b.str("rdb_changes_since_last_save", "0")
	b.str("rdb_bgsave_in_progress", "0")
	b.int("rdb_last_save_time", s.start.Unix())
	b.str("rdb_last_bgsave_status", "ok")
	b.str("rdb_last_bgsave_time_sec", "-1")
	b.str("rdb_current_bgsave_time_sec", "-1")
	b.str("rdb_saves", "0")
	b.str("aof_enabled", "0")
	b.str("aof_rewrite_in_progress", "0")
	b.str("aof_rewrite_scheduled", "0")
	b.str("aof_last_rewrite_time_sec", "-1")
	b.str("aof_current_rewrite_time_sec", "-1")
	b.str("aof_last_bgrewrite_status", "ok")
	b.str("aof_rewrites", "0")
	b.str("aof_last_write_status", "ok")
}

func infoStats(s *Server, b *infoBuilder) {
	st := s.store.Stats()
	b.int("total_connections_received", s.counts.connections.Load())
	b.int("total_commands_processed", s.counts.commands.Load())
	b.str("instantaneous_ops_per_sec", "0")
	b.int("total_net_input_bytes", s.counts.netInput.Load())
	b.int("total_net_output_bytes", s.counts.netOutput.Load())
	b.str("instantaneous_input_kbps", "0.00")
	b.str("instantaneous_output_kbps", "0.00")
	b.int("rejected_connections", s.counts.rejectedConns.Load())
	b.str("sync_full", "0")
	b.str("sync_partial_ok", "0")
	b.str("sync_partial_err", "0")
	b.int("expired_keys", st.ExpiredKeys)
	b.printf("expired_stale_perc", "%.2f", st.ExpiredStalePerc)
	b.int("expired_time_cap_reached_count", st.ExpiredTimeCapReached)
	b.str("evicted_keys", "0")
	b.str("evicted_clients", "0")
	channels, patterns, shards := s.pubsubCounts()
	b.int("pubsub_channels", int64(channels))
	b.int("pubsub_patterns", int64(patterns))
	b.int("pubsubshard_channels", int64(shards))
	b.str("latest_fork_usec", "0")
	b.str("total_forks", "0")
	keys, items, prefixes := s.trackingCounts()
	b.int("tracking_total_keys", keys)
	b.int("tracking_total_items", items)
	b.int("tracking_total_prefixes", prefixes)
	b.str("unexpected_error_replies", "0")
	b.int("total_error_replies", s.counts.errorReplies.Load())
}

func infoReplication(s *Server, b *infoBuilder) {
	b.str("role", "master")
	b.str("connected_slaves", "0")
	b.str("master_failover_state", "no-failover")
	b.str("master_replid", s.runID)
	b.str("master_replid2", strings.Repeat("0", 40))
	b.str("master_repl_offset", "0")
	b.str("second_repl_offset", "-1")
	b.str("repl_backlog_active", "0")
	b.int("repl_backlog_size", s.cfg.Int("repl-backlog-size"))
	b.str("repl_backlog_first_byte_offset", "0")
	b.str("repl_backlog_histlen", "0")
}

func infoCPU(_ *Server, b *infoBuilder) {
	sys, user, sysChildren, userChildren := cpuTimes()
	seconds := func(d time.Duration) string {
		return fmt.Sprintf("%d.%06d", d/time.Second, d%time.Second/time.Microsecond)
	}
	b.str("used_cpu_sys", seconds(sys))
	b.str("used_cpu_user", seconds(user))
	b.str("used_cpu_sys_children", seconds(sysChildren))
	b.str("used_cpu_user_children", seconds(userChildren))
}

// infoCommandStats lists every command called, failed or rejected since the start or the
// last CONFIG RESETSTAT; subcommands are named "container|sub".
func infoCommandStats(s *Server, b *infoBuilder) {
	for _, cmd := range s.cmds {
		st := &s.stats[cmd.id]
		calls, usec, rejected, failed := st.calls.Load(), st.usec.Load(), st.rejected.Load(), st.failed.Load()
		if calls == 0 && rejected == 0 && failed == 0 {
			continue
		}
		perCall := 0.0
		if calls > 0 {
			perCall = float64(usec) / float64(calls)
		}
		b.printf("cmdstat_"+cmd.Name, "calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d",
			calls, usec, perCall, rejected, failed)
	}
}

// infoErrorStats lists the error replies by their first word, sorted as Redis's rax.
func infoErrorStats(s *Server, b *infoBuilder) {
	s.counts.mu.Lock()
	prefixes := make([]string, 0, len(s.counts.errors))
	for p := range s.counts.errors {
		prefixes = append(prefixes, p)
	}
	slices.Sort(prefixes)
	for _, p := range prefixes {
		b.printf("errorstat_"+p, "count=%d", s.counts.errors[p])
	}
	s.counts.mu.Unlock()
}

func infoCluster(s *Server, b *infoBuilder) {
	if s.cfg.Bool("cluster-enabled") {
		b.str("cluster_enabled", "1")
	} else {
		b.str("cluster_enabled", "0")
	}
}

// infoKeyspace lists the databases that hold keys.
func infoKeyspace(s *Server, b *infoBuilder) {
	for db, st := range s.store.Stats().DB {
		if st.Keys == 0 {
			continue
		}
		b.printf("db"+strconv.Itoa(db), "keys=%d,expires=%d,avg_ttl=%d", st.Keys, st.Expires, st.AvgTTL)
	}
}

// infoLoops describes the event loops of a loop model that has them, kvrpcd's own section:
// "loop0:connections=2,iterations=10,iteration_max_us=40,iteration_busy_us=300,queued=0".
func infoLoops(s *Server, b *infoBuilder) {
	for i, l := range s.LoopStats() {
		b.printf("loop"+strconv.Itoa(i), "connections=%d,iterations=%d,iteration_max_us=%d,iteration_busy_us=%d,queued=%d",
			l.Connections, l.Iterations, l.IterationMaxUs, l.IterationBusyUs, l.Queued)
	}
}
