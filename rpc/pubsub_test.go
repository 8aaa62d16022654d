package rpc

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// raw runs one command and returns everything it wrote, as bytes.
func (s *connSession) raw(args ...string) string {
	s.t.Helper()
	in := respCommand(args...)
	if n := s.c.Process(in); n != len(in) {
		s.t.Fatalf("%q: Process consumed %d of %d bytes", args, n, len(in))
	}
	out := string(s.c.Output())
	s.c.ResetOutput()
	return out
}

// delivered resumes the client, as its loop does after a wake, and returns the output that
// produced.
func (s *connSession) delivered() string {
	s.c.Resume()
	out := string(s.c.Output())
	s.c.ResetOutput()
	return out
}

// push2 and push3 encode a pub/sub frame of bulk strings as RESP2 and RESP3 send it.
func push2(elems ...string) string { return frame('*', elems) }
func push3(elems ...string) string { return frame('>', elems) }

func frame(kind byte, elems []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%c%d\r\n", kind, len(elems))
	for _, e := range elems {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(e), e)
	}
	return b.String()
}

func TestPubSubMessages(t *testing.T) {
	for _, tt := range []struct {
		proto string
		push  func(...string) string
	}{
		{"2", push2},
		{"3", push3},
	} {
		t.Run("RESP"+tt.proto, func(t *testing.T) {
			srv := newConnServer(t, "", Options{})
			sub, pub := newConnSession(t, srv), newConnSession(t, srv)
			sub.do("HELLO", tt.proto)
			push := tt.push
			conf := func(kind, name string, n int) string {
				return strings.TrimSuffix(push(kind, name, ""), "$0\r\n\r\n") + fmt.Sprintf(":%d\r\n", n)
			}
			steps := []struct {
				who  *connSession
				args []string
				want string // the reply
				got  string // then what the subscriber receives
			}{
				{sub, []string{"SUBSCRIBE", "news", "sport", "news"},
					conf("subscribe", "news", 1) + conf("subscribe", "sport", 2) + conf("subscribe", "news", 2), ""},
				{sub, []string{"PSUBSCRIBE", "n*s", "[ns]*"},
					conf("psubscribe", "n*s", 3) + conf("psubscribe", "[ns]*", 4), ""},
				{sub, []string{"SSUBSCRIBE", "shard"}, conf("ssubscribe", "shard", 1), ""},
				{pub, []string{"PUBLISH", "news", "hello"}, ":3\r\n",
					push("message", "news", "hello") + push("pmessage", "n*s", "news", "hello") +
						push("pmessage", "[ns]*", "news", "hello")},
				{pub, []string{"PUBLISH", "sport", "goal"}, ":2\r\n",
					push("message", "sport", "goal") + push("pmessage", "[ns]*", "sport", "goal")},
				{pub, []string{"PUBLISH", "nobody", "x"}, ":1\r\n", push("pmessage", "[ns]*", "nobody", "x")},
				{pub, []string{"PUBLISH", "other", "x"}, ":0\r\n", ""},
				{pub, []string{"SPUBLISH", "shard", "s1"}, ":1\r\n", push("smessage", "shard", "s1")},
				{pub, []string{"SPUBLISH", "news", "s2"}, ":0\r\n", ""}, // shard channels are apart
				{pub, []string{"PUBLISH", "shard", "x"}, ":1\r\n", push("pmessage", "[ns]*", "shard", "x")},
				{sub, []string{"UNSUBSCRIBE", "news", "none"},
					conf("unsubscribe", "news", 3) + conf("unsubscribe", "none", 3), ""},
				{pub, []string{"PUBLISH", "news", "late"}, ":2\r\n",
					push("pmessage", "n*s", "news", "late") + push("pmessage", "[ns]*", "news", "late")},
				{sub, []string{"PUNSUBSCRIBE"}, conf("punsubscribe", "n*s", 2) + conf("punsubscribe", "[ns]*", 1), ""},
				{sub, []string{"UNSUBSCRIBE"}, conf("unsubscribe", "sport", 0), ""},
				{sub, []string{"SUNSUBSCRIBE"}, conf("sunsubscribe", "shard", 0), ""},
				{pub, []string{"PUBLISH", "news", "gone"}, ":0\r\n", ""},
			}
			for _, st := range steps {
				if got := st.who.raw(st.args...); got != st.want {
					t.Fatalf("%q replied %q, want %q", st.args, got, st.want)
				}
				if got := sub.delivered(); got != st.got {
					t.Fatalf("after %q the subscriber got %q, want %q", st.args, got, st.got)
				}
			}
			// With nothing subscribed, UNSUBSCRIBE confirms once with a null channel.
			null := "$-1\r\n"
			if tt.proto == "3" {
				null = "_\r\n"
			}
			want := push()[:1] + "3\r\n$11\r\nunsubscribe\r\n" + null + ":0\r\n"
			if got := sub.raw("UNSUBSCRIBE"); got != want {
				t.Fatalf("UNSUBSCRIBE with nothing subscribed = %q, want %q", got, want)
			}
		})
	}
}

// TestPubSubOrder checks that a message queued for a subscriber comes before the reply to its
// next command, and that a client publishing to itself gets its message before the reply.
func TestPubSubOrder(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	sub, pub := newConnSession(t, srv), newConnSession(t, srv)
	sub.do("HELLO", "3")
	sub.raw("SUBSCRIBE", "a", "b")
	pub.do("PUBLISH", "a", "first")
	want := push3("message", "a", "first") + ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n"
	if got := sub.raw("UNSUBSCRIBE", "a"); got != want {
		t.Fatalf("UNSUBSCRIBE after a message = %q, want %q", got, want)
	}
	want = push3("message", "b", "self") + ":1\r\n"
	if got := sub.raw("PUBLISH", "b", "self"); got != want {
		t.Fatalf("PUBLISH to itself = %q, want %q", got, want)
	}
	pub.do("PUBLISH", "b", "second")
	if got, want := sub.raw("GET", "k"), push3("message", "b", "second")+"_\r\n"; got != want {
		t.Fatalf("GET after a message = %q, want %q", got, want)
	}
}

func TestPubSubSubscribedMode(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	only := func(name string) string { return "(error) " + subscribedOnly(name) }
	for _, tt := range []struct{ cmd, want string }{
		{"GET k", "(nil)"},
		{"SSUBSCRIBE s", "1) \"ssubscribe\"\n2) \"s\"\n3) (integer) 1"},
		{"GET k", only("get")},
		{"PUBSUB NUMPAT", only("pubsub|numpat")},
		{"MULTI", only("multi")},
		{"HELLO 3", only("hello")},
		{"PING", "1) \"pong\"\n2) \"\""},
		{"PING hi", "1) \"pong\"\n2) \"hi\""},
		{"PING a b", "(error) ERR wrong number of arguments for 'ping' command"},
		{"NOSUCH", "(error) ERR unknown command 'NOSUCH', with args beginning with: "},
		{"SUBSCRIBE", "(error) ERR wrong number of arguments for 'subscribe' command"},
		{"PUNSUBSCRIBE", "1) \"punsubscribe\"\n2) (nil)\n3) (integer) 0"},
		{"SUNSUBSCRIBE", "1) \"sunsubscribe\"\n2) \"s\"\n3) (integer) 0"},
		{"GET k", "(nil)"},
		{"PING", "PONG"},
		// RESP3 has no such restriction.
		{"HELLO 3", ""},
		{"SUBSCRIBE c", "1) \"subscribe\"\n2) \"c\"\n3) (integer) 1"},
		{"GET k", "(nil)"},
		{"PING", "PONG"},
		{"HELLO 2", ""},
		{"ECHO x", only("echo")},
		{"RESET", "RESET"},
		{"ECHO x", "\"x\""},
		{"PUBSUB NUMSUB c", "1) \"c\"\n2) (integer) 0"},
		// SSUBSCRIBE may not run inside EXEC; SUBSCRIBE may.
		{"MULTI", "OK"},
		{"SSUBSCRIBE z", "QUEUED"},
		{"EXEC", "1) (error) ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client"},
		{"MULTI", "OK"},
		{"SUBSCRIBE z", "QUEUED"},
		{"EXEC", "1) 1) \"subscribe\"\n   2) \"z\"\n   3) (integer) 1"},
		{"GET k", only("get")},
	} {
		args := strings.Fields(tt.cmd)
		got := s.str(args...)
		if args[0] == "HELLO" && !strings.HasPrefix(got, "(error)") {
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.cmd, got, tt.want)
		}
	}
	if n := s.c.subscriptions.Load(); n != 1 {
		t.Errorf("subscriptions = %d, want 1", n)
	}
}

func TestPubSubIntrospection(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b, q := newConnSession(t, srv), newConnSession(t, srv), newConnSession(t, srv)
	a.raw("SUBSCRIBE", "ch1", "ch2")
	a.raw("PSUBSCRIBE", "p*", "q*")
	b.raw("SUBSCRIBE", "ch2", "ch3")
	b.raw("PSUBSCRIBE", "p*")
	b.raw("SSUBSCRIBE", "s1", "s2")
	for _, tt := range []struct{ cmd, want string }{
		{"PUBSUB CHANNELS", "1) \"ch1\"\n2) \"ch2\"\n3) \"ch3\""},
		{"PUBSUB CHANNELS *3", "1) \"ch3\""},
		{"PUBSUB CHANNELS x*", "(empty array)"},
		{"PUBSUB NUMSUB ch1 ch2 nope", "1) \"ch1\"\n2) (integer) 1\n3) \"ch2\"\n4) (integer) 2\n5) \"nope\"\n6) (integer) 0"},
		{"PUBSUB NUMSUB", "(empty array)"},
		{"PUBSUB NUMPAT", "(integer) 2"},
		{"PUBSUB SHARDCHANNELS", "1) \"s1\"\n2) \"s2\""},
		{"PUBSUB SHARDCHANNELS *2", "1) \"s2\""},
		{"PUBSUB SHARDNUMSUB s1 ch1", "1) \"s1\"\n2) (integer) 1\n3) \"ch1\"\n4) (integer) 0"},
		{"PUBSUB CHANNELS a b", "(error) ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."},
		{"PUBSUB NUMPAT x", "(error) ERR wrong number of arguments for 'pubsub|numpat' command"},
		{"PUBSUB nosuch", "(error) ERR unknown subcommand 'nosuch'. Try PUBSUB HELP."},
	} {
		if got := q.str(strings.Fields(tt.cmd)...); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.cmd, got, tt.want)
		}
	}
	if got := q.do("PUBSUB", "HELP"); len(got.Elems) != len(pubsubHelpLines) {
		t.Errorf("PUBSUB HELP has %d lines", len(got.Elems))
	}
	for _, tt := range []struct {
		s    *connSession
		want [3]int
	}{{a, [3]int{2, 2, 0}}, {b, [3]int{2, 1, 2}}, {q, [3]int{}}} {
		ch, pat, sh := tt.s.c.subscriptionCounts()
		if got := [3]int{ch, pat, sh}; got != tt.want {
			t.Errorf("client %d: subscription counts %v, want %v", tt.s.c.ID(), got, tt.want)
		}
		if n := tt.s.c.subscriptions.Load(); int(n) != tt.want[0]+tt.want[1]+tt.want[2] {
			t.Errorf("client %d: subscriptions = %d, want %d", tt.s.c.ID(), n, tt.want[0]+tt.want[1]+tt.want[2])
		}
	}
	if ch, pat, sh := srv.pubsubCounts(); ch != 3 || pat != 2 || sh != 2 {
		t.Errorf("pubsubCounts = %d, %d, %d; want 3, 2, 2", ch, pat, sh)
	}
	// A closed connection and RESET leave no subscriptions behind.
	b.c.Release()
	a.do("RESET")
	if got := q.str("PUBSUB", "NUMSUB", "ch1", "ch2"); got != "1) \"ch1\"\n2) (integer) 0\n3) \"ch2\"\n4) (integer) 0" {
		t.Errorf("NUMSUB after release and reset: %s", got)
	}
	if ch, pat, sh := srv.pubsubCounts(); ch+pat+sh != 0 {
		t.Errorf("pubsubCounts after release and reset = %d, %d, %d", ch, pat, sh)
	}
	if a.c.Subscribed() || b.c.Subscribed() {
		t.Error("a client is still Subscribed")
	}
	if got := q.str("PUBLISH", "ch1", "x"); got != "(integer) 0" {
		t.Errorf("PUBLISH after release and reset: %s", got)
	}
}

// TestPubSubSlowSubscriber checks that a subscriber whose messages pile up past the pubsub
// output limit is disconnected, and that the limit follows CONFIG SET.
func TestPubSubSlowSubscriber(t *testing.T) {
	srv := newConnServer(t, "client-output-buffer-limit \"pubsub 4kb 1kb 60\"",
		Options{Logger: slog.New(slog.DiscardHandler)})
	sub, fast, pub := newConnSession(t, srv), newConnSession(t, srv), newConnSession(t, srv)
	sub.raw("SUBSCRIBE", "c")
	fast.raw("SUBSCRIBE", "c")
	if sub.c.OutputLimit() != 4096 {
		t.Fatalf("OutputLimit = %d, want 4096", sub.c.OutputLimit())
	}
	payload := strings.Repeat("x", 1000)
	for i := range 10 {
		pub.do("PUBLISH", "c", payload)
		fast.delivered() // this one keeps up
		if i >= 4 && !sub.c.Closing() {
			t.Fatalf("after %d messages the slow subscriber is still connected", i+1)
		}
	}
	if !sub.conn.closed.Load() || sub.delivered() != "" {
		t.Fatal("the slow subscriber was not closed, or still gets output")
	}
	if fast.c.Closing() {
		t.Fatal("a subscriber that keeps up was closed")
	}
	pub.do("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 0")
	if fast.c.OutputLimit() != 0 {
		t.Fatalf("OutputLimit after CONFIG SET = %d, want 0", fast.c.OutputLimit())
	}
	if pub.c.OutputLimit() != srv.OutputHardLimit() {
		t.Fatal("a client without subscriptions does not have the normal limit")
	}
}

// TestPubSubConcurrent runs publishers, subscribers that come and go, and subscribers that
// switch protocols at once, for the race detector.
func TestPubSubConcurrent(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			s := newConnSession(t, srv)
			defer s.c.Release()
			for j := range 200 {
				s.raw("PUBLISH", fmt.Sprint("ch", j%3), "m")
			}
		}()
		go func() {
			defer wg.Done()
			s := newConnSession(t, srv)
			defer s.c.Release()
			for j := range 100 {
				s.raw("HELLO", fmt.Sprint(2+j%2))
				s.raw("SUBSCRIBE", "ch0", fmt.Sprint("ch", i%3))
				s.raw("PSUBSCRIBE", "ch*")
				s.delivered()
				s.raw("UNSUBSCRIBE")
				if j%2 == 0 {
					s.raw("PUNSUBSCRIBE")
				}
				s.delivered()
			}
		}()
	}
	wg.Wait()
	if ch, pat, sh := srv.pubsubCounts(); ch+pat+sh != 0 {
		t.Errorf("subscriptions left: %d, %d, %d", ch, pat, sh)
	}
}

// TestPubSubCommandDocs compares COMMAND DOCS of the pub/sub commands with a real
// redis-server.
func TestPubSubCommandDocs(t *testing.T) {
	addr := startRedisServer(t)
	srv := newConnServer(t, "", Options{})
	local := newConnSession(t, srv)
	remote := dialOracle(t, addr)
	local.do("HELLO", "3")
	remote.do("HELLO", "3")
	for _, cmd := range pubsubCommands() {
		ours := local.do("COMMAND", "DOCS", cmd.Name)
		theirs := remote.do("COMMAND", "DOCS", cmd.Name)
		if len(ours.Elems) != 2 || len(theirs.Elems) != 2 {
			t.Fatalf("COMMAND DOCS %s: got %d and %d map elements", cmd.Name, len(ours.Elems), len(theirs.Elems))
		}
		compareDocs(t, cmd.Name, ours.Elems[1], theirs.Elems[1])
	}
}

// TestPubSubMatchesRedis replays a two-client exchange against kvrpcd and a real redis-server
// and compares every byte each client receives.
func TestPubSubMatchesRedis(t *testing.T) {
	addr := startRedisServer(t)
	srv := newConnServer(t, "", Options{})
	local := []*connSession{newConnSession(t, srv), newConnSession(t, srv)}
	remote := []*oracleConn{dialOracle(t, addr), dialOracle(t, addr)}
	for _, step := range []struct {
		who  int
		args string
	}{
		{0, "SUBSCRIBE a b"}, {0, "PSUBSCRIBE a* c?"}, {0, "SSUBSCRIBE s"},
		{1, "PUBLISH a 1"}, {1, "PUBLISH b 2"}, {1, "PUBLISH cc 2"}, {1, "SPUBLISH s 3"},
		{0, "PING"}, {0, "PING x"}, {0, "SET k v"}, {0, "PUBSUB NUMPAT"},
		{1, "PUBSUB NUMSUB a b s"}, {1, "PUBSUB SHARDNUMSUB s"}, {1, "PUBSUB NUMPAT"},
		{0, "UNSUBSCRIBE b x"}, {0, "PUNSUBSCRIBE"}, {0, "SUNSUBSCRIBE"}, {0, "UNSUBSCRIBE"}, {0, "UNSUBSCRIBE"},
		{0, "HELLO 3"}, {0, "SUBSCRIBE a"}, {1, "PUBLISH a 4"}, {0, "PUBLISH a self"}, {0, "PING"},
		{0, "RESET"}, {1, "PUBLISH a 5"}, {0, "PING"},
	} {
		args := strings.Fields(step.args)
		if args[0] == "HELLO" { // its reply holds the client id
			local[step.who].do(args...)
			remote[step.who].do(args...)
			continue
		}
		in := respCommand(args...)
		local[step.who].c.Process(in)
		if _, err := remote[step.who].conn.Write(in); err != nil {
			t.Fatal(err)
		}
		for i := range local {
			ours := local[i].delivered()
			if theirs := readAvailable(t, remote[i], len(ours)); ours != theirs {
				t.Errorf("%q, client %d received:\nkvrpcd:       %q\nredis-server: %q", step.args, i, ours, theirs)
			}
		}
	}
}

// readAvailable reads n bytes from the oracle connection, then whatever else arrives within a
// short wait, so that output kvrpcd did not send is noticed.
func readAvailable(t *testing.T, r *oracleConn, n int) string {
	t.Helper()
	tmp := make([]byte, 64<<10)
	deadline := time.Now().Add(5 * time.Second)
	for len(r.buf) < n {
		_ = r.conn.SetReadDeadline(deadline)
		m, err := r.conn.Read(tmp)
		r.buf = append(r.buf, tmp[:m]...)
		if err != nil {
			t.Fatalf("read from redis-server: %v", err)
		}
	}
	_ = r.conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	m, _ := r.conn.Read(tmp)
	r.buf = append(r.buf, tmp[:m]...)
	out := string(r.buf)
	r.buf = r.buf[:0]
	return out
}
