package rpc

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Client-side caching (CLIENT TRACKING), after Redis 7.0's tracking.c.
//
// Default mode: the keys a tracking client reads (read-only commands, the keys of their key
// specs, after the command ran, whether it failed or not) go into one server-wide table, key →
// ids of the clients that read it. The table ignores databases, as Redis's does. A
// modification of a key sends every client in its entry one invalidation and forgets the
// entry; a client that reads the key again is tracked again. OPTIN and OPTOUT make CLIENT
// CACHING decide for the next command; NOLOOP skips the client's own modifications.
//
// BCAST mode: a client registers key prefixes instead, and gets every modified key that
// matches one. Redis gathers those keys per prefix and sends them in one message per prefix
// once per event-loop iteration. kvrpcd gathers them the same way and sends them when the
// modifying client's read batch is done (the end of Process, or of Exec for loops that parse
// themselves), so a pipeline or a transaction yields one message per prefix, as in Redis;
// keys that expire, or that a blocked command served by Resume modifies, are sent by a timer
// a millisecond later.
//
// Delivery: a RESP3 client (or the client it redirects to) gets the push
// [invalidate, [keys]]; a RESP2 client that redirects to a client with subscriptions makes it
// receive a __redis__:invalidate pub/sub message; anything else is dropped, as in Redis. The
// message for a client's own modification of a key it reads follows the command's reply
// (and a transaction's: the whole EXEC reply); a message that the running command causes for
// a redirect target which is the running client itself precedes the reply, as in Redis, and
// is put before it even when the handler has started writing. Other clients get their
// messages through their push buffers. FLUSHDB and FLUSHALL send every tracking client a null
// invalidation (everything). SWAPDB sends none, as Redis 7.0 does.
//
// Concurrency: the table, the prefixes and every client's tracking mode live under
// trackingTable.mu. keyModified runs with shard locks held and from the active-expire
// goroutine; it takes trackingTable.mu and then Server.mu (to find redirect targets and read
// protocols), never a shard lock. Lock order: shard locks, trackingTable.mu, Server.mu, a
// client's push buffer. A client's own fields (caching, pending messages) are touched only on
// its goroutine. With no tracking client, a command costs one atomic load (Server.ntracking,
// in signalModified) and two plain field reads.

const (
	msgTrackRedirectTwice = "ERR A client can only redirect to a single other client"
	msgTrackNoRedirect    = "ERR The client ID you want redirect to does not exist"
	msgTrackPrefixBcast   = "ERR PREFIX option requires BCAST mode to be enabled"
	msgTrackSwitchBcast   = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."
	msgTrackBcastOpt      = "ERR OPTIN and OPTOUT are not compatible with BCAST"
	msgTrackOptBoth       = "ERR You can't specify both OPTIN mode and OPTOUT mode"
	msgTrackSwitchOpt     = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."
	msgCachingYes         = "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."
	msgCachingNo          = "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."
)

// trackFlag is a client's tracking mode.
type trackFlag uint32

const (
	trackOn trackFlag = 1 << iota
	trackBcast
	trackOptin
	trackOptout
	trackNoloop
	trackBroken // the redirect target was gone when a message was due
)

// clientTracking is a client's tracking state.
type clientTracking struct {
	flags    atomic.Uint32 // trackFlag; changed under trackingTable.mu, read anywhere (CLIENT LIST)
	redirect atomic.Int64  // the client that receives the messages, 0 for the client itself
	prefixes []string      // BCAST prefixes, sorted; guarded by trackingTable.mu

	// Touched only on the client's goroutine.
	hook        bool          // the client tracks or tracked, or has early messages: invoke calls trackingAfter
	caching     bool          // CLIENT CACHING YES or NO applies to the next command
	afterClient bool          // the previous command was a CLIENT subcommand, which keeps caching
	bcastQueued bool          // its commands modified keys that BCAST clients wait for
	early       []byte        // messages for it caused by its running command, put before the reply
	pending     []pendingKeys // invalidations of its own modifications, sent after the reply
}

// pendingKeys is an invalidation of one key, or of everything (FLUSHDB, FLUSHALL).
type pendingKeys struct {
	key string
	all bool
}

// trackingTable is the server's tracking state.
type trackingTable struct {
	mu       sync.Mutex
	keys     map[string][]uint64     // key → ids of the clients that read it
	items    int64                   // the ids in keys, over all keys
	prefixes map[string]*bcastPrefix // BCAST prefixes
	clients  map[uint64]*Client      // clients with tracking on
	timer    bool                    // a broadcast flush is scheduled

	nkeys   atomic.Int64 // len(keys), for the check after each command
	maxKeys atomic.Int64 // tracking-table-max-keys, 0 for no limit
}

// bcastPrefix is a BCAST prefix: its clients and the keys modified since the last flush,
// each with the client whose command last modified it (nil for expiry), for NOLOOP.
type bcastPrefix struct {
	clients []*Client
	keys    map[string]*Client
}

// initTracking keeps tracking-table-max-keys current; lowering it evicts keys at once.
func (s *Server) initTracking() {
	t := &s.tracking
	t.maxKeys.Store(s.cfg.Int("tracking-table-max-keys"))
	s.cfg.OnChange("tracking-table-max-keys", func(string) error {
		t.maxKeys.Store(s.cfg.Int("tracking-table-max-keys"))
		s.evictTracked(nil)
		return nil
	})
}

// keyModified invalidates key of db in the client-side caches that track it; c is the client
// whose command modified it, nil for expiry.
func (s *Server) keyModified(c *Client, db int, key string) {
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.prefixes) > 0 && s.rememberBroadcast(c, key) {
		if c != nil && !c.retrying {
			c.tracking.bcastQueued = true
		} else {
			s.scheduleBroadcast()
		}
	}
	s.invalidateKey(c, c, key)
}

// invalidateKey sends the invalidation of key to the clients that read it and forgets them.
// by is the client whose running command modified key (nil for expiry and eviction): its own
// invalidation waits for its reply, and is skipped in NOLOOP mode. cur is the client whose
// goroutine this is, if any. t.mu is held.
func (s *Server) invalidateKey(cur, by *Client, key string) {
	t := &s.tracking
	ids, ok := t.keys[key]
	if !ok {
		return
	}
	delete(t.keys, key)
	t.nkeys.Store(int64(len(t.keys)))
	t.items -= int64(len(ids))
	var payload []byte
	for _, id := range ids {
		target := t.clients[id]
		if target == nil {
			continue // gone, or tracking off
		}
		f := trackFlag(target.tracking.flags.Load())
		if f&trackBcast != 0 || f&trackNoloop != 0 && target == by {
			continue
		}
		if target == by {
			by.tracking.pending = append(by.tracking.pending, pendingKeys{key: key})
			continue
		}
		if payload == nil {
			payload = keysPayload([]string{key})
		}
		s.sendTracking(cur, target, payload)
	}
}

// rememberBroadcast adds key to the pending keys of every BCAST prefix it matches and reports
// whether there was one. t.mu is held.
func (s *Server) rememberBroadcast(by *Client, key string) bool {
	matched := false
	for p, bp := range s.tracking.prefixes {
		if strings.HasPrefix(key, p) {
			if bp.keys == nil {
				bp.keys = make(map[string]*Client)
			}
			bp.keys[key] = by
			matched = true
		}
	}
	return matched
}

// scheduleBroadcast flushes the pending BCAST keys soon, for modifications that no read
// batch ends. t.mu is held.
func (s *Server) scheduleBroadcast() {
	t := &s.tracking
	if t.timer {
		return
	}
	t.timer = true
	time.AfterFunc(time.Millisecond, func() { s.flushBroadcasts(nil) })
}

// flushBroadcasts sends the pending keys of every BCAST prefix to its clients, one message
// per prefix with the keys sorted, as Redis's trackingBroadcastInvalidationMessages. cur is
// the client whose read batch ended, nil for the timer.
func (s *Server) flushBroadcasts(cur *Client) {
	if cur != nil {
		cur.tracking.bcastQueued = false
	}
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	if cur == nil {
		t.timer = false
	}
	var names []string
	for name, bp := range t.prefixes {
		if len(bp.keys) > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		bp := t.prefixes[name]
		keys := make([]string, 0, len(bp.keys))
		for k := range bp.keys {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var common []byte
		for _, cl := range bp.clients {
			if trackFlag(cl.tracking.flags.Load())&trackNoloop == 0 {
				if common == nil {
					common = keysPayload(keys)
				}
				s.sendTracking(cur, cl, common)
				continue
			}
			own := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return bp.keys[k] == cl })
			if len(own) > 0 {
				s.sendTracking(cur, cl, keysPayload(own))
			}
		}
		bp.keys = nil
	}
}

// trackingFlushed sends every tracking client a null invalidation and empties the table:
// FLUSHDB and FLUSHALL, run by c.
func (s *Server) trackingFlushed(c *Client) {
	if s.ntracking.Load() == 0 {
		return
	}
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]uint64, 0, len(t.clients))
	for id := range t.clients {
		ids = append(ids, id)
	}
	slices.Sort(ids) // connection order, as Redis walks its clients
	for _, id := range ids {
		cl := t.clients[id]
		if cl == c {
			c.tracking.pending = append(c.tracking.pending, pendingKeys{all: true})
			continue
		}
		s.sendTracking(c, cl, nil)
	}
	t.keys = nil
	t.nkeys.Store(0)
	t.items = 0
}

// evictTracked invalidates keys picked at random until the table is within
// tracking-table-max-keys, as Redis's trackingLimitUsedSlots. cur is the client whose
// goroutine this is, between commands, or nil.
func (s *Server) evictTracked(cur *Client) {
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	for limit := t.maxKeys.Load(); limit > 0 && int64(len(t.keys)) > limit; {
		for key := range t.keys { // map order is random
			s.invalidateKey(cur, nil, key)
			break
		}
	}
}

// Messages: RESP3 push headers, the RESP2 pub/sub form, and the values they carry.
const (
	invalidatePush    = ">2\r\n$10\r\ninvalidate\r\n"
	invalidateMessage = "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n"
	redirBrokenPush   = ">2\r\n$21\r\ntracking-redir-broken\r\n:"
)

// keysPayload encodes the array of keys an invalidation carries.
func keysPayload(keys []string) []byte {
	n := 16
	for _, k := range keys {
		n += len(k) + 16
	}
	b := make([]byte, 0, n)
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(keys)), 10)
	b = append(b, "\r\n"...)
	for _, k := range keys {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(k)), 10)
		b = append(b, "\r\n"...)
		b = append(b, k...)
		b = append(b, "\r\n"...)
	}
	return b
}

// sendTracking sends tracking client t an invalidation carrying payload (nil: the null of
// everything, in t's protocol, as Redis encodes it) as Redis's sendTrackingMessage: to the
// client t redirects to if any, which must speak RESP3 or have subscriptions; a redirect
// target that is gone earns t a tracking-redir-broken push instead. t.mu is held.
func (s *Server) sendTracking(cur, t *Client, payload []byte) {
	s.mu.Lock()
	to, redirected := t, false
	if id := t.tracking.redirect.Load(); id != 0 {
		to, redirected = s.clients[uint64(id)], true
		if to == nil {
			resp3 := t.w.Proto == 3
			s.mu.Unlock()
			t.tracking.flags.Or(uint32(trackBroken))
			if resp3 {
				s.deliver(cur, t, strconv.AppendInt([]byte(redirBrokenPush), id, 10), "\r\n")
			}
			return
		}
	}
	if payload == nil {
		payload = []byte("$-1\r\n")
		if t.w.Proto == 3 {
			payload = []byte("_\r\n")
		}
	}
	var head string
	switch {
	case to.w.Proto == 3:
		head = invalidatePush
	case redirected && to.Subscribed():
		head = invalidateMessage
	default:
		s.mu.Unlock()
		return // RESP2 without a subscribed redirect target: nowhere to send it
	}
	s.mu.Unlock()
	s.deliver(cur, to, []byte(head), string(payload))
}

// deliver queues the message head+tail for to: into the output at once when to is the
// client of this goroutine between commands, before the reply when to's command is running,
// else into to's push buffer.
func (s *Server) deliver(cur, to *Client, head []byte, tail string) {
	if to == cur && cur.reply == 0 { // under CLIENT REPLY OFF or SKIP, through the push buffer
		if cur.running() {
			cur.tracking.early = append(append(cur.tracking.early, head...), tail...)
			cur.tracking.hook = true
			return
		}
		cur.drainPushes()
		cur.w.Buf = append(append(cur.w.Buf, head...), tail...)
		return
	}
	if to.killed.Load() {
		return
	}
	to.push(append(head, tail...), to.OutputLimit())
}

// running reports whether the client is inside a command (a transaction's too).
func (c *Client) running() bool { return c.cur != nil || c.execing }

// trackingCommand moves the invalidations queued for a tracking client into its output and
// applies, as command cmd (nil if unknown) starts, Redis's rule for CLIENT CACHING: it
// holds for the command after it, for a whole transaction, and across other CLIENT
// subcommands.
func (c *Client) trackingCommand(cmd *Command) {
	tr := &c.tracking
	if trackFlag(tr.flags.Load())&trackOn != 0 && c.reply == 0 {
		// Invalidations queued for it precede the reply, as in Redis, where they are written
		// into its output as the keys change.
		c.drainPushes()
	}
	if tr.caching && !tr.afterClient && !c.multi {
		tr.caching = false
	}
	tr.afterClient = cmd != nil && (cmd.Name == "client" || strings.HasPrefix(cmd.Name, "client|"))
}

// trackingAfter runs after each command of a client with tracking state: it remembers the
// keys a read command read, and outside a transaction's commands puts the messages its
// command caused where they belong. replyStart is where the command's reply begins.
func (c *Client) trackingAfter(cmd *Command, args [][]byte, replyStart int) {
	s := c.srv
	tr := &c.tracking
	f := trackFlag(tr.flags.Load())
	if f&trackOn != 0 && f&trackBcast == 0 && cmd.Flags&ReadOnly != 0 && cmd.Flags&PubSub == 0 && len(c.keys) > 0 &&
		(f&trackOptin == 0 || tr.caching) && (f&trackOptout == 0 || !tr.caching) {
		s.rememberKeys(c, args)
	}
	if c.execing || c.retrying && len(tr.early) == 0 && len(tr.pending) == 0 {
		return // messages wait for the end of EXEC; a retry may have served nothing
	}
	if len(tr.early) > 0 {
		c.w.Buf = slices.Insert(c.w.Buf, min(replyStart, len(c.w.Buf)), tr.early...)
		tr.early = tr.early[:0]
	}
	if limit := s.tracking.maxKeys.Load(); limit > 0 && s.tracking.nkeys.Load() > limit {
		s.evictTracked(c)
	}
	if len(tr.pending) > 0 {
		t := &s.tracking
		t.mu.Lock()
		for _, p := range tr.pending {
			if p.all {
				s.sendTracking(c, c, nil)
			} else {
				s.sendTracking(c, c, keysPayload([]string{p.key}))
			}
		}
		t.mu.Unlock()
		clear(tr.pending)
		tr.pending = tr.pending[:0]
	}
	if f&trackOn != 0 && c.blockedOn == nil && !c.retrying && c.reply == 0 {
		// Invalidations queued while the command ran (a key it expired) follow its reply.
		c.drainPushes()
	}
}

// trackingBatchDone sends the BCAST messages for the keys the client's read batch modified.
func (c *Client) trackingBatchDone() { c.srv.flushBroadcasts(c) }

// rememberKeys adds the keys of the read command that just ran to the table.
func (s *Server) rememberKeys(c *Client, args [][]byte) {
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.keys == nil {
		t.keys = make(map[string][]uint64)
	}
	for _, p := range c.keys {
		ids, ok := t.keys[string(args[p])]
		if slices.Contains(ids, c.id) {
			continue
		}
		if ok {
			t.keys[string(args[p])] = append(ids, c.id)
		} else {
			t.keys[string(args[p])] = []uint64{c.id}
		}
		t.items++
	}
	t.nkeys.Store(int64(len(t.keys)))
}

// enableTracking turns tracking on, or changes its options, as Redis's enableTracking: the
// options replace the previous ones, BCAST prefixes add to the previous ones (none means the
// empty prefix), and CLIENT CACHING's pending choice stays.
func (c *Client) enableTracking(redirect int64, opts trackFlag, prefixes [][]byte) {
	s := c.srv
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	tr := &c.tracking
	if trackFlag(tr.flags.Load())&trackOn == 0 {
		if t.clients == nil {
			t.clients = make(map[uint64]*Client)
		}
		t.clients[c.id] = c
		s.ntracking.Add(1)
	}
	tr.redirect.Store(redirect)
	f := trackOn | opts&(trackOptin|trackOptout|trackNoloop)
	if opts&trackBcast != 0 {
		f |= trackBcast
		if len(prefixes) == 0 {
			t.addPrefix(c, "")
		}
		for _, p := range prefixes {
			t.addPrefix(c, string(p))
		}
	}
	tr.flags.Store(uint32(f))
	tr.hook = true
}

// addPrefix registers c for BCAST prefix p. t.mu is held.
func (t *trackingTable) addPrefix(c *Client, p string) {
	if t.prefixes == nil {
		t.prefixes = make(map[string]*bcastPrefix)
	}
	bp := t.prefixes[p]
	if bp == nil {
		bp = &bcastPrefix{}
		t.prefixes[p] = bp
	}
	if slices.Contains(bp.clients, c) {
		return
	}
	bp.clients = append(bp.clients, c)
	tr := &c.tracking
	i, _ := slices.BinarySearch(tr.prefixes, p)
	tr.prefixes = slices.Insert(tr.prefixes, i, p)
}

// disableTracking turns tracking off: CLIENT TRACKING OFF, RESET and a closed connection.
// Once no client tracks, the table is emptied: its keys could only invalidate clients that
// turn tracking on again.
func (c *Client) disableTracking() {
	tr := &c.tracking
	if !tr.hook {
		return
	}
	s := c.srv
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, p := range tr.prefixes {
		bp := t.prefixes[p]
		bp.clients = slices.DeleteFunc(bp.clients, func(cl *Client) bool { return cl == c })
		if len(bp.clients) == 0 {
			delete(t.prefixes, p)
		}
	}
	tr.prefixes = nil
	if trackFlag(tr.flags.Load())&trackOn == 0 {
		return
	}
	delete(t.clients, c.id)
	tr.flags.Store(0)
	tr.redirect.Store(0)
	tr.caching = false
	if s.ntracking.Add(-1) == 0 {
		t.keys = nil
		t.nkeys.Store(0)
		t.items = 0
	}
}

// trackingCounts returns the keys in the table, the client ids under them and the BCAST
// prefixes (INFO's tracking_total_keys, tracking_total_items, tracking_total_prefixes).
func (s *Server) trackingCounts() (keys, items, prefixes int64) {
	t := &s.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	return int64(len(t.keys)), t.items, int64(len(t.prefixes))
}

// appendTrackingFlags appends CLIENT LIST's tracking flags of cl: t (tracking), R (broken
// redirect), B (BCAST).
func (cl *Client) appendTrackingFlags(dst []byte) []byte {
	f := trackFlag(cl.tracking.flags.Load())
	if f&trackOn != 0 {
		dst = append(dst, 't')
	}
	if f&trackBroken != 0 {
		dst = append(dst, 'R')
	}
	if f&trackBcast != 0 {
		dst = append(dst, 'B')
	}
	return dst
}

// trackingRedirect returns the client id of CLIENT GETREDIR and CLIENT LIST's redir: the
// redirect target (0 for none) while tracking, else -1.
func (cl *Client) trackingRedirect() int64 {
	if trackFlag(cl.tracking.flags.Load())&trackOn == 0 {
		return -1
	}
	return cl.tracking.redirect.Load()
}

// Handlers.

// clientTrackingCommand is CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN]
// [OPTOUT] [NOLOOP], with Redis 7.0's checks in Redis's order.
func clientTrackingCommand(c *Client, args [][]byte) {
	var redirect int64
	var opts trackFlag
	var prefixes [][]byte
	for j := 3; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case is(args[j], "redirect") && more > 0:
			j++
			if redirect != 0 {
				c.Error(msgTrackRedirectTwice)
				return
			}
			id, err := parseInt(args[j])
			if err != nil {
				c.Error(msgNotInteger)
				return
			}
			c.srv.mu.Lock()
			exists := c.srv.clients[uint64(id)] != nil
			c.srv.mu.Unlock()
			if !exists {
				c.Error(msgTrackNoRedirect)
				return
			}
			redirect = id
		case is(args[j], "bcast"):
			opts |= trackBcast
		case is(args[j], "optin"):
			opts |= trackOptin
		case is(args[j], "optout"):
			opts |= trackOptout
		case is(args[j], "noloop"):
			opts |= trackNoloop
		case is(args[j], "prefix") && more > 0:
			j++
			prefixes = append(prefixes, args[j])
		default:
			c.Error(msgSyntax)
			return
		}
	}
	switch {
	case is(args[2], "on"):
		f := trackFlag(c.tracking.flags.Load())
		switch {
		case opts&trackBcast == 0 && len(prefixes) > 0:
			c.Error(msgTrackPrefixBcast)
			return
		case f&trackOn != 0 && f&trackBcast != opts&trackBcast:
			c.Error(msgTrackSwitchBcast)
			return
		case opts&trackBcast != 0 && opts&(trackOptin|trackOptout) != 0:
			c.Error(msgTrackBcastOpt)
			return
		case opts&trackOptin != 0 && opts&trackOptout != 0:
			c.Error(msgTrackOptBoth)
			return
		case opts&trackOptin != 0 && f&trackOptout != 0, opts&trackOptout != 0 && f&trackOptin != 0:
			c.Error(msgTrackSwitchOpt)
			return
		}
		if opts&trackBcast != 0 && !c.checkPrefixes(prefixes) {
			return
		}
		c.enableTracking(redirect, opts, prefixes)
	case is(args[2], "off"):
		c.disableTracking()
	default:
		c.Error(msgSyntax)
		return
	}
	c.w.Raw(replyOK)
}

// checkPrefixes refuses BCAST prefixes that overlap (one is a prefix of the other) with the
// client's or with each other, as Redis's checkPrefixCollisionsOrReply. Redis 7.0 reports an
// overlap among the new prefixes after the first one and then goes on (its check returns the
// index of the prefix, nonzero): the client gets the error, then OK, and tracking is on with
// every prefix. kvrpcd does the same, to stay byte for byte with redis-server 7.0.
func (c *Client) checkPrefixes(prefixes [][]byte) bool {
	t := &c.srv.tracking
	t.mu.Lock()
	existing := slices.Clone(c.tracking.prefixes)
	t.mu.Unlock()
	overlap := func(a, b []byte) bool {
		n := min(len(a), len(b))
		return string(a[:n]) == string(b[:n])
	}
	for i, p := range prefixes {
		for _, e := range existing {
			if overlap([]byte(e), p) {
				c.Error(fmt.Sprintf("ERR Prefix '%s' overlaps with an existing prefix '%s'. Prefixes for a single client must not overlap.",
					sanitize(p), sanitize([]byte(e))))
				return false
			}
		}
		for _, q := range prefixes[i+1:] {
			if overlap(p, q) {
				c.Error(fmt.Sprintf("ERR Prefix '%s' overlaps with another provided prefix '%s'. Prefixes for a single client must not overlap.",
					sanitize(p), sanitize(q)))
				return i != 0
			}
		}
	}
	return true
}

// clientCaching is CLIENT CACHING YES|NO: whether the next command's keys are tracked, in
// OPTIN and OPTOUT mode.
func clientCaching(c *Client, args [][]byte) {
	f := trackFlag(c.tracking.flags.Load())
	if f&trackOn == 0 {
		c.Error(msgCachingNoTrack)
		return
	}
	switch {
	case is(args[2], "yes"):
		if f&trackOptin == 0 {
			c.Error(msgCachingYes)
			return
		}
	case is(args[2], "no"):
		if f&trackOptout == 0 {
			c.Error(msgCachingNo)
			return
		}
	default:
		c.Error(msgSyntax)
		return
	}
	c.tracking.caching = true
	c.w.Raw(replyOK)
}

func clientGetredir(c *Client, _ [][]byte) { c.w.Int(c.trackingRedirect()) }

// clientTrackinginfo is CLIENT TRACKINGINFO: the flags, the redirect and the BCAST prefixes.
func clientTrackinginfo(c *Client, _ [][]byte) {
	tr := &c.tracking
	f := trackFlag(tr.flags.Load())
	flags := []string{"off"}
	if f&trackOn != 0 {
		flags[0] = "on"
	}
	if f&trackBcast != 0 {
		flags = append(flags, "bcast")
	}
	if f&trackOptin != 0 {
		flags = append(flags, "optin")
		if tr.caching {
			flags = append(flags, "caching-yes")
		}
	}
	if f&trackOptout != 0 {
		flags = append(flags, "optout")
		if tr.caching {
			flags = append(flags, "caching-no")
		}
	}
	if f&trackNoloop != 0 {
		flags = append(flags, "noloop")
	}
	if f&trackBroken != 0 {
		flags = append(flags, "broken_redirect")
	}
	c.w.Map(3)
	c.w.BulkString("flags")
	c.w.Set(len(flags))
	for _, fl := range flags {
		c.w.BulkString(fl)
	}
	c.w.BulkString("redirect")
	c.w.Int(c.trackingRedirect())
	c.w.BulkString("prefixes")
	t := &c.srv.tracking
	t.mu.Lock()
	prefixes := slices.Clone(tr.prefixes)
	t.mu.Unlock()
	c.w.Array(len(prefixes))
	for _, p := range prefixes {
		c.w.BulkString(p)
	}
}
