package rpc

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// Version is kvrpcd's version, reported by INFO and HELLO.
var Version = "0.1.0"

// redisVersion is the Redis version kvrpcd is compatible with; clients read it from HELLO and
// INFO to decide which commands they may send.
const redisVersion = "7.0.15"

// Options configure a Server.
type Options struct {
	// Config is the parameter registry; nil means config.New().
	Config *config.Registry
	// Store is the keyspace; nil means a new store with Config's "databases".
	Store *store.Store
	// Logger receives the server's log; nil means slog.Default().
	Logger *slog.Logger
	// Commands are an application's own commands, served beside Redis's.
	Commands []*Command
	// LoopModel names the network model for INFO ("net", "reactor", ...).
	LoopModel string
}

// Server is the command layer shared by every connection of every loop model: the command
// table, the keyspace, configuration, connected clients and statistics. It is safe for
// concurrent use by many connections.
type Server struct {
	cfg   *config.Registry
	store *store.Store
	log   *slog.Logger
	loop  string

	table map[string]*Command // top-level commands by lower-case name
	cmds  []*Command          // every command and subcommand, by id
	stats []cmdStats          // runtime counters, by command id

	mu      sync.Mutex
	clients map[uint64]*Client

	nextClientID atomic.Uint64
	numClients   atomic.Int64

	waiting  waiters      // clients in blocking commands, by key
	nblocked atomic.Int64 // how many; read on the hot path

	watch     watchers     // clients watching keys (WATCH), by key
	nwatching atomic.Int64 // watched keys over all clients; read on the hot path

	pubsub pubsubRegistry // subscriptions to channels, patterns and shard channels

	pause pauseState // CLIENT PAUSE (pause.go)

	notifyFlags atomic.Int64 // notify-keyspace-events as config.NotifyXxx flags
	ntracking   atomic.Int64 // clients with CLIENT TRACKING on; read on the hot path

	tracking trackingTable // keys read by tracking clients, BCAST prefixes (tracking.go)

	monitors        monitorRegistry // clients in MONITOR mode (monitor.go)
	nmonitors       atomic.Int64    // how many; read on the hot path
	slowlog         slowlog         // SLOWLOG (slowlog.go)
	latency         latencyMonitor  // LATENCY events (latency.go)
	slowNanos       atomic.Int64    // the lower of the slow log's and latency monitor's thresholds; read on the hot path
	latencyTracking atomic.Bool     // latency-tracking: keep per-command latency histograms

	// Hot-path copies of parameters, kept current by config hooks.
	passwordSet atomic.Bool  // requirepass is set
	maxBulkLen  atomic.Int64 // proto-max-bulk-len
	outputHard  atomic.Int64 // client-output-buffer-limit normal hard limit, 0 for none
	outputSoft  atomic.Int64 // client-output-buffer-limit normal soft limit, 0 for none

	loopStats atomic.Pointer[func() []LoopStats]

	start       time.Time
	startupHeap uint64 // heap in use once the server was set up (MEMORY STATS startup.allocated)
	runID       string
	counts      serverStats
}

// cmdStats are the runtime counters of one command (INFO commandstats).
type cmdStats struct {
	calls, usec, rejected, failed atomic.Int64
	hist                          atomic.Pointer[latencyHist] // nil until the first call with latency-tracking on
}

// serverStats are INFO stats counters.
type serverStats struct {
	connections, commands, rejectedConns, errorReplies atomic.Int64
	netInput, netOutput                                atomic.Int64
	mu                                                 sync.Mutex
	errors                                             map[string]int64 // by error prefix (INFO errorstats)
}

// NewServer validates the command table (Redis's commands plus opts.Commands) and returns a
// server ready to take connections.
func NewServer(opts Options) (*Server, error) {
	s := &Server{
		cfg:     opts.Config,
		store:   opts.Store,
		log:     opts.Logger,
		loop:    opts.LoopModel,
		table:   make(map[string]*Command),
		clients: make(map[uint64]*Client),
		start:   time.Now(),
	}
	if s.cfg == nil {
		s.cfg = config.New()
	}
	if s.store == nil {
		s.store = store.New(int(s.cfg.Int("databases")))
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var id [20]byte
	_, _ = rand.Read(id[:])
	s.runID = hex.EncodeToString(id[:])
	s.counts.errors = make(map[string]int64)
	if err := s.register(builtinCommands()); err != nil {
		return nil, err
	}
	if err := s.register(opts.Commands); err != nil {
		return nil, err
	}
	s.applyConfig()
	s.applyDiagnostics()
	s.store.OnKeyEvent(s.onKeyEvent)
	s.startupHeap, _, _ = readHeap()
	s.initTracking()
	s.applyNotify()
	s.cfg.OnChange("notify-keyspace-events", func(string) error { s.applyNotify(); return nil })
	for _, name := range []string{"proto-max-bulk-len", "requirepass", "client-output-buffer-limit",
		"list-max-listpack-size", "list-compress-depth", "hash-max-listpack-entries",
		"hash-max-listpack-value", "set-max-intset-entries", "zset-max-listpack-entries",
		"zset-max-listpack-value"} {
		s.cfg.OnChange(name, func(string) error { s.applyConfig(); return nil })
	}
	for _, name := range []string{"slowlog-log-slower-than", "latency-monitor-threshold", "latency-tracking"} {
		s.cfg.OnChange(name, func(string) error { s.applyDiagnostics(); return nil })
	}
	return s, nil
}

// applyConfig copies the parameters the hot path reads into atomics.
func (s *Server) applyConfig() {
	s.passwordSet.Store(s.cfg.String("requirepass") != "")
	s.maxBulkLen.Store(s.cfg.Int("proto-max-bulk-len"))
	s.store.SetMaxStringLen(s.maxBulkLen.Load())
	normal := s.cfg.OutputBufferLimits()[config.ClassNormal]
	s.outputHard.Store(int64(min(normal.Hard, 1<<62)))
	s.outputSoft.Store(int64(min(normal.Soft, 1<<62)))
	s.pubsub.limit.Store(pubsubLimit(s.cfg))
	s.store.SetEncodingLimits(store.EncodingLimits{
		ListMaxListpackSize:    s.cfg.Int("list-max-listpack-size"),
		ListCompressDepth:      s.cfg.Int("list-compress-depth"),
		HashMaxListpackEntries: s.cfg.Int("hash-max-listpack-entries"),
		HashMaxListpackValue:   s.cfg.Int("hash-max-listpack-value"),
		SetMaxIntsetEntries:    s.cfg.Int("set-max-intset-entries"),
		ZSetMaxListpackEntries: s.cfg.Int("zset-max-listpack-entries"),
		ZSetMaxListpackValue:   s.cfg.Int("zset-max-listpack-value"),
	})
}

// OutputHardLimit returns the output size past which a loop disconnects a client
// (client-output-buffer-limit, class normal); 0 means no limit.
func (s *Server) OutputHardLimit() int64 { return s.outputHard.Load() }

// OutputSoftLimit returns the soft limit of client-output-buffer-limit (class normal), 0 for
// none. An event loop stops reading a client whose queued output is over it.
func (s *Server) OutputSoftLimit() int64 { return s.outputSoft.Load() }

// LoopStats are one event loop's figures, reported by INFO.
type LoopStats struct {
	Connections     int64
	Iterations      int64 // loop turns that served events
	IterationMaxUs  int64 // longest turn
	IterationBusyUs int64 // time spent serving events, in total
	Queued          int64 // output bytes waiting for slow clients
}

// SetLoopStats installs the function INFO calls to report the loops of an event-loop model.
func (s *Server) SetLoopStats(fn func() []LoopStats) { s.loopStats.Store(&fn) }

// LoopStats returns the loops' figures, or nil for a model without event loops.
func (s *Server) LoopStats() []LoopStats {
	if fn := s.loopStats.Load(); fn != nil {
		return (*fn)()
	}
	return nil
}

// register validates cmds and adds them to the table.
func (s *Server) register(cmds []*Command) error {
	for _, cmd := range cmds {
		if err := cmd.validate(); err != nil {
			return err
		}
		if s.table[cmd.Name] != nil {
			return fmt.Errorf("command %q declared twice", cmd.Name)
		}
		s.table[cmd.Name] = cmd
		s.addID(cmd)
	}
	return nil
}

func (s *Server) addID(cmd *Command) {
	cmd.id = len(s.cmds)
	s.cmds = append(s.cmds, cmd)
	s.stats = append(s.stats, cmdStats{})
	for _, sub := range cmd.Subcommands {
		s.addID(sub)
	}
}

// Config returns the server's parameter registry.
func (s *Server) Config() *config.Registry { return s.cfg }

// Store returns the server's keyspace.
func (s *Server) Store() *store.Store { return s.store }

// Logger returns the server's logger.
func (s *Server) Logger() *slog.Logger { return s.log }

// Commands returns every top-level command, sorted by name.
func (s *Server) Commands() []*Command {
	out := make([]*Command, 0, len(s.table))
	for _, cmd := range s.table {
		out = append(out, cmd)
	}
	slices.SortFunc(out, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// lookup finds the command for args, descending into a container's subcommands. It returns
// the container and a nil command when the subcommand is unknown.
func (s *Server) lookup(args [][]byte) (cmd, container *Command) {
	var buf [32]byte
	cmd = s.table[string(lowerInto(buf[:0], args[0]))]
	if cmd == nil || len(cmd.subs) == 0 || len(args) < 2 {
		return cmd, nil
	}
	return cmd.subs[string(lowerInto(buf[:0], args[1]))], cmd
}

// lowerInto appends the ASCII lower case of b to dst; with a stack dst of enough capacity it
// does not allocate, and a map index with string(result) does not either.
func lowerInto(dst, b []byte) []byte {
	for _, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		dst = append(dst, ch)
	}
	return dst
}

// Close stops the server's background work.
func (s *Server) Close() { s.store.Close() }

// Stats are a few server-wide counters for loops and tests.
type Stats struct {
	ConnectedClients int64
	TotalConnections int64
	TotalCommands    int64
}

// Stats returns a snapshot of the server's counters.
func (s *Server) Stats() Stats {
	return Stats{
		ConnectedClients: s.numClients.Load(),
		TotalConnections: s.counts.connections.Load(),
		TotalCommands:    s.counts.commands.Load(),
	}
}
