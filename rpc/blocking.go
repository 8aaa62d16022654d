package rpc

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Blocking commands (BLPOP, BLMOVE, BZPOPMIN, ...) wait for data without holding up a loop.
// A handler that finds nothing to serve calls [Client.block]: the client records the command
// and the keys it waits on, joins each key's queue of waiters, and stops executing further
// input. A write to a watched key wakes the first waiter of that key's queue through its
// loop ([Conn.Wake]); on its own goroutine the loop calls [Client.Resume], which runs the
// blocked command again with the locks of its keys. If it is served, it leaves the queues
// and wakes the next waiter of its keys, so waiters are served first blocked, first served;
// if not (another client took the data first), it keeps its place. A timeout wakes the
// client the same way and gets the command's timeout reply.

// blockState is what a blocked client waits for.
type blockState struct {
	cmd      *Command
	args     [][]byte // copies: the input buffer moves on
	db       int
	keys     []string
	deadline time.Time // zero: no timeout
	timer    *time.Timer
}

// waitKey names a key in a database.
type waitKey struct {
	db  int
	key string
}

// waiters are the queues of blocked clients per key.
type waiters struct {
	mu      sync.Mutex
	byKey   map[waitKey][]*Client
	blocked int // clients blocked, for INFO; guarded by mu
}

// Blocked reports whether the client waits in a blocking command or for a CLIENT PAUSE to
// end. Loops keep its unread input until it is served.
func (c *Client) Blocked() bool { return c.blockedOn != nil || c.postponed != nil }

// parseTimeout parses a blocking command's timeout in seconds, as Redis's
// getTimeoutFromObjectOrReply does: a float, truncated to whole milliseconds (so a timeout
// under 1 ms means none at all), and a value out of the int64 range of milliseconds counts as
// negative, as the C conversion makes it. It replies and returns ok false on an error.
func parseTimeout(c *Client, arg []byte) (d time.Duration, ok bool) {
	if len(arg) == 0 || arg[0] == ' ' || arg[len(arg)-1] == ' ' {
		c.Error(msgTimeoutNotFloat)
		return 0, false
	}
	f, err := strconv.ParseFloat(string(arg), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(f) {
		c.Error(msgTimeoutNotFloat)
		return 0, false
	}
	ms := math.Trunc(f * 1000)
	if ms < 0 || ms >= math.MaxInt64 || math.IsInf(ms, 0) {
		c.Error(msgTimeoutNegative)
		return 0, false
	}
	if ms > float64(math.MaxInt64/time.Millisecond) {
		ms = float64(math.MaxInt64 / time.Millisecond)
	}
	return time.Duration(ms) * time.Millisecond, true
}

// block suspends the client on keys until one of them is written or timeout (0: forever)
// passes. While the command is being retried ([Client.Resume]) it does nothing: the client
// keeps its place in the queues. Inside MULTI, a blocking command does not block: it
// replies as if it timed out, as in Redis.
func (c *Client) block(keys [][]byte, timeout time.Duration, timeoutReply func(c *Client)) {
	if c.retrying {
		return
	}
	b := &blockState{cmd: c.cur, db: c.db}
	for _, a := range c.curArgs {
		b.args = append(b.args, append([]byte(nil), a...))
	}
	for _, k := range keys {
		if !slices.Contains(b.keys, string(k)) {
			b.keys = append(b.keys, string(k))
		}
	}
	c.timeoutReply = timeoutReply
	s := c.srv
	s.waiting.mu.Lock()
	if s.waiting.byKey == nil {
		s.waiting.byKey = make(map[waitKey][]*Client)
	}
	for _, k := range b.keys {
		wk := waitKey{b.db, k}
		s.waiting.byKey[wk] = append(s.waiting.byKey[wk], c)
	}
	s.waiting.blocked++
	s.nblocked.Add(1)
	s.waiting.mu.Unlock()
	c.blockedOn = b
	c.isBlocked.Store(true)
	c.argvMem.Store(argsBytes(b.args))
	if timeout > 0 {
		b.deadline = time.Now().Add(timeout)
		b.timer = time.AfterFunc(timeout, c.wake)
	}
}

// requestUnblock asks a blocked client to stop waiting (CLIENT UNBLOCK), with its timeout
// reply or with an error; its own goroutine does it in Resume. It reports whether the
// client was blocked.
func (c *Client) requestUnblock(withError bool) bool {
	if !c.isBlocked.Load() {
		return false
	}
	req := unblockTimeout
	if withError {
		req = unblockError
	}
	c.unblockReq.Store(req)
	c.wake()
	return true
}

// Values of Client.unblockReq.
const (
	unblockNone int32 = iota
	unblockTimeout
	unblockError
)

// wake asks the client's loop to call Resume; safe from any goroutine.
func (c *Client) wake() { c.conn.Wake() }

// unblock takes the client out of every queue it waits in.
func (c *Client) unblock() {
	b := c.blockedOn
	if b == nil {
		return
	}
	c.blockedOn = nil
	c.isBlocked.Store(false)
	c.argvMem.Store(0)
	c.unblockReq.Store(unblockNone)
	if b.timer != nil {
		b.timer.Stop()
	}
	s := c.srv
	s.waiting.mu.Lock()
	for _, k := range b.keys {
		wk := waitKey{b.db, k}
		q := s.waiting.byKey[wk]
		if i := slices.Index(q, c); i >= 0 {
			q = slices.Delete(q, i, i+1)
		}
		if len(q) == 0 {
			delete(s.waiting.byKey, wk)
		} else {
			s.waiting.byKey[wk] = q
		}
	}
	s.waiting.blocked--
	s.nblocked.Add(-1)
	s.waiting.mu.Unlock()
}

// Resume moves out-of-band output (pub/sub messages) into the output, and retries the
// command a blocked client waits in, or answers its timeout. Loops call it on the client's
// goroutine after [Conn.Wake], then write the output and go on with the input they kept.
func (c *Client) Resume() {
	defer c.flushStats()
	c.drainPushes()
	if c.postponed != nil {
		c.resumePostponed()
		return
	}
	b := c.blockedOn
	if b == nil {
		return
	}
	if c.reply != 0 {
		defer c.quietBlocked(len(c.w.Buf))
	}
	switch c.unblockReq.Load() {
	case unblockTimeout:
		c.unblock()
		c.timeoutReply(c)
		return
	case unblockError:
		c.unblock()
		c.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
		return
	}
	if !b.deadline.IsZero() && !time.Now().Before(b.deadline) {
		c.unblock()
		c.timeoutReply(c)
		return
	}
	before := len(c.w.Buf)
	c.retrying = true // a blocked client runs no other command, so c.db is still b.db
	c.call(b.cmd, b.args)
	c.retrying = false
	if len(c.w.Buf) == before {
		return // nothing to serve yet: keep the place in the queues
	}
	c.unblock()
	c.srv.signalWrite(c, b.cmd, b.args) // the next waiters of its keys, BLMOVE's destination too
}

// wakeFirst wakes the first client waiting on key, if any and if it is not self.
func (s *Server) wakeFirst(self *Client, db int, key string) {
	s.waiting.mu.Lock()
	var first *Client
	if q := s.waiting.byKey[waitKey{db, key}]; len(q) > 0 {
		first = q[0]
	}
	s.waiting.mu.Unlock()
	if first != nil && first != self {
		first.wake()
	}
}

// signalWrite wakes the waiters of the keys a write command touched. Commands that reach
// keys the key specs do not name in the client's database (FLUSHALL, SWAPDB, MOVE, COPY
// with DB) wake the first waiter of every key.
//
// A command that blocked, or a retry that found nothing, wrote nothing and wakes nobody.
func (s *Server) signalWrite(c *Client, cmd *Command, args [][]byte) {
	if c.blockedOn != nil {
		return
	}
	if reachesUnnamedKeys(cmd) {
		s.waiting.mu.Lock()
		var first []*Client
		for _, q := range s.waiting.byKey {
			if q[0] != c {
				first = append(first, q[0])
			}
		}
		s.waiting.mu.Unlock()
		for _, w := range first {
			w.wake()
		}
		return
	}
	for _, p := range c.keys {
		s.wakeFirst(c, c.db, string(args[p]))
	}
}

// reachesUnnamedKeys reports whether a write command may change keys its key specs do not
// name in the client's database: keyspace-wide commands (FLUSHDB, FLUSHALL, SWAPDB) and
// those that take a database argument (MOVE, COPY ... DB). Their writes wake every waiter.
func reachesUnnamedKeys(cmd *Command) bool {
	return cmd.Flags&AllKeys != 0 || cmd.Name == "move" || cmd.Name == "copy"
}

// BlockedClients returns the number of clients waiting in blocking commands.
func (s *Server) BlockedClients() int64 { return s.nblocked.Load() }
