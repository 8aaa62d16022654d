package integration

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// The multi-connection differential tests open several connections to
// kvrpcd and as many to redis-server, and send one seeded stream of commands
// that interleaves them deterministically: connection i of kvrpcd gets what
// connection i of redis-server gets, in the same order. Every reply, and
// every pub/sub message a connection receives, is compared byte for byte,
// except where Redis's own order is a hash table's (see TestDifferentialPubSub).
//
// TestDifferentialTransactions runs MULTI/EXEC/DISCARD/WATCH/UNWATCH from
// four connections while the others modify, expire, rename, swap, flush or
// only read the watched keys. TestDifferentialPubSub runs subscribers and
// publishers in RESP2 and RESP3, with glob patterns of every tricky kind.
//
// KVRPCD_DIFF_SEED chooses the stream, KVRPCD_DIFF_MULTI_N its length in
// steps (a step is one command of one connection); the seed is printed when
// a run fails. KVRPCD_DIFF_TRACE=1 logs every step.

const (
	defaultMultiTxN     = 4000  // steps of the transaction stream per loop model
	defaultMultiPubSubN = 12000 // steps of the pub/sub stream per loop model
	multiHistory        = 40    // steps shown before a mismatch
	multiDetailed       = 3     // mismatches reported with their history
)

// multiConfig returns the seed and the number of steps, def unless
// KVRPCD_DIFF_MULTI_N says otherwise.
func multiConfig(t *testing.T, def int) (seed uint64, n int) {
	t.Helper()
	seed, _ = diffConfig(t)
	return seed, envCount(t, "KVRPCD_DIFF_MULTI_N", def)
}

// multiConn is one client of the stream: a connection to each server.
type multiConn struct {
	kv, ref *rawConn
	proto   int // as the connection started; RESET brings it back to 2
}

// multiRun is one multi-connection stream being compared.
type multiRun struct {
	t       *testing.T
	seed    uint64
	n       int
	conns   []*multiConn
	sent    int
	history []string // the last steps, for reports
	// mismatches are failures, with reports of the first few.
	mismatches int
	reports    []string
	compared   map[string]int // how replies were compared, for the log
}

// newMultiRun connects one client per protocol in protos to each server and
// switches those of protocol 3 with HELLO.
func newMultiRun(t *testing.T, kvAddr, refAddr string, seed uint64, n int, protos []int) *multiRun {
	m := &multiRun{t: t, seed: seed, n: n, compared: map[string]int{}}
	for _, p := range protos {
		m.conns = append(m.conns, &multiConn{kv: dialRaw(t, kvAddr), ref: dialRaw(t, refAddr), proto: p})
	}
	m.t.Logf("seed %d, %d steps, %d connections", seed, n, len(protos))
	return m
}

// hello switches the clients of protocol 3 to it; the replies name each
// server, so only their types are compared.
func (m *multiRun) hello() bool {
	for i, c := range m.conns {
		if c.proto != 3 {
			continue
		}
		kv, ref, ok := m.exchange(i, []string{"HELLO", "3"})
		if !ok {
			return false
		}
		if !sameShape(kv, ref) {
			m.mismatch(i, []string{"HELLO", "3"}, kv, ref)
			return false
		}
	}
	return true
}

// send writes cmd to client i on both servers.
func (m *multiRun) send(i int, cmd []string) {
	m.sent++
	req := encodeCommand(cmd...)
	m.conns[i].kv.send(req)
	m.conns[i].ref.send(req)
}

// exchange sends cmd as client i and reads one reply from each server.
func (m *multiRun) exchange(i int, cmd []string) (kv, ref []byte, ok bool) {
	m.send(i, cmd)
	c := m.conns[i]
	_, ref, refErr := c.ref.readReply(ioTimeout)
	if refErr != nil {
		m.t.Errorf("redis-server: c%d %s: %v", i, quoteCommand(cmd), refErr)
		return nil, nil, false
	}
	_, kv, kvErr := c.kv.readReply(ioTimeout)
	if kvErr != nil {
		m.mismatch(i, cmd, []byte(kvErr.Error()), ref)
		return nil, nil, false
	}
	m.record(i, cmd, kv, ref)
	return kv, ref, true
}

// record keeps a step for the reports and traces it when asked to.
func (m *multiRun) record(i int, cmd []string, kv, ref []byte) {
	line := fmt.Sprintf("#%d c%d> %s -> %q", m.sent, i, quoteCommand(cmd), clip(ref))
	if !bytes.Equal(kv, ref) {
		line += fmt.Sprintf(" (kvrpcd %q)", clip(kv))
	}
	if diffTrace {
		m.t.Log(line)
	}
	m.history = append(m.history, line)
	if len(m.history) > multiHistory {
		m.history = m.history[len(m.history)-multiHistory:]
	}
}

// mismatch records a failure of the reply to client i's cmd.
func (m *multiRun) mismatch(i int, cmd []string, kv, ref []byte) { m.mismatchAt(i, i, cmd, kv, ref) }

// mismatchAt records a failure: what client j received after client i sent
// cmd, with the steps that led to it (in full for the first few).
func (m *multiRun) mismatchAt(i, j int, cmd []string, kv, ref []byte) {
	m.mismatches++
	if len(m.reports) >= maxMismatches {
		return
	}
	who := ""
	if j != i {
		who = fmt.Sprintf(", received by c%d", j)
	}
	r := fmt.Sprintf("  #%d c%d> %s%s\n    kvrpcd:       %q\n    redis-server: %q", m.sent, i, quoteCommand(cmd), who, clip(kv), clip(ref))
	if len(m.reports) < multiDetailed {
		r += "\n    after:\n      " + strings.Join(m.history, "\n      ")
	}
	m.reports = append(m.reports, r)
}

// finish logs how replies were compared and reports the mismatches.
func (m *multiRun) finish() {
	var b strings.Builder
	fmt.Fprintf(&b, "%d commands sent to each server;", m.sent)
	for _, k := range sortedKeys(m.compared) {
		fmt.Fprintf(&b, " %s %d", k, m.compared[k])
	}
	m.t.Log(b.String())
	if m.mismatches > 0 {
		m.t.Errorf("%d mismatches (replay with KVRPCD_DIFF_SEED=%d KVRPCD_DIFF_MULTI_N=%d); the first %d:\n%s",
			m.mismatches, m.seed, m.n, len(m.reports), strings.Join(m.reports, "\n"))
	}
}

func sortedKeys(m map[string]int) []string {
	return slices.Sorted(maps.Keys(m))
}

// resync brings both servers to the same state after a difference: every
// client is RESET (and switched back to its protocol) and the keyspace
// flushed.
func (m *multiRun) resync() bool {
	for i, c := range m.conns {
		// A client may be subscribed or in MULTI: drain what it was sent,
		// then RESET answers +RESET in any state.
		c.kv.readAll(20 * time.Millisecond)
		c.ref.readAll(20 * time.Millisecond)
		kv, ref, ok := m.exchange(i, []string{"RESET"})
		if !ok {
			return false
		}
		if string(kv) != "+RESET\r\n" || string(ref) != "+RESET\r\n" {
			m.t.Errorf("cannot resynchronise c%d: RESET gave %q and %q", i, kv, ref)
			return false
		}
	}
	if !m.hello() {
		return false
	}
	kv, ref, ok := m.exchange(0, []string{"FLUSHALL"})
	if ok && (string(kv) != "+OK\r\n" || string(ref) != "+OK\r\n") {
		m.t.Errorf("cannot resynchronise: FLUSHALL gave %q and %q", kv, ref)
		return false
	}
	return ok
}

// ---- transactions ----

// TestDifferentialTransactions interleaves transactions of four clients
// (one in RESP3) with commands of the others on the keys they watch.
func TestDifferentialTransactions(t *testing.T) {
	seed, n := multiConfig(t, defaultMultiTxN)
	ref := startRedis(t)
	forEachLoop(t, func(t *testing.T, addr string) {
		runTxDifferential(t, addr, ref.addr, seed, n)
	})
}

// txStep is one command of one client; pause is a wait after it, for a key
// given a short time to live to expire.
type txStep struct {
	conn  int
	args  []string
	pause time.Duration
}

// txGen makes the transaction stream. Each client works through a script of
// its own (a transaction, or one command), and the clients' scripts are
// interleaved at random, so a client's WATCH, MULTI and EXEC have the others'
// commands between them.
type txGen struct {
	r       *rand.Rand
	scripts [][]txStep
}

// The transaction stream's keys: few, so that clients keep meeting each
// other's keys, of every type.
var (
	txStringKeys = []string{"a", "b", "n"}
	txKeys       = []string{"a", "b", "n", "s", "l", "h", "missing"}
	txValues     = []string{"1", "2", "x"}
	txMembers    = []string{"m1", "m2"}
)

func newTxGen(seed uint64, conns int) *txGen {
	return &txGen{r: rand.New(rand.NewPCG(seed, seed^0x7478)), scripts: make([][]txStep, conns)}
}

func (g *txGen) pick(s []string) string { return s[g.r.IntN(len(s))] }
func (g *txGen) chance(p float64) bool  { return g.r.Float64() < p }

// next returns the next step of a client picked at random.
func (g *txGen) next() txStep {
	c := g.r.IntN(len(g.scripts))
	if len(g.scripts[c]) == 0 {
		g.scripts[c] = g.script(c)
	}
	s := g.scripts[c][0]
	g.scripts[c] = g.scripts[c][1:]
	return s
}

// forget drops every client's script, after the clients were reset.
func (g *txGen) forget() {
	for i := range g.scripts {
		g.scripts[i] = nil
	}
}

// script returns the next script of client c.
func (g *txGen) script(c int) []txStep {
	step := func(args ...string) txStep { return txStep{conn: c, args: args} }
	switch x := g.r.Float64(); {
	case x < 0.45:
		return g.transaction(c)
	case x < 0.50:
		// A key with a short time to live, and a wait until it expired.
		ms := 1 + g.r.IntN(5)
		return []txStep{{conn: c, args: []string{"PEXPIRE", g.pick(txKeys), strconv.Itoa(ms)}, pause: time.Duration(ms+15) * time.Millisecond}}
	case x < 0.53:
		return []txStep{step(g.pick([]string{"EXEC", "DISCARD", "UNWATCH"}))}
	default:
		return []txStep{step(g.command(false)...)}
	}
}

// transaction returns a transaction: WATCH (mostly), MULTI, queued commands
// with now and then a queuing error or a command that fails inside EXEC,
// then EXEC or DISCARD.
func (g *txGen) transaction(c int) []txStep {
	var s []txStep
	add := func(args ...string) { s = append(s, txStep{conn: c, args: args}) }
	if g.chance(0.8) {
		add(append([]string{"WATCH"}, g.keys(1, 3)...)...)
		if g.chance(0.2) {
			add("WATCH", g.pick(txKeys))
		}
	}
	if g.chance(0.08) {
		add("UNWATCH")
	}
	if g.chance(0.05) {
		add("SELECT", g.pick([]string{"0", "1"}))
	}
	add("MULTI")
	for range 1 + g.r.IntN(4) {
		switch x := g.r.Float64(); {
		case x < 0.03:
			add("MULTI") // nested: an error that does not abort
		case x < 0.06:
			add("WATCH", g.pick(txKeys)) // inside MULTI: an error that does not abort
		case x < 0.10:
			add(g.pick([]string{"GET", "SET", "NOSUCHCMD", "EXPIRE"})) // queuing error: EXECABORT
		default:
			add(g.command(true)...)
		}
	}
	if g.chance(0.85) {
		add("EXEC")
	} else {
		add("DISCARD")
	}
	return s
}

// keys returns lo to hi keys, repeats allowed.
func (g *txGen) keys(lo, hi int) []string {
	out := make([]string, lo+g.r.IntN(hi-lo+1))
	for i := range out {
		out[i] = g.pick(txKeys)
	}
	return out
}

// command returns one command on the stream's keys: writes that modify,
// writes that leave the key as it was (which Redis does not count as a
// modification for WATCH), reads, and keyspace-wide commands. Inside MULTI
// (queued) no short time to live is set: it would expire at a moment that
// depends on each server's speed.
func (g *txGen) command(queued bool) []string {
	k, v, m := g.pick(txKeys), g.pick(txValues), g.pick(txMembers)
	sk := g.pick(txStringKeys)
	switch g.r.IntN(34) {
	case 0, 1:
		return []string{"SET", sk, v}
	case 2:
		return []string{"INCR", sk}
	case 3:
		return []string{"GET", k}
	case 4:
		return []string{"DEL", k}
	case 5:
		return []string{"DEL", "missing"}
	case 6:
		return []string{"EXISTS", k, g.pick(txKeys)}
	case 7:
		return []string{"APPEND", sk, v}
	case 8:
		return []string{"SADD", "s", m}
	case 9:
		return []string{"SREM", "s", m}
	case 10:
		return []string{"SISMEMBER", "s", m}
	case 11:
		return []string{"SCARD", k}
	case 12:
		return []string{"LPUSH", "l", v}
	case 13:
		return []string{"LPOP", "l"}
	case 14:
		return []string{"LRANGE", "l", "0", "-1"}
	case 15:
		return []string{"HSET", "h", m, v}
	case 16:
		return []string{"HGET", "h", m}
	case 17:
		return []string{"HSETNX", "h", m, v}
	case 18:
		return []string{"SETNX", sk, v}
	case 19:
		return []string{"EXPIRE", k, "100"}
	case 20:
		return []string{"PERSIST", k}
	case 21:
		return []string{"TTL", k}
	case 22:
		return []string{"TYPE", k}
	case 23:
		return []string{"TOUCH", k}
	case 24:
		return []string{"RENAME", k, g.pick(txKeys)}
	case 25:
		return []string{"MOVE", k, "1"}
	case 26:
		return []string{"SWAPDB", "0", "1"}
	case 27:
		if g.chance(0.3) {
			return []string{"FLUSHALL"}
		}
		return []string{"FLUSHDB"}
	case 28:
		return []string{"SELECT", g.pick([]string{"0", "1"})}
	case 29:
		return []string{"INCRBY", k, "2"} // WRONGTYPE or not an integer, often
	case 30:
		return []string{"MSET", sk, v, g.pick(txStringKeys), v}
	case 31:
		return []string{"GETDEL", sk}
	case 32:
		return []string{"COPY", k, g.pick(txKeys)}
	default:
		if queued {
			return []string{"PEXPIRE", k, "100000"}
		}
		return []string{"LREM", "l", "0", "nothing"}
	}
}

// runTxDifferential runs the transaction stream on one kvrpcd.
func runTxDifferential(t *testing.T, kvAddr, refAddr string, seed uint64, n int) {
	m := newMultiRun(t, kvAddr, refAddr, seed, n, []int{2, 2, 2, 3})
	defer m.finish()
	if !m.hello() {
		return
	}
	if kv, ref, ok := m.exchange(0, []string{"FLUSHALL"}); !ok || string(kv) != string(ref) {
		t.Fatalf("FLUSHALL: %q and %q", kv, ref)
	}
	g := newTxGen(seed, len(m.conns))
	for range n {
		s := g.next()
		kv, ref, ok := m.exchange(s.conn, s.args)
		if !ok {
			return
		}
		if s.pause > 0 {
			time.Sleep(s.pause)
		}
		m.compared["exact"]++
		if bytes.Equal(kv, ref) {
			continue
		}
		m.mismatch(s.conn, s.args, kv, ref)
		g.forget()
		if !m.resync() {
			return
		}
	}
}

// ---- pub/sub ----

// TestDifferentialPubSub runs subscribers and publishers on five clients
// (two in RESP3) with channels, patterns and shard channels, and compares
// every reply and message each client receives. After each step every
// client sends a PING with a marker of its own, so everything the step
// caused arrives before the marker's reply.
//
// Redis keeps channels and patterns in hash tables with a random seed, so
// three orders are its own and are compared regardless of order: PUBSUB
// CHANNELS and SHARDCHANNELS (as sets), the pmessages of one PUBLISH to a
// client with several matching patterns, and the confirmations of UNSUBSCRIBE
// and SUNSUBSCRIBE without arguments (the names as a set, the counts in order).
func TestDifferentialPubSub(t *testing.T) {
	seed, n := multiConfig(t, defaultMultiPubSubN)
	ref := startRedis(t)
	forEachLoop(t, func(t *testing.T, addr string) {
		runPubSubDifferential(t, addr, ref.addr, seed, n)
	})
}

// Channels and patterns of the pub/sub stream: the patterns hold every
// construct of Redis's glob matching and its edge cases (escapes, ranges
// reversed or open, negated classes, unclosed brackets), and the channels
// meet them.
var (
	psChannels = []string{"news", "nexs", "news.eu", "news.us.ny", "hello", "hallo", "hbllo", "hllo", "heello",
		"h*llo", "h[llo", "h]llo", "a]b", `\`, "", "*", "?", "x", "h-llo", "hzllo", "n\xc3\xa9ws", "[", "ab"}
	psPatterns = []string{"*", "news*", "news.*", "n?ws", "n??s.*", "h[ae]llo", "h[^e]llo", "h[a-b]llo",
		"h[b-a]llo", `h\*llo`, "h*llo", "h?llo", "[", "a[", `\`, `a\`, "a]b", "[]", "[]]", "**", "*s*",
		"h[\\]]llo", "h[a-]llo", "h[-z]llo", "[^a-z]*", "???", "", "h[!e]llo", "*[", `[\`, "n*.*.ny", "h[^]llo"}
)

// psGen makes the pub/sub stream.
type psGen struct {
	r       *rand.Rand
	conns   int
	n       int        // payloads made, to tell messages apart
	pending [][]string // commands that bring client 2 or 3 back to RESP3, sent first
	pendTo  int
}

func (g *psGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// names returns lo to hi names from pool, repeats allowed.
func (g *psGen) names(pool []string, lo, hi int) []string {
	out := make([]string, lo+g.r.IntN(hi-lo+1))
	for i := range out {
		out[i] = g.pick(pool)
	}
	return out
}

func (g *psGen) payload() string {
	g.n++
	switch g.r.IntN(10) {
	case 0:
		return ""
	case 1:
		return "bin\x00\r\n" + strconv.Itoa(g.n)
	default:
		return "p" + strconv.Itoa(g.n)
	}
}

// next returns the next client and its command. Clients 0 and 1 (RESP2) and
// 2 and 3 (RESP3) mostly subscribe; 2, 3 and 4 publish, for a RESP2
// subscriber can only try.
func (g *psGen) next() (int, []string) {
	if len(g.pending) > 0 {
		cmd := g.pending[0]
		g.pending = g.pending[1:]
		return g.pendTo, cmd
	}
	c, cmd := g.draw()
	if (c == 2 || c == 3) && (cmd[0] == "RESET" || cmd[0] == "HELLO" && cmd[1] == "2") {
		// A RESP2 subscriber cannot send HELLO: RESET first.
		g.pendTo, g.pending = c, [][]string{{"HELLO", "3"}}
		if cmd[0] == "HELLO" {
			g.pending = append([][]string{{"PING"}, {"RESET"}}, g.pending...)
		}
	}
	return c, cmd
}

// draw picks the next client and command at random.
func (g *psGen) draw() (int, []string) {
	sub := g.r.IntN(4)
	pub := 2 + g.r.IntN(3)
	if g.r.IntN(20) == 0 {
		pub = g.r.IntN(2)
	}
	any := g.r.IntN(g.conns)
	with := func(cmd string, args ...string) []string { return append([]string{cmd}, args...) }
	switch x := g.r.IntN(100); {
	case x < 10:
		return sub, with("SUBSCRIBE", g.names(psChannels, 1, 3)...)
	case x < 20:
		return sub, with("PSUBSCRIBE", g.names(psPatterns, 1, 3)...)
	case x < 25:
		return sub, with("SSUBSCRIBE", g.names(psChannels, 1, 2)...)
	case x < 30:
		return sub, with("UNSUBSCRIBE", g.names(psChannels, 0, 2)...)
	case x < 35:
		return sub, with("PUNSUBSCRIBE", g.names(psPatterns, 0, 2)...)
	case x < 38:
		return sub, with("SUNSUBSCRIBE", g.names(psChannels, 0, 2)...)
	case x < 66:
		return pub, with("PUBLISH", g.pick(psChannels), g.payload())
	case x < 73:
		return pub, with("SPUBLISH", g.pick(psChannels), g.payload())
	case x < 76:
		if g.r.IntN(2) == 0 {
			return any, with("PUBSUB", "CHANNELS")
		}
		return any, with("PUBSUB", "CHANNELS", g.pick(psPatterns))
	case x < 79:
		return any, with("PUBSUB", append([]string{"NUMSUB"}, g.names(psChannels, 0, 3)...)...)
	case x < 81:
		return any, with("PUBSUB", "NUMPAT")
	case x < 83:
		if g.r.IntN(2) == 0 {
			return any, with("PUBSUB", "SHARDCHANNELS")
		}
		return any, with("PUBSUB", "SHARDCHANNELS", g.pick(psPatterns))
	case x < 85:
		return any, with("PUBSUB", append([]string{"SHARDNUMSUB"}, g.names(psChannels, 0, 3)...)...)
	case x < 89:
		if g.r.IntN(2) == 0 {
			return any, with("PING")
		}
		return any, with("PING", g.payload())
	case x < 92:
		return any, with("GET", "k") // not allowed to a RESP2 subscriber
	case x < 94:
		return any, with(g.pick([]string{"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "PUBLISH", "PUBSUB"})) // arity
	case x < 95:
		return any, with("PUBSUB", g.pick([]string{"NOSUCH", "NUMPAT", "CHANNELS"}), "x", "y")
	case x < 97:
		return sub, with("HELLO", g.pick([]string{"2", "3"}))
	default:
		return any, with("RESET")
	}
}

// runPubSubDifferential runs the pub/sub stream on one kvrpcd.
func runPubSubDifferential(t *testing.T, kvAddr, refAddr string, seed uint64, n int) {
	m := newMultiRun(t, kvAddr, refAddr, seed, n, []int{2, 2, 3, 3, 2})
	defer m.finish()
	if !m.hello() {
		return
	}
	g := &psGen{r: rand.New(rand.NewPCG(seed, seed^0x7073)), conns: len(m.conns)}
	for step := range n {
		i, cmd := g.next()
		if !m.pubsubStep(step, i, cmd) {
			return
		}
	}
}

// pubsubStep sends cmd as client i with a marked PING after it; once that
// PING is answered the command has had all its effects, and a marked PING
// from every other client collects the messages it caused. What each client
// received up to its marker is compared between the servers.
func (m *multiRun) pubsubStep(step, i int, cmd []string) bool {
	marker := func(j int) string { return fmt.Sprintf("sync-%d-%d", step, j) }
	m.send(i, cmd)
	m.send(i, []string{"PING", marker(i)})
	got := make([][2][][]byte, len(m.conns)) // kvrpcd's and redis-server's
	if !m.collect(i, cmd, marker(i), &got[i]) {
		return false
	}
	for j := range m.conns {
		if j != i {
			m.send(j, []string{"PING", marker(j)})
		}
	}
	for j := range m.conns {
		if j != i && !m.collect(i, cmd, marker(j), &got[j]) {
			return false
		}
	}
	m.record(i, cmd, bytes.Join(got[i][0], nil), bytes.Join(got[i][1], nil))
	differ := false
	for j := range m.conns {
		kv, ref := got[j][0], got[j][1]
		how, same := comparePubSub(cmd, j == i, kv, ref)
		m.compared[how]++
		if !same {
			m.mismatchAt(i, j, cmd, bytes.Join(kv, nil), bytes.Join(ref, nil))
			differ = true
		}
	}
	if differ {
		return m.resync()
	}
	return true
}

// collect reads what client j (the one whose marker is given) received on
// each server up to the reply to its marked PING.
func (m *multiRun) collect(i int, cmd []string, marker string, into *[2][][]byte) bool {
	j := 0
	fmt.Sscanf(marker[strings.LastIndexByte(marker, '-')+1:], "%d", &j)
	suffix := []byte("\r\n" + marker + "\r\n")
	ref, err := readUntil(m.conns[j].ref, suffix)
	if err != nil {
		m.t.Errorf("redis-server: c%d after c%d> %s: %v", j, i, quoteCommand(cmd), err)
		return false
	}
	kv, err := readUntil(m.conns[j].kv, suffix)
	if err != nil {
		m.mismatchAt(i, j, cmd, fmt.Appendf(bytes.Join(kv, nil), " [%v]", err), bytes.Join(ref, nil))
		return false
	}
	into[0], into[1] = kv, ref
	return true
}

// readUntil reads replies up to and including the one that ends with suffix.
func readUntil(c *rawConn, suffix []byte) ([][]byte, error) {
	var out [][]byte
	for {
		_, raw, err := c.readReply(ioTimeout)
		if err != nil {
			return out, err
		}
		out = append(out, raw)
		if bytes.HasSuffix(raw, suffix) {
			return out, nil
		}
	}
}

// comparePubSub compares what one client received after cmd (its own reply
// first when sender) and says how.
func comparePubSub(cmd []string, sender bool, kv, ref [][]byte) (how string, same bool) {
	if slices.EqualFunc(kv, ref, bytes.Equal) {
		return "exact", true
	}
	if len(kv) != len(ref) {
		return "exact", false
	}
	name := strings.ToUpper(cmd[0])
	if name == "PUBSUB" && len(cmd) > 1 {
		name += " " + strings.ToUpper(cmd[1])
	}
	rest := func(from int) bool { return slices.EqualFunc(kv[from:], ref[from:], bytes.Equal) }
	switch {
	case sender && (name == "PUBSUB CHANNELS" || name == "PUBSUB SHARDCHANNELS"):
		return "set", sameMultisets(kv[0], ref[0], false) && rest(1)
	case sender && strings.HasPrefix(name, "HELLO"):
		if ref[0][0] == '-' {
			return "exact", false
		}
		return "shape", sameShape(kv[0], ref[0]) && rest(1)
	case name == "PUBLISH" || (sender && len(cmd) == 1 && (name == "UNSUBSCRIBE" || name == "SUNSUBSCRIBE")):
		return "unordered", sameUnordered(kv, ref)
	}
	return "exact", false
}

// sameUnordered compares two runs of replies regardless of their order,
// except for the subscription counts that confirmations end with, which
// must come in the same order.
func sameUnordered(a, b [][]byte) bool {
	ia, ca := unorderedItems(a)
	ib, cb := unorderedItems(b)
	return slices.Equal(ia, ib) && slices.Equal(ca, cb)
}

// unorderedItems renders replies sorted, with the counts of subscription
// confirmations taken out into a list of their own.
func unorderedItems(replies [][]byte) (items []string, counts []int64) {
	for _, raw := range replies {
		v, _, err := resp.ParseReply(raw)
		if err != nil {
			items = append(items, string(raw))
			continue
		}
		if n := len(v.Elems); n == 3 && v.Elems[2].Kind == resp.KindInt && strings.HasSuffix(strings.ToLower(string(v.Elems[0].Str)), "subscribe") {
			counts = append(counts, v.Elems[2].Int)
			v.Elems = v.Elems[:2]
		}
		items = append(items, string(v.Kind)+render(v))
	}
	slices.Sort(items)
	return items, counts
}
