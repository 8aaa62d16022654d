package rpc

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
	"github.com/kvrpcd/kvrpcd/store"
)

// Conn is a loop's connection as the command layer sees it. Its methods may be called from
// any goroutine.
type Conn interface {
	// RemoteAddr and LocalAddr return "ip:port".
	RemoteAddr() string
	LocalAddr() string
	// Close asks the loop to close the connection once it can (CLIENT KILL); it must not
	// block and must not call back into the Client.
	Close() error
	// Wake asks the loop to call [Client.Resume] on the client's goroutine soon, then to
	// write its output and go on with the input it kept (a blocked command may be served).
	// It must not block; several wakes may be served by one Resume.
	Wake()
}

// OutputQueue is implemented by a Conn whose loop keeps output that the socket has not taken
// yet; CLIENT LIST counts it in omem. QueuedOutput may be called from any goroutine.
type OutputQueue interface {
	QueuedOutput() int64
}

// flushThreshold is the output size at which Process returns early so that the loop writes
// before it executes more of a long pipeline.
const flushThreshold = 64 << 10

// Client is the state of one connection: selected database, protocol, name, authentication
// and the reply buffer. A loop drives it from one goroutine at a time:
//
//	c := srv.Connect(conn)
//	for each read: n := c.Process(input); write c.Output(); c.ResetOutput(); keep input[n:]
//	... until c.Closing() (after writing the output); then c.Release()
type Client struct {
	srv  *Server
	conn Conn
	w    resp.Writer

	id       uint64
	db       int
	name     string
	libName  string
	libVer   string
	authed   bool
	noEvict  bool
	noTouch  bool
	created  time.Time
	lastCmd  atomic.Pointer[Command] // for CLIENT LIST, read by other connections
	shownDB  atomic.Int32            // db as CLIENT LIST shows it to other connections
	lastUsed atomic.Int64            // unix ms of the last command (CLIENT LIST idle)

	closing atomic.Bool // close after the pending output is written
	killed  atomic.Bool // closed by CLIENT KILL: drop the output

	// Blocking commands (blocking.go).
	blockedOn    *blockState     // the command the client waits in, nil when not blocked
	retrying     bool            // Resume is running the blocked command again
	timeoutReply func(c *Client) // the blocked command's reply on timeout
	isBlocked    atomic.Bool     // blockedOn != nil, for other goroutines (CLIENT UNBLOCK)
	unblockReq   atomic.Int32    // CLIENT UNBLOCK's request, served by Resume

	// Transactions (multi.go).
	multi        bool        // queueing commands for EXEC
	multiAborted bool        // a command failed to queue: EXEC answers EXECABORT
	execing      bool        // EXEC is running the queue
	queued       []queued    // the commands queued
	watching     []watched   // the keys WATCHed
	watchDirty   atomic.Bool // a watched key was written; set by other clients

	stats         statBatch    // command statistics not yet added to the server's counters
	pushes        pushBuffer   // out-of-band output from other goroutines (push.go)
	subscriptions atomic.Int32 // channels and patterns subscribed to (pubsub.go)
	monitoring    atomic.Bool  // in MONITOR mode (monitor.go)

	// CLIENT PAUSE (pause.go).
	postponed     [][]byte    // the command waiting for a pause to end, nil if none
	isPostponed   atomic.Bool // postponed != nil, for CLIENT LIST
	pauseReleased atomic.Bool // the pause that stopped postponed has ended or eased

	reply replyMode // CLIENT REPLY OFF / SKIP state; zero: replies are sent

	// CLIENT LIST's view of the transaction and of a waiting command, for other connections.
	multiShown bool         // multi as last published to shownMulti
	shownMulti atomic.Int32 // -1, or the number of commands queued
	multiMem   atomic.Int64 // bytes the queued commands keep (multi-mem)
	argvMem    atomic.Int64 // bytes of the arguments a waiting command keeps (argv-mem)

	tracking clientTracking // client-side caching (tracking.go)

	cur     *Command // the command being executed
	curArgs [][]byte // and its arguments

	args   [][]byte // parsed arguments, reused
	keys   []int    // key positions of the current command, reused
	shards []int    // locked shards of the current command, reused
	failed bool     // the current command replied with an error
	limits resp.Limits
}

// Connect registers a new connection and returns its client. If the server refuses it
// (maxclients, protected mode), the client has an error reply in its output and is Closing.
func (s *Server) Connect(conn Conn) *Client {
	c := &Client{srv: s, conn: conn, created: time.Now(), w: resp.Writer{Proto: 2}}
	c.id = s.nextClientID.Add(1)
	c.lastUsed.Store(c.created.UnixMilli())
	c.shownMulti.Store(-1)
	c.authed = !s.passwordSet.Load()
	c.limits = resp.DefaultLimits
	s.counts.connections.Add(1)
	if n := s.numClients.Add(1); n > s.cfg.Int("maxclients") {
		s.counts.rejectedConns.Add(1)
		c.w.Error(msgMaxClients)
		c.closing.Store(true)
		return c
	}
	if s.cfg.Bool("protected-mode") && !s.passwordSet.Load() && !isLoopback(conn.RemoteAddr()) {
		s.counts.rejectedConns.Add(1)
		c.w.Error(msgProtectedMode)
		c.closing.Store(true)
		return c
	}
	s.mu.Lock()
	s.clients[c.id] = c
	s.mu.Unlock()
	return c
}

// Release unregisters the client once its connection is closed.
func (c *Client) Release() {
	c.flushStats()
	c.unblock()
	c.unsubscribeAll()
	c.discardMulti()
	c.stopMonitor()
	c.leavePause()
	c.disableTracking()
	c.srv.mu.Lock()
	delete(c.srv.clients, c.id)
	c.srv.mu.Unlock()
	c.srv.numClients.Add(-1)
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Output returns the replies written since the last ResetOutput.
func (c *Client) Output() []byte {
	if c.killed.Load() {
		return nil
	}
	return c.w.Buf
}

// ResetOutput empties the output after the loop has written it, keeping its memory unless a
// reply made it unusually large.
func (c *Client) ResetOutput() {
	c.srv.counts.netOutput.Add(int64(len(c.w.Buf)))
	if cap(c.w.Buf) > 4*flushThreshold {
		c.w.Buf = nil
		return
	}
	c.w.Buf = c.w.Buf[:0]
}

// Closing reports whether the connection must be closed once Output has been written.
func (c *Client) Closing() bool { return c.closing.Load() }

// ID returns the client's unique id (CLIENT ID).
func (c *Client) ID() uint64 { return c.id }

// DB returns the client's selected database.
func (c *Client) DB() int { return c.db }

// Writer returns the writer for the current command's reply. Handlers write exactly one
// reply per call; the writer encodes for the client's protocol version.
func (c *Client) Writer() *resp.Writer { return &c.w }

// Server returns the server the client belongs to.
func (c *Client) Server() *Server { return c.srv }

// Error writes an error reply; msg carries its own prefix ("ERR ...", "WRONGTYPE ...").
// Handlers use it rather than the writer's Error so that error statistics are kept.
func (c *Client) Error(msg string) {
	c.failed = true
	c.srv.countError(msg)
	c.w.Error(msg)
}

func (c *Client) errorf(format string, args ...any) { c.Error(fmt.Sprintf(format, args...)) }

// storeErr writes the reply for a store error.
func (c *Client) storeErr(err error) { c.Error(errorReply(err)) }

// IdleTimeout returns the configured idle timeout ("timeout"), 0 for none.
func (s *Server) IdleTimeout() time.Duration {
	return time.Duration(s.cfg.Int("timeout")) * time.Second
}

// Process executes the complete commands at the start of in, appending their replies to the
// output, and returns how many bytes it consumed. It returns early when the output has grown
// past a flush threshold or the connection is closing; the loop writes the output and calls
// again with the rest. A protocol error gets Redis's error reply and marks the client Closing.
func (c *Client) Process(in []byte) int {
	consumed := 0
	for consumed < len(in) && !c.closing.Load() && c.blockedOn == nil && c.postponed == nil && len(c.w.Buf) < flushThreshold {
		c.limits.Unauthenticated = !c.authed && c.srv.passwordSet.Load()
		c.limits.MaxBulkLen = c.srv.maxBulkLen.Load()
		args, n, err := resp.ParseCommand(in[consumed:], c.args[:0], &c.limits)
		c.args = args
		if err != nil {
			var pe *resp.ProtocolError
			if errors.As(err, &pe) {
				c.Error("ERR " + pe.Error())
			} else {
				c.Error("ERR " + err.Error())
			}
			c.closing.Store(true)
			break
		}
		if n == 0 {
			break
		}
		consumed += n
		if len(args) > 0 {
			c.dispatch(args)
		}
	}
	c.srv.counts.netInput.Add(int64(consumed))
	if c.tracking.bcastQueued {
		c.trackingBatchDone()
	}
	c.flushStats()
	return consumed
}

// Exec executes one command already split into arguments, for loop models that parse the
// protocol themselves (redcon). args alias the caller's buffer for the call only.
func (c *Client) Exec(args [][]byte) {
	if len(args) > 0 && !c.closing.Load() {
		c.dispatch(args)
		if c.tracking.bcastQueued {
			c.trackingBatchDone()
		}
		c.flushStats()
	}
}

// dispatch executes one command, keeping its reply from the client under CLIENT REPLY OFF
// or SKIP.
func (c *Client) dispatch(args [][]byte) {
	if c.reply == 0 {
		c.exec(args)
		return
	}
	c.execQuiet(args)
}

// replyMode is a client's CLIENT REPLY state, as Redis's CLIENT_REPLY_* flags.
type replyMode uint8

const (
	replyOff      replyMode = 1 << iota // no replies until CLIENT REPLY ON
	replySkip                           // the reply of the command running is dropped
	replySkipNext                       // the next command's reply is dropped
)

// execQuiet executes a command under CLIENT REPLY OFF or SKIP and drops its reply. A command
// that waits (blocked, paused) keeps its SKIP for the reply it gives when it is served, as
// in Redis. Out-of-band pushes are delivered regardless.
func (c *Client) execQuiet(args [][]byte) {
	if c.reply&replySkipNext != 0 {
		c.reply = c.reply&^replySkipNext | replySkip
	}
	before := len(c.w.Buf)
	c.exec(args)
	if c.reply&(replyOff|replySkip) != 0 {
		c.w.Buf = c.w.Buf[:before]
	}
	switch {
	case c.postponed != nil:
		if c.reply&replySkip != 0 { // not run yet: the skip is for when it runs
			c.reply = c.reply&^replySkip | replySkipNext
		}
	case c.blockedOn == nil:
		c.reply &^= replySkip
	}
}

// quietBlocked drops what Resume wrote for a blocked command (from before on) under CLIENT
// REPLY OFF or SKIP; a SKIP ends with the command.
func (c *Client) quietBlocked(before int) {
	if c.reply&(replyOff|replySkip) != 0 {
		c.w.Buf = c.w.Buf[:before]
	}
	if c.blockedOn == nil {
		c.reply &^= replySkip
	}
}

// exec looks a command up, checks it and runs it.
func (c *Client) exec(args [][]byte) {
	s := c.srv
	cmd, container := s.lookup(args)
	if c.tracking.hook {
		c.trackingCommand(cmd)
	}
	if cmd == nil {
		c.abortMulti()
		if container != nil {
			c.Error("ERR unknown subcommand '" + sanitize(truncate(args[1], 128)) + "'. Try " + strings.ToUpper(container.Name) + " HELP.")
		} else {
			c.Error(unknownCommand(args))
		}
		return
	}
	if cmd.Arity > 0 && len(args) != cmd.Arity || cmd.Arity < 0 && len(args) < -cmd.Arity {
		c.abortMulti()
		s.stats[cmd.id].rejected.Add(1)
		c.errorf("ERR wrong number of arguments for '%s' command", cmd.Name)
		return
	}
	if !c.authed && cmd.Flags&NoAuth == 0 && s.passwordSet.Load() {
		c.abortMulti()
		s.stats[cmd.id].rejected.Add(1)
		c.Error(msgNoAuth)
		return
	}
	if c.monitoring.Load() && c.monitorRefuses(cmd) {
		return
	}
	if c.subscribedGate(cmd, args) {
		return
	}
	if s.pause.kind.Load() != pauseOff && c.pauseGate(cmd, args) {
		return
	}
	if c.queues(cmd) {
		if cmd.Flags&NoMulti != 0 {
			c.abortMulti()
			s.stats[cmd.id].rejected.Add(1)
			c.Error("ERR Command not allowed inside a transaction")
			return
		}
		c.queue(cmd, args)
		c.showQueued(args)
		return
	}
	c.call(cmd, args)
}

// call runs cmd with its keys' shards locked.
func (c *Client) call(cmd *Command, args [][]byte) {
	s := c.srv
	all := cmd.Flags&AllKeys != 0
	c.shards = c.shards[:0]
	c.keys = c.keys[:0]
	if all {
		s.store.LockAll()
	} else if len(cmd.Keys) > 0 {
		c.keys, _ = cmd.keyPositions(args, c.keys)
		for _, p := range c.keys {
			c.shards = append(c.shards, store.ShardOf(args[p]))
		}
		if len(c.shards) > 1 {
			slices.Sort(c.shards)
			c.shards = slices.Compact(c.shards)
		}
		s.store.Lock(c.shards)
	}
	c.invoke(cmd, args)
	if all {
		s.store.UnlockAll()
	} else if len(c.shards) > 0 {
		s.store.Unlock(c.shards)
	}
}

// invoke runs cmd, whose shards the caller has locked and whose key positions are in c.keys,
// tells blocked clients about a write, and keeps the statistics. (Watchers are marked by the
// handlers' signalModified.)
func (c *Client) invoke(cmd *Command, args [][]byte) {
	s := c.srv
	start := time.Now()
	out := len(c.w.Buf)
	c.failed = false
	c.cur, c.curArgs = cmd, args
	cmd.Run(c, args)
	c.cur, c.curArgs = nil, nil
	if cmd.Flags&Write != 0 && !c.failed {
		if s.nblocked.Load() > 0 {
			s.signalWrite(c, cmd, args)
		}
	}
	if c.tracking.hook {
		c.trackingAfter(cmd, args, out)
	}
	d := time.Since(start)
	bucket := -1
	if s.latencyTracking.Load() {
		bucket = latencyBucket(d)
	}
	if !c.stats.add(cmd.id, bucket, d, c.failed) {
		c.flushStats()
		c.stats.add(cmd.id, bucket, d, c.failed)
	}
	if int64(d) >= s.slowNanos.Load() {
		c.slowCommand(cmd, args, d, out)
	}
	if s.nmonitors.Load() > 0 && !c.retrying && cmd.Flags&(Admin|SkipMonitor) == 0 {
		s.feedMonitors(c, cmd, args)
	}
	if c.lastCmd.Load() != cmd {
		c.lastCmd.Store(cmd)
	}
	if int32(c.db) != c.shownDB.Load() {
		c.shownDB.Store(int32(c.db))
	}
	if c.multi != c.multiShown {
		c.showMulti()
	}
	c.lastUsed.Store(start.UnixMilli())
}

// unknownCommand formats Redis's reply to an unknown command.
func unknownCommand(args [][]byte) string {
	var b []byte
	for _, a := range args[1:] {
		if len(b) >= 128 {
			break
		}
		n := 128 - len(b)
		b = append(b, '\'')
		b = append(b, truncate(cString(a), n)...)
		b = append(b, "' "...)
	}
	return "ERR unknown command '" + sanitize(truncate(args[0], 128)) + "', with args beginning with: " + sanitize(b)
}

// truncate returns at most n bytes of b, as printf's "%.*s" does in C.
func truncate(b []byte, n int) []byte { return b[:min(len(b), n)] }

// sanitize prepares an argument for an error reply as Redis's printf does: the text ends at
// a NUL byte, and CR and LF become spaces so that the reply stays one line.
func sanitize(b []byte) string {
	out := []byte(string(cString(b)))
	for i, ch := range out {
		if ch == '\r' || ch == '\n' {
			out[i] = ' '
		}
	}
	return string(out)
}

// countError keeps INFO's error counters, keyed by the reply's first word.
func (s *Server) countError(msg string) {
	s.counts.errorReplies.Add(1)
	prefix, _, _ := strings.Cut(msg, " ")
	s.counts.mu.Lock()
	s.counts.errors[prefix]++
	s.counts.mu.Unlock()
}

// Kill asks the loop to close the client's connection (CLIENT KILL).
func (c *Client) kill() {
	c.killed.Store(true)
	c.closing.Store(true)
	_ = c.conn.Close()
}

// statBatch gathers the statistics of a batch of commands, so that a pipeline of the same
// command updates the server's shared counters once per read batch rather than per command.
type statBatch struct {
	n       int
	entries [4]statEntry
	partial time.Duration // sub-microsecond remainders, so that fast commands still add up
}

// statEntry counts the calls of one command in a batch whose durations fall in one latency
// histogram bucket.
type statEntry struct {
	id, bucket          int // bucket -1: latency-tracking is off
	calls, usec, failed int64
}

// add counts one call of command id, in latency bucket (-1 for none); it reports false,
// counting nothing, when the batch is full and must be flushed first.
func (b *statBatch) add(id, bucket int, d time.Duration, failed bool) bool {
	if b.n == 0 || b.entries[b.n-1].id != id || b.entries[b.n-1].bucket != bucket {
		if b.n == len(b.entries) {
			return false
		}
		b.entries[b.n] = statEntry{id: id, bucket: bucket}
		b.n++
	}
	e := &b.entries[b.n-1]
	e.calls++
	d += b.partial
	e.usec += int64(d / time.Microsecond)
	b.partial = d % time.Microsecond
	if failed {
		e.failed++
	}
	return true
}

// flushStats adds the batched statistics to the server's counters.
func (c *Client) flushStats() {
	b := &c.stats
	var calls int64
	for i := range b.n {
		e := &b.entries[i]
		st := &c.srv.stats[e.id]
		st.calls.Add(e.calls)
		st.usec.Add(e.usec)
		if e.bucket >= 0 {
			st.record(e.bucket, e.calls)
		}
		if e.failed > 0 {
			st.failed.Add(e.failed)
		}
		calls += e.calls
	}
	if calls > 0 {
		c.srv.counts.commands.Add(calls)
	}
	b.n = 0
}
