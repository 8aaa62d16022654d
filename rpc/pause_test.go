package rpc

import (
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/store"
)

// wakeConn is a Conn that counts its wakes, so a test can serve them as a loop would.
type wakeConn struct {
	peerConn
	wakes atomic.Int32
}

func (w *wakeConn) Wake() { w.wakes.Add(1) }

// pauseSession is a client driven like a loop drives one: input kept while it is blocked,
// Resume on a wake.
type pauseSession struct {
	t    *testing.T
	c    *Client
	conn *wakeConn
	in   []byte // input not yet consumed
}

func newPauseSession(t *testing.T, srv *Server) *pauseSession {
	t.Helper()
	conn := &wakeConn{peerConn: peerConn{remote: "127.0.0.1:" + strconv.Itoa(40000+int(nextTestPort.Add(1))), local: "127.0.0.1:6379"}}
	s := &pauseSession{t: t, conn: conn}
	s.c = srv.Connect(conn)
	t.Cleanup(s.c.Release)
	return s
}

// send queues commands and processes what the client may run now; it returns the output.
func (s *pauseSession) send(cmds ...[]string) string {
	for _, c := range cmds {
		s.in = append(s.in, respCommand(c...)...)
	}
	return s.run()
}

// run processes the kept input while the client is not blocked and returns the output.
func (s *pauseSession) run() string {
	for len(s.in) > 0 && !s.c.Blocked() {
		n := s.c.Process(s.in)
		s.in = s.in[n:]
		if n == 0 {
			break
		}
	}
	out := string(s.c.Output())
	s.c.ResetOutput()
	return out
}

// resume serves a wake as a loop does: Resume, then the kept input.
func (s *pauseSession) resume() string {
	s.c.Resume()
	out := string(s.c.Output())
	s.c.ResetOutput()
	return out + s.run()
}

// waitWake waits (at most 2 s) for a wake.
func (s *pauseSession) waitWake(from int32) {
	s.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for s.conn.wakes.Load() == from {
		if time.Now().After(deadline) {
			s.t.Fatal("no wake")
		}
		time.Sleep(time.Millisecond)
	}
}

func pcmd(args ...string) []string { return args }

func TestClientPauseWrite(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b, r := newPauseSession(t, srv), newPauseSession(t, srv), newPauseSession(t, srv)
	if got := a.send(pcmd("client", "pause", "100000", "write")); got != "+OK\r\n" {
		t.Fatalf("pause: %q", got)
	}
	// Writes (and PUBLISH, PFCOUNT) wait; the commands behind them too; reads go on.
	if got := b.send(pcmd("set", "k", "v"), pcmd("get", "k")); got != "" {
		t.Fatalf("write during pause: %q", got)
	}
	if !b.c.Blocked() {
		t.Fatal("paused client not Blocked")
	}
	if got := r.send(pcmd("get", "k"), pcmd("publish", "ch", "m")); got != "$-1\r\n" {
		t.Fatalf("read during write pause: %q", got)
	}
	if got := a.send(pcmd("info", "clients")); !strings.Contains(got, "blocked_clients:2\r\n") {
		t.Fatalf("INFO during pause: %q", got)
	}
	list := a.send(pcmd("client", "list"))
	if !strings.Contains(list, "flags=b db=0") || !strings.Contains(list, "argv-mem=5 ") || !strings.Contains(list, "cmd=set ") {
		t.Fatalf("CLIENT LIST of a paused client: %q", list)
	}
	wb, wr := b.conn.wakes.Load(), r.conn.wakes.Load()
	if got := a.send(pcmd("client", "unpause")); got != "+OK\r\n" {
		t.Fatalf("unpause: %q", got)
	}
	b.waitWake(wb)
	r.waitWake(wr)
	if got := b.resume(); got != "+OK\r\n$1\r\nv\r\n" {
		t.Fatalf("after unpause: %q", got)
	}
	if got := r.resume(); got != ":0\r\n" {
		t.Fatalf("publish after unpause: %q", got)
	}
	if got := a.send(pcmd("info", "clients")); !strings.Contains(got, "blocked_clients:0\r\n") {
		t.Fatalf("INFO after pause: %q", got)
	}
}

func TestClientPauseMulti(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b, r := newPauseSession(t, srv), newPauseSession(t, srv), newPauseSession(t, srv)
	// A write queued before the pause holds EXEC; a read-only transaction runs.
	b.send(pcmd("multi"), pcmd("set", "k", "1"))
	r.send(pcmd("multi"), pcmd("get", "k"))
	a.send(pcmd("client", "pause", "100000", "write"))
	if got := b.send(pcmd("exec")); got != "" {
		t.Fatalf("EXEC with a write during pause: %q", got)
	}
	if got := r.send(pcmd("exec")); got != "*1\r\n$-1\r\n" {
		t.Fatalf("read-only EXEC during pause: %q", got)
	}
	// In MULTI, the pause applies when a write is queued, as in Redis.
	if got := r.send(pcmd("multi"), pcmd("incr", "n")); got != "+OK\r\n" {
		t.Fatalf("MULTI, INCR during pause: %q", got)
	}
	list := a.send(pcmd("client", "list"))
	// b waits in EXEC with SET k 1 queued (multi-mem: 5 bytes of arguments and a pointer
	// each, as Redis counts); r waits with its INCR not yet queued.
	if !strings.Contains(list, "flags=xb db=0 sub=0 psub=0 ssub=0 multi=1 qbuf=0 qbuf-free=0 argv-mem=4 multi-mem=29 ") ||
		!strings.Contains(list, "flags=xb db=0 sub=0 psub=0 ssub=0 multi=0 qbuf=0 qbuf-free=0 argv-mem=5 multi-mem=0 ") {
		t.Fatalf("CLIENT LIST of a transaction: %q", list)
	}
	wb, wr := b.conn.wakes.Load(), r.conn.wakes.Load()
	a.send(pcmd("client", "unpause"))
	b.waitWake(wb)
	r.waitWake(wr)
	if got := b.resume(); got != "*1\r\n+OK\r\n" {
		t.Fatalf("EXEC after unpause: %q", got)
	}
	if got := r.resume() + r.send(pcmd("exec")); got != "+QUEUED\r\n*1\r\n:1\r\n" {
		t.Fatalf("queued INCR after unpause: %q", got)
	}
}

func TestClientPauseAllTimer(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b := newPauseSession(t, srv), newPauseSession(t, srv)
	start := time.Now()
	a.send(pcmd("client", "pause", "150", "write"))
	a.send(pcmd("client", "pause", "50", "all")) // ALL now, until the later end
	if got := b.send(pcmd("ping")); got != "" {
		t.Fatalf("PING under ALL: %q", got)
	}
	// Under ALL even UNPAUSE waits, as in Redis.
	if got := a.send(pcmd("client", "unpause")); got != "" {
		t.Fatalf("UNPAUSE under ALL: %q", got)
	}
	wb := b.conn.wakes.Load()
	b.waitWake(wb)
	if d := time.Since(start); d < 140*time.Millisecond {
		t.Fatalf("pause ended after %v, want the longer 150ms", d)
	}
	if got := b.resume(); got != "+PONG\r\n" {
		t.Fatalf("after the pause: %q", got)
	}
	if got := a.resume(); got != "+OK\r\n" {
		t.Fatalf("UNPAUSE after the pause: %q", got)
	}
}

func TestClientPauseEases(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b, w := newPauseSession(t, srv), newPauseSession(t, srv), newPauseSession(t, srv)
	a.send(pcmd("client", "pause", "100000", "all"))
	b.send(pcmd("get", "k"))
	w.send(pcmd("set", "k", "v"))
	wb, ww := b.conn.wakes.Load(), w.conn.wakes.Load()
	// From ALL to WRITE: the read runs, the write waits again.
	srv.pauseClients(pauseWrite, time.Now().Add(time.Minute).UnixMilli())
	b.waitWake(wb)
	w.waitWake(ww)
	if got := b.resume(); got != "$-1\r\n" {
		t.Fatalf("read after easing: %q", got)
	}
	if got := w.resume(); got != "" || !w.c.Blocked() {
		t.Fatalf("write after easing: %q", got)
	}
	ww = w.conn.wakes.Load()
	srv.unpauseClients()
	w.waitWake(ww)
	if got := w.resume(); got != "+OK\r\n" {
		t.Fatalf("write after unpause: %q", got)
	}
}

func TestClientPauseErrors(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"client", "pause"}, "(error) ERR wrong number of arguments for 'client|pause' command"},
		{[]string{"client", "pause", "abc"}, "(error) ERR timeout is not an integer or out of range"},
		{[]string{"client", "pause", "1.5"}, "(error) ERR timeout is not an integer or out of range"},
		{[]string{"client", "pause", "-1"}, "(error) ERR timeout is negative"},
		{[]string{"client", "pause", "abc", "foo"}, "(error) ERR CLIENT PAUSE mode must be WRITE or ALL"},
		{[]string{"client", "pause", "10", "write", "x"}, "(error) ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP."},
		{[]string{"client", "unpause", "x"}, "(error) ERR wrong number of arguments for 'client|unpause' command"},
		{[]string{"client", "pause", "0"}, "OK"},
		{[]string{"client", "pause", "9223372036854775807", "all"}, "OK"}, // overflows: no pause, as Redis
		{[]string{"ping"}, "PONG"},
	} {
		if got := s.str(tc.args...); got != tc.want {
			t.Errorf("%q = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestPauseStopsActiveExpiry(t *testing.T) {
	srv := newConnServer(t, "enable-debug-command yes", Options{})
	srv.pauseClients(pauseWrite, time.Now().Add(time.Minute).UnixMilli())
	srv.setActiveExpire(false) // DEBUG SET-ACTIVE-EXPIRE 0 during the pause
	srv.unpauseClients()
	if srv.pause.expireWanted.Load() {
		t.Fatal("the wish of DEBUG SET-ACTIVE-EXPIRE was lost")
	}
	srv.setActiveExpire(true)
	if !srv.pause.expireWanted.Load() {
		t.Fatal("setActiveExpire(true) not recorded")
	}
}

func TestClientReply(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newPauseSession(t, srv)
	for _, tc := range []struct {
		cmds [][]string
		want string
	}{
		{[][]string{{"client", "reply", "skip"}, {"set", "x", "1"}, {"get", "x"}}, "$1\r\n1\r\n"},
		{[][]string{{"client", "reply", "skip"}, {"client", "reply", "skip"}, {"get", "x"}, {"get", "x"}}, "$1\r\n1\r\n"},
		{[][]string{{"client", "reply", "skip"}, {"client", "reply", "on"}, {"get", "x"}}, "+OK\r\n$1\r\n1\r\n"},
		{[][]string{{"client", "reply", "off"}, {"get", "x"}, {"foo"}, {"client", "reply", "skip"}, {"get", "x"},
			{"client", "reply", "on"}, {"get", "x"}}, "+OK\r\n$1\r\n1\r\n"},
		{[][]string{{"client", "reply", "off"}, {"reset"}, {"get", "x"}}, "+RESET\r\n$1\r\n1\r\n"},
		{[][]string{{"client", "reply", "xx"}}, "-ERR syntax error\r\n"},
		{[][]string{{"client", "reply"}}, "-ERR wrong number of arguments for 'client|reply' command\r\n"},
	} {
		if got := s.send(tc.cmds...); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.cmds, got, tc.want)
		}
	}
	if got := srv.counts.errorReplies.Load(); got != 3 {
		t.Errorf("error replies counted: %d, want 3 (suppressed ones count, as in Redis)", got)
	}
}

func TestClientReplySkipBlocked(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b := newPauseSession(t, srv), newPauseSession(t, srv)
	if got := a.send(pcmd("client", "reply", "skip"), pcmd("blpop", "l", "0")); got != "" {
		t.Fatalf("SKIP, BLPOP: %q", got)
	}
	wa := a.conn.wakes.Load()
	b.send(pcmd("rpush", "l", "z"))
	a.waitWake(wa)
	if got := a.resume() + a.send(pcmd("ping")); got != "+PONG\r\n" {
		t.Fatalf("skipped BLPOP served: %q", got)
	}
}

func TestClientReplySkipPaused(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b := newPauseSession(t, srv), newPauseSession(t, srv)
	a.send(pcmd("client", "pause", "100000", "write"))
	if got := b.send(pcmd("client", "reply", "skip"), pcmd("set", "k", "v"), pcmd("get", "k")); got != "" {
		t.Fatalf("during pause: %q", got)
	}
	wb := b.conn.wakes.Load()
	a.send(pcmd("client", "unpause"))
	b.waitWake(wb)
	if got := b.resume(); got != "$1\r\nv\r\n" {
		t.Fatalf("skipped SET after the pause: %q", got)
	}
}

func TestClientReplyPushes(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b := newPauseSession(t, srv), newPauseSession(t, srv)
	a.send(pcmd("hello", "3"), pcmd("subscribe", "ch"), pcmd("client", "reply", "off"))
	b.send(pcmd("publish", "ch", "m"))
	if got := a.resume(); got != ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n" {
		t.Fatalf("push under REPLY OFF: %q (Redis 7.0 delivers it)", got)
	}
}

func TestClientListFields(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, w := newPauseSession(t, srv), newPauseSession(t, srv)
	w.send(pcmd("set", "k", "1"), pcmd("watch", "k"))
	a.send(pcmd("set", "k", "2"))
	info := a.send(pcmd("client", "info"))
	for _, want := range []string{"flags=N ", "multi=-1 ", "qbuf=26 ", "argv-mem=10 ", "cmd=client|info "} {
		if !strings.Contains(info, want) {
			t.Errorf("CLIENT INFO %q lacks %q", info, want)
		}
	}
	list := a.send(pcmd("client", "list", "id", strconv.FormatUint(w.c.id, 10)))
	if !strings.Contains(list, " flags=d ") {
		t.Errorf("watcher of a modified key: %q, want flags=d", list)
	}
	fields := strings.Fields(strings.TrimPrefix(strings.SplitN(info, "\r\n", 2)[1], "txt:"))
	var names []string
	for _, f := range fields {
		names = append(names, f[:strings.IndexByte(f, '=')])
	}
	want := "id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp lib-name lib-ver"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("fields:\n%s\nwant (Redis 7.0's, then 7.2's lib-name and lib-ver)\n%s", got, want)
	}
}

func TestMemoryUsage(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	s.str("rpush", "l", "a", "b", "c")
	v := srv.store.Peek(0, []byte("l"))
	want := v.MemoryUsage(store.DefaultMemorySamples)
	for _, args := range [][]string{
		{"memory", "usage", "l"},
		{"memory", "usage", "l", "samples", "5"},
		{"memory", "usage", "l", "SAMPLES", "1", "samples", "5"},
	} {
		if got := s.do(args...); got.Int != int64(want) {
			t.Errorf("%q = %v, want %d", args, got, want)
		}
	}
	if got := s.do("memory", "usage", "l", "samples", "0").Int; got != int64(v.MemoryUsage(0)) {
		t.Errorf("SAMPLES 0 = %d", got)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"memory", "usage", "nokey"}, "(nil)"},
		{[]string{"memory", "usage", "l", "samples"}, "(error) ERR syntax error"},
		{[]string{"memory", "usage", "l", "samples", "x"}, "(error) ERR value is not an integer or out of range"},
		{[]string{"memory", "usage", "l", "samples", "-1"}, "(error) ERR syntax error"},
		{[]string{"memory", "usage", "nokey", "foo", "1"}, "(error) ERR syntax error"},
		{[]string{"memory", "usage"}, "(error) ERR wrong number of arguments for 'memory|usage' command"},
		{[]string{"memory", "purge"}, "OK"},
		{[]string{"memory", "purge", "x"}, "(error) ERR wrong number of arguments for 'memory|purge' command"},
		{[]string{"memory", "foo"}, "(error) ERR unknown subcommand 'foo'. Try MEMORY HELP."},
	} {
		if got := s.str(tc.args...); got != tc.want {
			t.Errorf("%q = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestMemoryStats(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	s.str("set", "a", "1")
	s.str("select", "3")
	s.str("set", "b", "1")
	s.str("hello", "3")
	m := s.do("memory", "stats")
	var names []string
	got := map[string]int64{}
	for i := 0; i+1 < len(m.Elems); i += 2 {
		name := string(m.Elems[i].Str)
		names = append(names, name)
		got[name] = m.Elems[i+1].Int
	}
	want := "peak.allocated total.allocated startup.allocated replication.backlog clients.slaves clients.normal " +
		"cluster.links aof.buffer lua.caches functions.caches db.0 db.3 overhead.total keys.count keys.bytes-per-key " +
		"dataset.bytes dataset.percentage peak.percentage allocator.allocated allocator.active allocator.resident " +
		"allocator-fragmentation.ratio allocator-fragmentation.bytes allocator-rss.ratio allocator-rss.bytes " +
		"rss-overhead.ratio rss-overhead.bytes fragmentation fragmentation.bytes"
	if strings.Join(names, " ") != want {
		t.Fatalf("MEMORY STATS fields:\n%s\nwant\n%s", strings.Join(names, " "), want)
	}
	if got["keys.count"] != 2 || got["total.allocated"] <= 0 || got["peak.allocated"] < got["total.allocated"] ||
		got["allocator.active"] < got["allocator.allocated"] {
		t.Errorf("MEMORY STATS figures: %v", got)
	}
	if doc := s.str("memory", "doctor"); !strings.Contains(doc, "Sam") {
		t.Errorf("MEMORY DOCTOR: %q", doc)
	}
	if ms := s.str("memory", "malloc-stats"); !strings.Contains(ms, "/memory/classes/heap/objects:bytes") {
		t.Errorf("MEMORY MALLOC-STATS: %q", ms)
	}
}

func TestDoctorReport(t *testing.T) {
	small := memStats{total: 1 << 20, peak: 1 << 20}
	if got := doctorReport(small, 0); !strings.Contains(got, "this instance is empty or is using very little memory") {
		t.Errorf("small: %q", got)
	}
	fine := memStats{total: 64 << 20, peak: 70 << 20, allocated: 64 << 20, active: 66 << 20, processRSS: 80 << 20}
	if got := doctorReport(fine, 0); got != "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base." {
		t.Errorf("fine: %q", got)
	}
	peaked := fine
	peaked.peak = 200 << 20
	if got := doctorReport(peaked, 0); !strings.Contains(got, "Peak memory") || !strings.HasPrefix(got, "Sam, I detected a few issues") {
		t.Errorf("peaked: %q", got)
	}
}
