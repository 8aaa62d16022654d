package rpc

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// rawReply runs one command and returns the bytes it wrote.
func (s *connSession) rawReply(args ...string) string {
	s.t.Helper()
	in := respCommand(args...)
	if n := s.c.Process(in); n != len(in) {
		s.t.Fatalf("%q: Process consumed %d of %d bytes", args, n, len(in))
	}
	out := string(s.c.Output())
	s.c.ResetOutput()
	return out
}

func TestDebugProtocol(t *testing.T) {
	srv := newConnServer(t, "enable-debug-command yes", Options{})
	s := newConnSession(t, srv)
	// The replies of redis-server 7.0, byte for byte.
	tests := []struct{ typ, resp2, resp3 string }{
		{"string", "$11\r\nHello World\r\n", "$11\r\nHello World\r\n"},
		{"integer", ":12345\r\n", ":12345\r\n"},
		{"double", "$5\r\n3.141\r\n", ",3.141\r\n"},
		{"bignum", "$37\r\n1234567999999999999999999999999999999\r\n", "(1234567999999999999999999999999999999\r\n"},
		{"null", "$-1\r\n", "_\r\n"},
		{"array", "*3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"},
		{"set", "*3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n"},
		{"map", "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"},
		{"attrib", "$39\r\nSome real reply following the attribute\r\n",
			"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n"},
		{"push", "-ERR RESP2 is not supported by this command\r\n",
			">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n"},
		{"verbatim", "$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n"},
		{"true", ":1\r\n", "#t\r\n"},
		{"FALSE", ":0\r\n", "#f\r\n"},
		{"foo", "-" + msgDebugProtocol + "\r\n", "-" + msgDebugProtocol + "\r\n"},
	}
	for _, proto := range []string{"2", "3"} {
		s.do("HELLO", proto)
		for _, tt := range tests {
			want := tt.resp2
			if proto == "3" {
				want = tt.resp3
			}
			if got := s.rawReply("DEBUG", "PROTOCOL", tt.typ); got != want {
				t.Errorf("RESP%s DEBUG PROTOCOL %s: got %q, want %q", proto, tt.typ, got, want)
			}
		}
	}
}

func TestDebug(t *testing.T) {
	var logs bytes.Buffer
	srv := newConnServer(t, "enable-debug-command yes", Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	s := newConnSession(t, srv)
	for _, tt := range []struct{ cmd, want string }{
		{"DEBUG SLEEP 0", "OK"},
		{"DEBUG SLEEP abc", "OK"},
		{"DEBUG SLEEP -1", "OK"},
		{"DEBUG SLEEP", "(error) ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP."},
		{"DEBUG SET-ACTIVE-EXPIRE 0", "OK"},
		{"debug set-active-expire 1", "OK"},
		{"DEBUG SET-ACTIVE-EXPIRE 1 2", "(error) ERR unknown subcommand or wrong number of arguments for 'SET-ACTIVE-EXPIRE'. Try DEBUG HELP."},
		{"DEBUG LOG hello", "OK"},
		{"DEBUG LOG a b", "(error) ERR unknown subcommand or wrong number of arguments for 'LOG'. Try DEBUG HELP."},
		{"DEBUG ERROR oops", "(error) oops"},
		{"DEBUG RELOAD", "(error) ERR unknown subcommand or wrong number of arguments for 'RELOAD'. Try DEBUG HELP."},
		{"debug nosuch x", "(error) ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP."},
	} {
		if got := s.str(strings.Fields(tt.cmd)...); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.cmd, got, tt.want)
		}
	}
	if !strings.Contains(logs.String(), "message=hello") {
		t.Errorf("DEBUG LOG did not log: %q", logs.String())
	}
	if v := s.do("DEBUG", "HELP"); len(v.Elems) != len(debugHelpLines) || v.Elems[0].Kind != resp.KindSimple {
		t.Errorf("DEBUG HELP: %s", v)
	}
	start := time.Now()
	s.do("DEBUG", "SLEEP", "0.05")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("DEBUG SLEEP 0.05 slept %v", d)
	}
}

func TestDebugAllowed(t *testing.T) {
	conf := "protected-mode no\nenable-debug-command "
	for _, tt := range []struct {
		setting, remote string
		allowed         bool
	}{
		{"no", "127.0.0.1:5000", false},
		{"yes", "10.1.2.3:5000", true},
		{"local", "127.0.0.1:5000", true},
		{"local", "[::1]:5000", true},
		{"local", "10.1.2.3:5000", false},
	} {
		srv := newConnServer(t, conf+tt.setting, Options{})
		conn := &peerConn{remote: tt.remote, local: "10.1.2.4:6379"}
		s := &connSession{t: t, c: srv.Connect(conn), conn: conn}
		got := s.str("DEBUG", "SLEEP", "0")
		if (got == "OK") != tt.allowed {
			t.Errorf("enable-debug-command %s from %s: %s", tt.setting, tt.remote, got)
		}
	}
}

func TestCStrtodAtoi(t *testing.T) {
	for _, tt := range []struct {
		in   string
		f    float64
		atoi int64
	}{
		{"", 0, 0}, {"1", 1, 1}, {"0.5", 0.5, 0}, {" 2.5s", 2.5, 2}, {"-3", -3, -3},
		{"abc", 0, 0}, {"1e2", 100, 1}, {"+7x", 7, 7},
	} {
		if got := cStrtod([]byte(tt.in)); got != tt.f {
			t.Errorf("cStrtod(%q) = %v, want %v", tt.in, got, tt.f)
		}
		if got := cAtoi([]byte(tt.in)); got != tt.atoi {
			t.Errorf("cAtoi(%q) = %v, want %v", tt.in, got, tt.atoi)
		}
	}
}

// infoText runs INFO with args and returns its sections by title, each as field: value.
func infoText(s *connSession, args ...string) (titles []string, fields map[string]string) {
	s.t.Helper()
	v := s.do(append([]string{"INFO"}, args...)...)
	text := strings.TrimPrefix(string(v.Str), "txt:")
	fields = make(map[string]string)
	for line := range strings.SplitSeq(text, "\r\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			titles = append(titles, line[2:])
		case line != "":
			k, val, ok := strings.Cut(line, ":")
			if !ok {
				s.t.Fatalf("INFO line %q", line)
			}
			fields[k] = val
		}
	}
	return titles, fields
}

func TestInfoSections(t *testing.T) {
	srv := newConnServer(t, "", Options{LoopModel: "reactor"})
	s := newConnSession(t, srv)
	defaults := "Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace"
	all := "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Latencystats Cluster Keyspace"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, defaults},
		{[]string{"default"}, defaults},
		{[]string{"all"}, all},
		{[]string{"EVERYTHING"}, all},
		{[]string{"keyspace", "SERVER"}, "Server Keyspace"},
		{[]string{"commandstats", "default"}, all[:strings.Index(all, " Errorstats")] + " Errorstats Cluster Keyspace"},
		{[]string{"module_list"}, "Modules"},
		{[]string{"nosuch"}, ""},
	} {
		titles, _ := infoText(s, tt.args...)
		if got := strings.Join(titles, " "); got != tt.want {
			t.Errorf("INFO %q: sections %q, want %q", tt.args, got, tt.want)
		}
	}

	s.do("SET", "k", "v")
	_, f := infoText(s, "everything")
	for field, re := range map[string]string{
		"redis_version":     `^7\.0\.15$`,
		"kvrpcd_version":    "^" + regexp.QuoteMeta(Version) + "$",
		"loop_model":        `^reactor$`,
		"tcp_port":          `^6379$`,
		"run_id":            `^[0-9a-f]{40}$`,
		"connected_clients": `^1$`,
		"used_memory":       `^[1-9][0-9]*$`,
		"used_memory_human": `^[0-9.]+[BKMGTP]$`,
		"used_cpu_user":     `^[0-9]+\.[0-9]{6}$`,
		"role":              `^master$`,
		"cluster_enabled":   `^0$`,
		"db0":               `^keys=1,expires=0,avg_ttl=0$`,
		"cmdstat_set":       `^calls=1,usec=[0-9]+,usec_per_call=[0-9]+\.[0-9]{2},rejected_calls=0,failed_calls=0$`,
		"cmdstat_info":      `^calls=[0-9]+,`,
	} {
		if !regexp.MustCompile(re).MatchString(f[field]) {
			t.Errorf("INFO %s:%q does not match %s", field, f[field], re)
		}
	}

	// RESP3 gets a verbatim string.
	s.do("HELLO", "3")
	if v := s.do("INFO", "server"); v.Kind != resp.KindVerbatim || !bytes.HasPrefix(v.Str, []byte("txt:# Server\r\n")) {
		t.Errorf("INFO in RESP3: %q", v.Str)
	}
}

func TestInfoLoops(t *testing.T) {
	srv := newConnServer(t, "", Options{LoopModel: "reactor"})
	s := newConnSession(t, srv)
	if titles, _ := infoText(s); strings.Contains(strings.Join(titles, " "), "Loops") {
		t.Error("a model without loop statistics shows a Loops section")
	}
	srv.SetLoopStats(func() []LoopStats {
		return []LoopStats{{Connections: 2, Iterations: 10, IterationMaxUs: 40, IterationBusyUs: 300, Queued: 7}, {}}
	})
	titles, f := infoText(s)
	if titles[len(titles)-1] != "Loops" {
		t.Errorf("sections %q", titles)
	}
	if got, want := f["loop0"], "connections=2,iterations=10,iteration_max_us=40,iteration_busy_us=300,queued=7"; got != want {
		t.Errorf("loop0:%s, want %s", got, want)
	}
	if _, ok := f["loop1"]; !ok {
		t.Error("no loop1")
	}
}

func TestConfigResetstat(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	s.do("GET", "k")
	s.do("GET")
	s.do("NOSUCH")
	_, f := infoText(s, "commandstats", "errorstats", "stats")
	if f["cmdstat_get"] == "" || f["errorstat_ERR"] != "count=2" || f["total_error_replies"] != "2" {
		t.Fatalf("before RESETSTAT: %v", f)
	}
	s.do("CONFIG", "RESETSTAT")
	_, f = infoText(s, "commandstats", "errorstats", "stats")
	if f["cmdstat_get"] != "" || f["errorstat_ERR"] != "" || f["total_error_replies"] != "0" {
		t.Errorf("after RESETSTAT: %v", f)
	}
	if got := f["cmdstat_config|resetstat"]; !strings.HasPrefix(got, "calls=1,") {
		t.Errorf("cmdstat_config|resetstat:%s", got)
	}
}

func TestCommandWholeTable(t *testing.T) {
	srv := newConnServer(t, "", Options{})
	s := newConnSession(t, srv)
	n := len(srv.Commands())
	if got := s.do("COMMAND", "COUNT"); got.Int != int64(n) {
		t.Errorf("COMMAND COUNT %d, want %d", got.Int, n)
	}
	all := s.do("COMMAND")
	if len(all.Elems) != n {
		t.Errorf("COMMAND: %d entries, want %d", len(all.Elems), n)
	}
	if info := s.do("COMMAND", "INFO"); canonicalReply(info, false) != canonicalReply(all, false) {
		t.Error("COMMAND INFO without names differs from COMMAND")
	}
	if docs := s.do("COMMAND", "DOCS"); len(docs.Elems) != 2*n {
		t.Errorf("COMMAND DOCS: %d map entries, want %d", len(docs.Elems)/2, n)
	}
	list := s.do("COMMAND", "LIST")
	names := make(map[string]bool)
	for _, e := range list.Elems {
		names[string(e.Str)] = true
	}
	for _, cmd := range srv.cmds {
		if !names[cmd.Name] {
			t.Errorf("COMMAND LIST lacks %s", cmd.Name)
		}
	}
	if len(list.Elems) != len(srv.cmds) {
		t.Errorf("COMMAND LIST: %d names, want %d", len(list.Elems), len(srv.cmds))
	}
	// ACLCAT filters by every category a command has, implied ones included.
	for _, e := range s.do("COMMAND", "LIST", "FILTERBY", "ACLCAT", "Dangerous").Elems {
		cmd := srv.commandByName(e.Str)
		if cmd == nil || cmd.Categories()&ACLDangerous == 0 {
			t.Errorf("ACLCAT dangerous lists %s", e.Str)
		}
	}
	if got := s.do("COMMAND", "LIST", "FILTERBY", "ACLCAT", "dangerous"); len(got.Elems) == 0 {
		t.Error("no dangerous command")
	}
}

// TestApplicationCommand checks that a command an application declares is documented and
// introspected like Redis's own.
func TestApplicationCommand(t *testing.T) {
	app := &Command{Name: "app.get", Arity: 2, Flags: ReadOnly | Fast, Group: GroupGeneric,
		Keys: firstKey(KeyRO | KeyAccess), Run: func(c *Client, args [][]byte) { c.w.Bulk(args[1]) },
		Doc: Doc{Summary: "Echo a key", Since: "0.1.0", Complexity: "O(1)", DeprecatedSince: "0.2.0", ReplacedBy: "`GET`",
			Args: []Arg{{Name: "key", Type: ArgKey, Multiple: true, Optional: true}}}}
	srv := newConnServer(t, "", Options{Commands: []*Command{app}})
	s := newConnSession(t, srv)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"APP.GET", "k"}, `"k"`},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "app.get", "k"}, "1) 1) \"k\"\n   2) 1) RO\n      2) access"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "PATTERN", "app.*"}, `1) "app.get"`},
		{[]string{"COMMAND", "DOCS", "app.get"}, `1) "app.get"
2)  1) "summary"
    2) "Echo a key"
    3) "since"
    4) "0.1.0"
    5) "group"
    6) "generic"
    7) "complexity"
    8) "O(1)"
    9) "doc_flags"
   10) 1) deprecated
   11) "deprecated_since"
   12) "0.2.0"
   13) "replaced_by"
   14) "` + "`GET`" + `"
   15) "arguments"
   16) 1) 1) "name"
          2) "key"
          3) "type"
          4) "key"
          5) "key_spec_index"
          6) (integer) 0
          7) "flags"
          8) 1) optional
             2) multiple`},
	} {
		if got := s.str(tt.args...); got != tt.want {
			t.Errorf("%q:\ngot:\n%s\nwant:\n%s", tt.args, got, tt.want)
		}
	}
	if got := s.str("COMMAND", "INFO", "app.get"); !strings.Contains(got, "@keyspace") || !strings.Contains(got, "@fast") {
		t.Errorf("COMMAND INFO app.get:\n%s", got)
	}
}

func TestHumanBytes(t *testing.T) {
	for _, tt := range []struct {
		n    uint64
		want string
	}{
		{0, "0B"}, {1023, "1023B"}, {1024, "1.00K"}, {1536, "1.50K"}, {1 << 20, "1.00M"},
		{3 << 30, "3.00G"}, {1 << 40, "1.00T"}, {1 << 50, "1.00P"}, {1 << 60, "1024.00P"},
	} {
		if got := humanBytes(tt.n); got != tt.want {
			t.Errorf("humanBytes(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}
