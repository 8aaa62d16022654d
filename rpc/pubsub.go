package rpc

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/resp"
)

// Pub/sub: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UNSUBSCRIBE forms, PUBLISH, SPUBLISH and
// PUBSUB. The server keeps one registry of subscriptions (channel, pattern and shard channel
// → subscribers, and each subscriber's own subscriptions in the order it made them). A
// publisher encodes each message once per protocol and pushes it to every subscriber's push
// buffer ([Client.push]); the subscriber's loop moves it into the output on the subscriber's
// goroutine. A message for the publisher itself is written straight into its output, before
// PUBLISH's reply, as Redis does.
//
// Messages are pushed while the registry's read lock is held, so once an unsubscribe (which
// takes the write lock) returns, no more messages of that channel arrive; queued ones are
// moved into the output before the confirmation is written, so they come first, as in Redis.
//
// Lock order: Server.mu (a subscriber's protocol is read under it), then pubsubRegistry.mu,
// then a client's push buffer lock.

// pubsubRegistry holds the server's subscriptions.
type pubsubRegistry struct {
	mu       sync.RWMutex
	channels map[string][]*Client // subscribers in subscription order
	patterns map[string][]*Client
	patOrder []string // every subscribed pattern, in the order it first appeared
	shards   map[string][]*Client
	subs     map[*Client]*clientSubs

	// limit is the hard limit of client-output-buffer-limit's pubsub class, 0 for none: a
	// subscriber whose undelivered messages pass it is disconnected.
	limit atomic.Int64
}

// clientSubs are one client's subscriptions, in the order it made them.
type clientSubs struct {
	lists [3][]string // by subKind
}

// subKind is a kind of subscription.
type subKind uint8

const (
	subChannel subKind = iota
	subPattern
	subShard
)

// Per kind: the confirmation of a subscription and of its end, and the message type.
var (
	subscribeReply   = [...]string{"subscribe", "psubscribe", "ssubscribe"}
	unsubscribeReply = [...]string{"unsubscribe", "punsubscribe", "sunsubscribe"}
)

// byKind returns the map of subscribers of kind k, creating it if needed.
func (r *pubsubRegistry) byKind(k subKind) map[string][]*Client {
	m := &r.channels
	switch k {
	case subPattern:
		m = &r.patterns
	case subShard:
		m = &r.shards
	}
	if *m == nil {
		*m = make(map[string][]*Client)
	}
	return *m
}

// count is the number a subscribe or unsubscribe confirmation carries: channels plus patterns,
// or, for shard channels, shard channels alone, as in Redis.
func (cs *clientSubs) count(k subKind) int64 {
	if cs == nil {
		return 0
	}
	if k == subShard {
		return int64(len(cs.lists[subShard]))
	}
	return int64(len(cs.lists[subChannel]) + len(cs.lists[subPattern]))
}

func (cs *clientSubs) total() int {
	return len(cs.lists[subChannel]) + len(cs.lists[subPattern]) + len(cs.lists[subShard])
}

// pubsubLimit returns the hard limit of client-output-buffer-limit's pubsub class.
func pubsubLimit(cfg *config.Registry) int64 {
	return int64(min(cfg.OutputBufferLimits()[config.ClassPubSub].Hard, 1<<62))
}

// subscribe subscribes c to names of kind k and writes a confirmation for each.
func (c *Client) subscribe(k subKind, names [][]byte) {
	r := &c.srv.pubsub
	r.mu.Lock()
	defer r.mu.Unlock()
	c.drainPushes()
	if r.subs == nil {
		r.subs = make(map[*Client]*clientSubs)
	}
	cs := r.subs[c]
	if cs == nil {
		cs = &clientSubs{}
		r.subs[c] = cs
	}
	m := r.byKind(k)
	for _, name := range names {
		if !slices.Contains(cs.lists[k], string(name)) {
			n := string(name)
			cs.lists[k] = append(cs.lists[k], n)
			if k == subPattern && len(m[n]) == 0 {
				r.patOrder = append(r.patOrder, n)
			}
			m[n] = append(m[n], c)
		}
		c.w.Push(3)
		c.w.BulkString(subscribeReply[k])
		c.w.Bulk(name)
		c.w.Int(cs.count(k))
	}
	c.subscriptions.Store(int32(cs.total()))
}

// unsubscribe ends c's subscriptions of kind k to names, or to everything of that kind when
// names is empty, and writes a confirmation for each.
func (c *Client) unsubscribe(k subKind, names [][]byte) {
	r := &c.srv.pubsub
	r.mu.Lock()
	defer r.mu.Unlock()
	c.drainPushes()
	cs := r.subs[c]
	if len(names) > 0 {
		for _, name := range names {
			r.remove(c, cs, k, string(name))
			c.unsubscribed(k, name, cs)
		}
	} else if cs == nil || len(cs.lists[k]) == 0 {
		c.w.Push(3)
		c.w.BulkString(unsubscribeReply[k])
		c.w.Null()
		c.w.Int(cs.count(k))
	} else {
		for len(cs.lists[k]) > 0 {
			name := cs.lists[k][0]
			r.remove(c, cs, k, name)
			c.unsubscribed(k, []byte(name), cs)
		}
	}
	r.forget(c, cs)
}

// unsubscribed writes the confirmation of the end of a subscription.
func (c *Client) unsubscribed(k subKind, name []byte, cs *clientSubs) {
	c.w.Push(3)
	c.w.BulkString(unsubscribeReply[k])
	c.w.Bulk(name)
	c.w.Int(cs.count(k))
}

// remove ends c's subscription of kind k to name, if it has one; r.mu is held.
func (r *pubsubRegistry) remove(c *Client, cs *clientSubs, k subKind, name string) {
	if cs == nil {
		return
	}
	i := slices.Index(cs.lists[k], name)
	if i < 0 {
		return
	}
	cs.lists[k] = slices.Delete(cs.lists[k], i, i+1)
	m := r.byKind(k)
	subs := m[name]
	if j := slices.Index(subs, c); j >= 0 {
		subs = slices.Delete(subs, j, j+1)
	}
	if len(subs) > 0 {
		m[name] = subs
		return
	}
	delete(m, name)
	if k == subPattern {
		if j := slices.Index(r.patOrder, name); j >= 0 {
			r.patOrder = slices.Delete(r.patOrder, j, j+1)
		}
	}
}

// forget updates c's subscription count and drops its entry when it has none left; r.mu is
// held.
func (r *pubsubRegistry) forget(c *Client, cs *clientSubs) {
	if cs == nil {
		return
	}
	n := cs.total()
	c.subscriptions.Store(int32(n))
	if n == 0 {
		delete(r.subs, c)
	}
}

// unsubscribeAll ends every subscription of c without confirmations: RESET, and a closed
// connection ([Client.Release]). Messages already queued for c are moved into its output.
func (c *Client) unsubscribeAll() {
	if c.subscriptions.Load() == 0 {
		return
	}
	r := &c.srv.pubsub
	r.mu.Lock()
	defer r.mu.Unlock()
	c.drainPushes()
	cs := r.subs[c]
	if cs == nil {
		c.subscriptions.Store(0)
		return
	}
	for k := range cs.lists {
		for len(cs.lists[k]) > 0 {
			r.remove(c, cs, subKind(k), cs.lists[k][0])
		}
	}
	r.forget(c, cs)
}

// delivery is one message for one subscriber.
type delivery struct {
	to    *Client
	msg   int  // index into the encoded messages
	resp3 bool // the subscriber speaks RESP3
}

// publish sends payload on channel (a shard channel for kind subShard) to its subscribers and,
// for plain channels, to the subscribers of every matching pattern. It returns the number of
// deliveries, as PUBLISH replies. from is the publishing client, whose own messages go
// straight into its output.
func (s *Server) publish(from *Client, k subKind, channel, payload []byte) int64 {
	r := &s.pubsub
	if !r.mayReceive(k, channel) {
		return 0
	}
	s.mu.Lock()
	r.mu.RLock()
	defer r.mu.RUnlock()
	msgs, deliv := r.deliveries(from, k, channel, payload)
	s.mu.Unlock()
	limit := r.limit.Load()
	for _, d := range deliv {
		m := msgs[d.msg]
		switch {
		case d.to == from:
			from.drainPushes()
			from.w.Buf = append(from.w.Buf, m...)
			if from.w.Proto == 3 {
				from.w.Buf[len(from.w.Buf)-len(m)] = '>'
			}
		case d.to.killed.Load():
			// Disconnected for its output: nothing more is queued for it.
		case d.resp3:
			m[0] = '>'
			d.to.push(m, limit)
			m[0] = '*'
		default:
			d.to.push(m, limit)
		}
	}
	return int64(len(deliv))
}

// deliveries encodes the messages of a publication, in RESP2 (RESP3 differs only in the
// first byte, '>'), and lists who gets which, with each subscriber's protocol. r.mu and
// Server.mu are held: protocols change under the latter (HELLO, RESET).
func (r *pubsubRegistry) deliveries(from *Client, k subKind, channel, payload []byte) (msgs [][]byte, deliv []delivery) {
	kind := "message"
	if k == subShard {
		kind = "smessage"
	}
	if subs := r.byKindRead(k)[string(channel)]; len(subs) > 0 {
		msgs = append(msgs, encodeMessage(kind, nil, channel, payload))
		for _, to := range subs {
			deliv = append(deliv, delivery{to: to})
		}
	}
	if k == subChannel {
		for _, p := range r.patOrder {
			if !config.Match([]byte(p), channel, false) {
				continue
			}
			msgs = append(msgs, encodeMessage("pmessage", []byte(p), channel, payload))
			for _, to := range r.patterns[p] {
				deliv = append(deliv, delivery{to: to, msg: len(msgs) - 1})
			}
		}
	}
	for i := range deliv {
		if deliv[i].to != from {
			deliv[i].resp3 = deliv[i].to.w.Proto == 3
		}
	}
	return msgs, deliv
}

// mayReceive reports whether anyone may receive a message on channel: a subscriber of it or,
// for plain channels, any pattern. It spares PUBLISH the server lock when nobody listens.
func (r *pubsubRegistry) mayReceive(k subKind, channel []byte) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.byKindRead(k)[string(channel)]) > 0 || k == subChannel && len(r.patterns) > 0
}

// byKindRead returns the map of subscribers of kind k, possibly nil; r.mu is held.
func (r *pubsubRegistry) byKindRead(k subKind) map[string][]*Client {
	switch k {
	case subPattern:
		return r.patterns
	case subShard:
		return r.shards
	}
	return r.channels
}

// encodeMessage encodes a message in RESP2: [kind, pattern (if any), channel, payload].
func encodeMessage(kind string, pattern, channel, payload []byte) []byte {
	var w resp.Writer
	w.Buf = make([]byte, 0, 48+len(pattern)+len(channel)+len(payload))
	w.Proto = 2
	if pattern != nil {
		w.Push(4)
		w.BulkString(kind)
		w.Bulk(pattern)
	} else {
		w.Push(3)
		w.BulkString(kind)
	}
	w.Bulk(channel)
	w.Bulk(payload)
	return w.Buf
}

// subscribedGate applies the rules of a client with subscriptions before exec runs cmd, and
// reports whether it replied in cmd's place. Messages queued for the client are moved into
// its output first, so that they precede the reply, as in Redis. A RESP2 client with
// subscriptions may only run (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET, and
// PING answers ["pong", message] there.
func (c *Client) subscribedGate(cmd *Command, args [][]byte) bool {
	if c.subscriptions.Load() == 0 {
		return false
	}
	return c.subscribedRules(cmd, args)
}

func (c *Client) subscribedRules(cmd *Command, args [][]byte) bool {
	c.drainPushes()
	if c.w.Proto != 2 {
		return false
	}
	switch cmd.Name {
	case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
		"quit", "reset":
		return false
	case "ping":
		if len(args) > 2 {
			return false // the arity error
		}
		c.w.Array(2)
		c.w.BulkString("pong")
		if len(args) == 2 {
			c.w.Bulk(args[1])
		} else {
			c.w.BulkString("")
		}
		c.srv.stats[cmd.id].calls.Add(1)
		c.srv.counts.commands.Add(1)
		return true
	}
	c.abortMulti()
	c.srv.stats[cmd.id].rejected.Add(1)
	c.Error(subscribedOnly(cmd.Name))
	return true
}

// pubsubCounts returns the numbers of channels, patterns and shard channels with
// subscribers (INFO stats pubsub_channels, pubsub_patterns, pubsubshard_channels).
func (s *Server) pubsubCounts() (channels, patterns, shards int) {
	r := &s.pubsub
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.channels), len(r.patterns), len(r.shards)
}

// subscriptionCounts returns c's numbers of channel, pattern and shard channel subscriptions
// (CLIENT LIST's sub, psub and ssub). The caller may hold Server.mu.
func (c *Client) subscriptionCounts() (channels, patterns, shards int) {
	if c.subscriptions.Load() == 0 {
		return 0, 0, 0
	}
	r := &c.srv.pubsub
	r.mu.RLock()
	defer r.mu.RUnlock()
	cs := r.subs[c]
	if cs == nil {
		return 0, 0, 0
	}
	return len(cs.lists[subChannel]), len(cs.lists[subPattern]), len(cs.lists[subShard])
}

// OutputLimit returns the output size past which a loop should disconnect the client: the
// hard limit of client-output-buffer-limit's pubsub class while it has subscriptions (Redis
// counts such a client in that class), else that of class normal; 0 means no limit.
func (c *Client) OutputLimit() int64 {
	if c.Subscribed() {
		return c.srv.pubsub.limit.Load()
	}
	return c.srv.outputHard.Load()
}

// Handlers.

func subscribeCommand(c *Client, args [][]byte) { c.subscribe(subChannel, args[1:]) }

func psubscribeCommand(c *Client, args [][]byte) { c.subscribe(subPattern, args[1:]) }

// ssubscribeCommand refuses to run inside EXEC, as Redis refuses SSUBSCRIBE to a client that
// may not block.
func ssubscribeCommand(c *Client, args [][]byte) {
	if c.execing {
		c.Error(msgSsubscribeInExec)
		return
	}
	c.subscribe(subShard, args[1:])
}

func unsubscribeCommand(c *Client, args [][]byte) { c.unsubscribe(subChannel, args[1:]) }

func punsubscribeCommand(c *Client, args [][]byte) { c.unsubscribe(subPattern, args[1:]) }

func sunsubscribeCommand(c *Client, args [][]byte) { c.unsubscribe(subShard, args[1:]) }

func publishCommand(c *Client, args [][]byte) {
	c.w.Int(c.srv.publish(c, subChannel, args[1], args[2]))
}

func spublishCommand(c *Client, args [][]byte) {
	c.w.Int(c.srv.publish(c, subShard, args[1], args[2]))
}

// pubsubChannels answers PUBSUB CHANNELS and SHARDCHANNELS: the channels with subscribers
// that match an optional pattern, sorted (Redis's order is its hash table's).
func pubsubChannels(k subKind) Handler {
	return func(c *Client, args [][]byte) {
		if len(args) > 3 {
			c.Error(subcommandSyntax(args))
			return
		}
		r := &c.srv.pubsub
		r.mu.RLock()
		var names []string
		for name := range r.byKindRead(k) {
			if len(args) == 2 || config.Match(args[2], []byte(name), false) {
				names = append(names, name)
			}
		}
		r.mu.RUnlock()
		slices.Sort(names)
		c.w.Array(len(names))
		for _, n := range names {
			c.w.BulkString(n)
		}
	}
}

// pubsubNumsub answers PUBSUB NUMSUB and SHARDNUMSUB: each channel and its number of
// subscribers (patterns not counted).
func pubsubNumsub(k subKind) Handler {
	return func(c *Client, args [][]byte) {
		r := &c.srv.pubsub
		r.mu.RLock()
		defer r.mu.RUnlock()
		m := r.byKindRead(k)
		c.w.Array(2 * (len(args) - 2))
		for _, name := range args[2:] {
			c.w.Bulk(name)
			c.w.Int(int64(len(m[string(name)])))
		}
	}
}

func pubsubNumpat(c *Client, _ [][]byte) {
	r := &c.srv.pubsub
	r.mu.RLock()
	n := len(r.patterns)
	r.mu.RUnlock()
	c.w.Int(int64(n))
}

var pubsubHelpLines = []string{
	"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CHANNELS [<pattern>]",
	"    Return the currently active channels matching a <pattern> (default: '*').",
	"NUMPAT",
	"    Return number of subscriptions to patterns.",
	"NUMSUB [<channel> ...]",
	"    Return the number of subscribers for the specified channels, excluding",
	"    pattern subscriptions(default: no channels).",
	"SHARDCHANNELS [<pattern>]",
	"    Return the currently active shard level channels matching a <pattern> (default: '*').",
	"SHARDNUMSUB [<shardchannel> ...]",
	"    Return the number of subscribers for the specified shard level channel(s)",
	"HELP",
	"    Prints this help.",
}

func pubsubHelp(c *Client, _ [][]byte) { writeHelp(c, pubsubHelpLines) }

// pubsubCommands declares the pub/sub commands.
func pubsubCommands() []*Command {
	subFlags := PubSub | NoScript | Loading | Stale
	pubFlags := PubSub | Loading | Stale | Fast
	infoFlags := PubSub | Loading | Stale
	shardKeys := func(last int) []KeySpec {
		return []KeySpec{{Flags: KeyNotKey, BeginIndex: 1, LastKey: last, KeyStep: 1}}
	}
	return []*Command{
		{Name: "subscribe", Arity: -2, Flags: subFlags, Group: GroupPubSub, Run: subscribeCommand,
			Doc: Doc{Summary: "Listen for messages published to the given channels", Since: "2.0.0",
				Complexity: "O(N) where N is the number of channels to subscribe to.",
				Args:       []Arg{{Name: "channel", Type: ArgString, Multiple: true}}}},
		{Name: "unsubscribe", Arity: -1, Flags: subFlags, Group: GroupPubSub, Run: unsubscribeCommand,
			Doc: Doc{Summary: "Stop listening for messages posted to the given channels", Since: "2.0.0",
				Complexity: "O(N) where N is the number of clients already subscribed to a channel.",
				Args:       []Arg{{Name: "channel", Type: ArgString, Optional: true, Multiple: true}}}},
		{Name: "psubscribe", Arity: -2, Flags: subFlags, Group: GroupPubSub, Run: psubscribeCommand,
			Doc: Doc{Summary: "Listen for messages published to channels matching the given patterns", Since: "2.0.0",
				Complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
				Args: []Arg{{Name: "pattern", Type: ArgBlock, Multiple: true, Args: []Arg{
					{Name: "pattern", Type: ArgPattern},
				}}}}},
		{Name: "punsubscribe", Arity: -1, Flags: subFlags, Group: GroupPubSub, Run: punsubscribeCommand,
			Doc: Doc{Summary: "Stop listening for messages posted to channels matching the given patterns", Since: "2.0.0",
				Complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
				Args:       []Arg{{Name: "pattern", Type: ArgPattern, Optional: true, Multiple: true}}}},
		{Name: "publish", Arity: 3, Flags: pubFlags, Group: GroupPubSub, Run: publishCommand,
			Doc: Doc{Summary: "Post a message to a channel", Since: "2.0.0",
				Complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
				Args: []Arg{
					{Name: "channel", Type: ArgString},
					{Name: "message", Type: ArgString},
				}}},
		{Name: "ssubscribe", Arity: -2, Flags: subFlags, Group: GroupPubSub, Keys: shardKeys(-1), Run: ssubscribeCommand,
			Doc: Doc{Summary: "Listen for messages published to the given shard channels", Since: "7.0.0",
				Complexity: "O(N) where N is the number of shard channels to subscribe to.",
				Args:       []Arg{{Name: "shardchannel", Type: ArgString, Multiple: true}}}},
		{Name: "sunsubscribe", Arity: -1, Flags: subFlags, Group: GroupPubSub, Keys: shardKeys(-1), Run: sunsubscribeCommand,
			Doc: Doc{Summary: "Stop listening for messages posted to the given shard channels", Since: "7.0.0",
				Complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
				Args:       []Arg{{Name: "shardchannel", Type: ArgString, Optional: true, Multiple: true}}}},
		{Name: "spublish", Arity: 3, Flags: pubFlags, Group: GroupPubSub, Keys: shardKeys(0), Run: spublishCommand,
			Doc: Doc{Summary: "Post a message to a shard channel", Since: "7.0.0",
				Complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
				Args: []Arg{
					{Name: "shardchannel", Type: ArgString},
					{Name: "message", Type: ArgString},
				}}},
		{Name: "pubsub", Arity: -2, Group: GroupPubSub,
			Doc: Doc{Summary: "A container for Pub/Sub commands", Since: "2.8.0", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "pubsub|channels", Arity: -2, Flags: infoFlags, Group: GroupPubSub, Run: pubsubChannels(subChannel),
					Doc: Doc{Summary: "List active channels", Since: "2.8.0",
						Complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
						Args:       []Arg{{Name: "pattern", Type: ArgPattern, Optional: true}}}},
				{Name: "pubsub|help", Arity: 2, Flags: Loading | Stale, Group: GroupPubSub, ACL: ACLNoGroup, Run: pubsubHelp,
					Doc: Doc{Summary: "Show helpful text about the different subcommands", Since: "6.2.0", Complexity: "O(1)"}},
				{Name: "pubsub|numpat", Arity: 2, Flags: infoFlags, Group: GroupPubSub, Run: pubsubNumpat,
					Doc: Doc{Summary: "Get the count of unique patterns pattern subscriptions", Since: "2.8.0", Complexity: "O(1)"}},
				{Name: "pubsub|numsub", Arity: -2, Flags: infoFlags, Group: GroupPubSub, Run: pubsubNumsub(subChannel),
					Doc: Doc{Summary: "Get the count of subscribers for channels", Since: "2.8.0",
						Complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
						Args:       []Arg{{Name: "channel", Type: ArgString, Optional: true, Multiple: true}}}},
				{Name: "pubsub|shardchannels", Arity: -2, Flags: infoFlags, Group: GroupPubSub, Run: pubsubChannels(subShard),
					Doc: Doc{Summary: "List active shard channels", Since: "7.0.0",
						Complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
						Args:       []Arg{{Name: "pattern", Type: ArgPattern, Optional: true}}}},
				{Name: "pubsub|shardnumsub", Arity: -2, Flags: infoFlags, Group: GroupPubSub, Run: pubsubNumsub(subShard),
					Doc: Doc{Summary: "Get the count of subscribers for shard channels", Since: "7.0.0",
						Complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
						Args:       []Arg{{Name: "shardchannel", Type: ArgString, Optional: true, Multiple: true}}}},
			}},
	}
}
