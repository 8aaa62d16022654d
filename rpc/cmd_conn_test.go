package rpc

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kvrpcd/kvrpcd/resp"
)

// clientFields are the fields of a CLIENT LIST line: Redis 7.0.15's, then 7.2's lib-name
// and lib-ver.
var clientFields = []string{"id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub",
	"ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem",
	"events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver"}

// parseClientLine splits a CLIENT LIST line into its fields, checking their names and order.
func parseClientLine(t *testing.T, line string) map[string]string {
	t.Helper()
	parts := strings.Split(line, " ")
	if len(parts) != len(clientFields) {
		t.Fatalf("client line has %d fields, want %d: %q", len(parts), len(clientFields), line)
	}
	m := make(map[string]string)
	for i, p := range parts {
		name, value, _ := strings.Cut(p, "=")
		if name != clientFields[i] {
			t.Fatalf("field %d is %q, want %q: %q", i, name, clientFields[i], line)
		}
		m[name] = value
	}
	return m
}

// clientLines runs CLIENT LIST (with args) and returns its lines by client id.
func (s *connSession) clientLines(args ...string) map[string]map[string]string {
	s.t.Helper()
	v := s.do(append([]string{"CLIENT", "LIST"}, args...)...)
	text := string(v.Str)
	if v.Kind == resp.KindVerbatim {
		text = strings.TrimPrefix(text, "txt:")
	}
	out := make(map[string]map[string]string)
	for line := range strings.SplitSeq(strings.TrimSuffix(text, "\n"), "\n") {
		if line != "" {
			f := parseClientLine(s.t, line)
			out[f["id"]] = f
		}
	}
	return out
}

func TestHello(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	id := strconv.FormatUint(s.c.ID(), 10)
	for _, tt := range []struct {
		args  []string
		kind  resp.Kind
		proto string
	}{
		{[]string{"HELLO"}, resp.KindArray, "2"},
		{[]string{"HELLO", "3"}, resp.KindMap, "3"},
		{[]string{"HELLO"}, resp.KindMap, "3"},
		{[]string{"HELLO", "2", "SETNAME", "x"}, resp.KindArray, "2"},
	} {
		v := s.do(tt.args...)
		if v.Kind != tt.kind || len(v.Elems) != 14 {
			t.Fatalf("%q: %s", tt.args, v)
		}
		want := []string{"server", "redis", "version", redisVersion, "proto", tt.proto, "id", id,
			"mode", "standalone", "role", "master", "modules", ""}
		for i, e := range v.Elems {
			got := string(e.Str)
			if e.Kind == resp.KindInt {
				got = strconv.FormatInt(e.Int, 10)
			}
			if got != want[i] {
				t.Errorf("%q: element %d is %q, want %q", tt.args, i, got, want[i])
			}
		}
		if mods := v.Elems[13]; mods.Kind != resp.KindArray || len(mods.Elems) != 0 {
			t.Errorf("%q: modules %s", tt.args, mods)
		}
	}
	if got := s.str("CLIENT", "GETNAME"); got != `"x"` {
		t.Errorf("name after HELLO SETNAME: %s", got)
	}
}

func TestRequirepassAtStart(t *testing.T) {
	srv := newConnServer(t, "requirepass secret", Options{})
	s := newConnSession(t, srv)
	for _, step := range []struct{ cmd, want string }{
		{"PING", "(error) NOAUTH Authentication required."},
		{"CLIENT ID", "(error) NOAUTH Authentication required."},
		{"ECHO x", "(error) NOAUTH Authentication required."},
		{"HELLO 3", "(error) " + msgHelloNoAuth},
		{"AUTH nobody secret", "(error) " + msgWrongPass},
		{"AUTH wrong", "(error) " + msgWrongPass},
		{"PING", "(error) NOAUTH Authentication required."},
		{"AUTH secret", "OK"},
		{"PING", "PONG"},
		{"RESET", "RESET"},
		{"PING", "(error) NOAUTH Authentication required."},
		{"AUTH default secret", "OK"},
		{"PING", "PONG"},
	} {
		if got := s.str(strings.Fields(step.cmd)...); got != step.want {
			t.Errorf("%s: got %s, want %s", step.cmd, got, step.want)
		}
	}
	// HELLO with AUTH authenticates a new connection and switches its protocol at once.
	s2 := newConnSession(t, srv)
	if v := s2.do("HELLO", "3", "AUTH", "default", "secret", "SETNAME", "n"); v.Kind != resp.KindMap {
		t.Fatalf("HELLO 3 AUTH: %s", v)
	}
	if got := s2.str("CLIENT", "GETNAME"); got != `"n"` {
		t.Errorf("name: %s", got)
	}
}

func TestClientListAndInfo(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	a, b := newConnSession(t, srv), newConnSession(t, srv)
	a.do("CLIENT", "SETNAME", "alpha")
	a.do("SELECT", "3")
	a.do("CLIENT", "SETINFO", "LIB-NAME", "go-redis(test)")
	a.do("CLIENT", "SETINFO", "lib-ver", "9.0.0")
	a.do("CLIENT", "NO-EVICT", "on")
	a.do("CLIENT", "NO-TOUCH", "on")
	a.do("HELLO", "3")
	a.do("PING")
	b.do("ECHO", "x")

	lines := b.clientLines()
	if len(lines) != 2 {
		t.Fatalf("CLIENT LIST has %d lines, want 2", len(lines))
	}
	la := lines[strconv.FormatUint(a.c.ID(), 10)]
	lb := lines[strconv.FormatUint(b.c.ID(), 10)]
	for field, want := range map[string]string{
		"addr": a.conn.remote, "laddr": a.conn.local, "name": "alpha", "db": "3", "flags": "eT",
		"cmd": "ping", "resp": "3", "lib-name": "go-redis(test)", "lib-ver": "9.0.0", "user": "default",
		"multi": "-1", "redir": "-1", "events": "r",
	} {
		if la[field] != want {
			t.Errorf("client a: %s=%q, want %q", field, la[field], want)
		}
	}
	for field, want := range map[string]string{"name": "", "flags": "N", "cmd": "client|list", "idle": "0", "resp": "2", "db": "0"} {
		if lb[field] != want {
			t.Errorf("client b: %s=%q, want %q", field, lb[field], want)
		}
	}

	if got := b.clientLines("ID", strconv.FormatUint(a.c.ID(), 10), "999999"); len(got) != 1 || got[la["id"]] == nil {
		t.Errorf("CLIENT LIST ID: %v", got)
	}
	if got := b.clientLines("TYPE", "normal"); len(got) != 2 {
		t.Errorf("CLIENT LIST TYPE normal: %d lines", len(got))
	}
	if got := b.clientLines("TYPE", "pubsub"); len(got) != 0 {
		t.Errorf("CLIENT LIST TYPE pubsub: %d lines", len(got))
	}

	// CLIENT INFO is the caller's own line, a verbatim string in RESP3.
	v := a.do("CLIENT", "INFO")
	if v.Kind != resp.KindVerbatim || !strings.HasSuffix(string(v.Str), "\n") {
		t.Fatalf("CLIENT INFO: %q", v.Str)
	}
	info := parseClientLine(t, strings.TrimSuffix(strings.TrimPrefix(string(v.Str), "txt:"), "\n"))
	if info["id"] != la["id"] || info["cmd"] != "client|info" {
		t.Errorf("CLIENT INFO: %v", info)
	}

	// RESET keeps the library name but clears the rest.
	a.do("RESET")
	la = b.clientLines()[la["id"]]
	for field, want := range map[string]string{"name": "", "db": "0", "flags": "N", "resp": "2", "lib-name": "go-redis(test)"} {
		if la[field] != want {
			t.Errorf("after RESET: %s=%q, want %q", field, la[field], want)
		}
	}
}

func TestClientSetinfo(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	for _, tt := range []struct{ args, want string }{
		{"LIB-NAME redis-py", "OK"},
		{"lib-ver 1.2.3", "OK"},
		{"lib-name", "(error) ERR wrong number of arguments for 'client|setinfo' command"},
		{"LIB-FOO x", "(error) ERR Unrecognized option 'LIB-FOO'"},
		{"lib-name caf\xc3\xa9", "(error) ERR lib-name cannot contain spaces, newlines or special characters."},
		{"LIB-VER a\x01", "(error) ERR LIB-VER cannot contain spaces, newlines or special characters."},
	} {
		args := append([]string{"CLIENT", "SETINFO"}, strings.Fields(tt.args)...)
		if got := s.str(args...); got != tt.want {
			t.Errorf("CLIENT SETINFO %s: got %s, want %s", tt.args, got, tt.want)
		}
	}
	if s.c.libName != "redis-py" || s.c.libVer != "1.2.3" {
		t.Errorf("lib-name %q lib-ver %q", s.c.libName, s.c.libVer)
	}
	if got := s.str("CLIENT", "SETINFO", "lib-name", ""); got != "OK" || s.c.libName != "" {
		t.Errorf("clearing lib-name: %s, %q", got, s.c.libName)
	}
}

func TestClientKill(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	me := newConnSession(t, srv)
	id := func(s *connSession) string { return strconv.FormatUint(s.c.ID(), 10) }

	// By id: the victim's connection is closed and its pending output dropped.
	victim := newConnSession(t, srv)
	victim.c.Writer().Simple("pending")
	if got := me.str("CLIENT", "KILL", "ID", id(victim)); got != "(integer) 1" {
		t.Fatalf("KILL ID: %s", got)
	}
	if !victim.conn.closed.Load() || !victim.c.Closing() || victim.c.Output() != nil {
		t.Errorf("victim: closed %v, closing %v, output %q", victim.conn.closed.Load(), victim.c.Closing(), victim.c.Output())
	}
	victim.c.Release()

	// The old form by address.
	victim = newConnSession(t, srv)
	if got := me.str("CLIENT", "KILL", victim.conn.remote); got != "OK" || !victim.conn.closed.Load() {
		t.Errorf("KILL addr: %s, closed %v", got, victim.conn.closed.Load())
	}
	victim.c.Release()

	// Filters combine; SKIPME (default yes) spares the caller.
	other := newConnSession(t, srv)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"ADDR", other.conn.remote, "ID", id(me)}, "(integer) 0"},
		{[]string{"LADDR", "10.0.0.1:6379"}, "(integer) 0"},
		{[]string{"ADDR", me.conn.remote}, "(integer) 0"},
		{[]string{"USER", "default", "LADDR", other.conn.local, "ID", id(other)}, "(integer) 1"},
	} {
		if got := me.str(append([]string{"CLIENT", "KILL"}, tt.args...)...); got != tt.want {
			t.Errorf("CLIENT KILL %q: %s, want %s", tt.args, got, tt.want)
		}
	}
	other.c.Release()
	if me.c.Closing() {
		t.Fatal("the caller was killed")
	}

	// TYPE normal kills every other client; with SKIPME no the caller too, after its reply.
	others := []*connSession{newConnSession(t, srv), newConnSession(t, srv)}
	if got := me.str("CLIENT", "KILL", "TYPE", "normal"); got != "(integer) 2" {
		t.Errorf("KILL TYPE normal: %s", got)
	}
	for _, o := range others {
		o.c.Release()
	}
	if got := me.str("CLIENT", "KILL", "TYPE", "NORMAL", "SKIPME", "no"); got != "(integer) 1" {
		t.Errorf("KILL SKIPME no: %s", got)
	}
	if !me.c.Closing() || me.conn.closed.Load() {
		t.Errorf("the caller must close after its reply: closing %v, closed %v", me.c.Closing(), me.conn.closed.Load())
	}
}

func TestClientKillSelfOldForm(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	if got := s.str("CLIENT", "KILL", s.conn.remote); got != "OK" {
		t.Fatalf("got %s", got)
	}
	if !s.c.Closing() {
		t.Error("the old form kills the caller too")
	}
}

func TestQuit(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	in := append(respCommand("QUIT"), respCommand("PING")...)
	n := s.c.Process(in)
	if got := string(s.c.Output()); got != "+OK\r\n" || !s.c.Closing() {
		t.Errorf("output %q, closing %v", got, s.c.Closing())
	}
	if n != len(respCommand("QUIT")) {
		t.Errorf("consumed %d bytes: the command after QUIT must not run", n)
	}
}

func TestClientIDsAreDistinct(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	seen := make(map[string]bool)
	idRe := regexp.MustCompile(`^\(integer\) [1-9][0-9]*$`)
	for range 5 {
		got := newConnSession(t, srv).str("CLIENT", "ID")
		if !idRe.MatchString(got) || seen[got] {
			t.Errorf("CLIENT ID %s", got)
		}
		seen[got] = true
	}
}

func TestValidName(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"", true}, {"abc", true}, {"!~{}()", true}, {"a b", false}, {"a\nb", false},
		{"a\x7f", false}, {"caf\xc3\xa9", false}, {"\x00", false},
	} {
		if got := validName([]byte(tt.name)); got != tt.ok {
			t.Errorf("validName(%q) = %v", tt.name, got)
		}
	}
}
