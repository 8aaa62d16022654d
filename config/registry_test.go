package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestDefaults(t *testing.T) {
	r := New()
	wd, _ := os.Getwd()
	tests := map[string]string{
		"save":                       "3600 1 300 100 60 10000",
		"maxmemory":                  "0",
		"appendonly":                 "no",
		"port":                       "6379",
		"bind":                       "127.0.0.1 -::1",
		"protected-mode":             "yes",
		"dir":                        wd,
		"client-output-buffer-limit": "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
		"loop":                       "reactor",
		"loops":                      "0",
		"databases":                  "16",
		"replicaof":                  "",
		"slaveof":                    "",
		"notify-keyspace-events":     "",
		"unixsocketperm":             "0",
		"hz":                         "10",
	}
	for name, want := range tests {
		if got := r.String(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	// Every default must read back as written in the table.
	for _, p := range params {
		if p.name != "dir" && r.String(p.name) != p.def {
			t.Errorf("%s: table default %q renders as %q", p.name, p.def, r.String(p.name))
		}
		if r.Default(p.name) != r.String(p.name) {
			t.Errorf("Default(%s) = %q, value %q", p.name, r.Default(p.name), r.String(p.name))
		}
	}
}

func TestTableIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range params {
		for _, n := range []string{p.name, p.alias} {
			if n == "" {
				continue
			}
			if seen[n] || n != strings.ToLower(n) {
				t.Errorf("name %q repeated or not lower case", n)
			}
			seen[n] = true
		}
		if (p.kind == kindSpecial) != (p.set != nil) {
			t.Errorf("%s: set function iff special", p.name)
		}
		if (p.kind == kindEnum) != (len(p.enum) > 0) || (p.enumVals != nil && len(p.enumVals) != len(p.enum)) {
			t.Errorf("%s: bad enum", p.name)
		}
		if (p.kind == kindInt || p.kind == kindMemory) && p.flags&unsigned == 0 && p.min > p.max {
			t.Errorf("%s: empty range", p.name)
		}
	}
	if got := len(New().Names()); got != len(seen) {
		t.Errorf("Names() has %d names, want %d", got, len(seen))
	}
}

// setCase is one CONFIG SET: the value given, and either the value read
// back or the error's reason.
type setCase struct {
	name, value string
	want        string // value read back after success
	err         string // or the reason of the failure
}

func runSetCases(t *testing.T, cases []setCase) {
	t.Helper()
	for _, tc := range cases {
		r := New()
		err := r.Set(tc.name, tc.value)
		if tc.err != "" {
			want := "CONFIG SET failed (possibly related to argument '" + tc.name + "') - " + tc.err
			if err == nil || err.Error() != want {
				t.Errorf("Set(%s, %q) = %v, want %s", tc.name, tc.value, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("Set(%s, %q) = %v", tc.name, tc.value, err)
			continue
		}
		if got := r.String(tc.name); got != tc.want {
			t.Errorf("Set(%s, %q): read back %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestSetBool(t *testing.T) {
	runSetCases(t, []setCase{
		{name: "appendonly", value: "yes", want: "yes"},
		{name: "appendonly", value: "YES", want: "yes"},
		{name: "protected-mode", value: "No", want: "no"},
		{name: "slave-read-only", value: "no", want: "no"},
		{name: "appendonly", value: "1", err: msgBool},
		{name: "appendonly", value: "", err: msgBool},
		{name: "appendonly", value: "true", err: msgBool},
		{name: "activedefrag", value: "no", want: "no"},
		{name: "activedefrag", value: "yes", err: "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"},
	})
}

func TestSetInt(t *testing.T) {
	runSetCases(t, []setCase{
		{name: "timeout", value: "300", want: "300"},
		{name: "timeout", value: "0", want: "0"},
		{name: "timeout", value: "-1", err: "argument must be between 0 and 2147483647 inclusive"},
		{name: "timeout", value: "2147483648", err: "argument must be between 0 and 2147483647 inclusive"},
		{name: "timeout", value: "9223372036854775808", err: msgInteger},
		{name: "timeout", value: "+5", err: msgInteger},
		{name: "timeout", value: "05", err: msgInteger},
		{name: "timeout", value: "-0", err: msgInteger},
		{name: "timeout", value: " 5", err: msgInteger},
		{name: "timeout", value: "1k", err: msgInteger},
		{name: "timeout", value: "", err: msgInteger},
		{name: "maxmemory-eviction-tenacity", value: "101", err: "argument must be between 0 and 100 inclusive"},
		{name: "slowlog-log-slower-than", value: "-1", want: "-1"},
		{name: "slowlog-log-slower-than", value: "-2", err: "argument must be between -1 and 9223372036854775807 inclusive"},
		{name: "list-max-ziplist-size", value: "-5", want: "-5"},
		{name: "maxclients", value: "0", err: "argument must be between 1 and 4294967295 inclusive"},
		{name: "maxclients", value: "-1", err: "argument must be between 1 and 4294967295 inclusive"},
		{name: "tracking-table-max-keys", value: "-1", err: "argument must be between 0 and 9223372036854775807 inclusive"},
		{name: "hz", value: "0", want: "1"},
		{name: "hz", value: "100000", want: "500"},
		{name: "port", value: "7000", want: "7000"},
		{name: "port", value: "65536", err: "argument must be between 0 and 65535 inclusive"},
	})
}

func TestSetMemory(t *testing.T) {
	runSetCases(t, []setCase{
		{name: "maxmemory", value: "100", want: "100"},
		{name: "maxmemory", value: "1k", want: "1000"},
		{name: "maxmemory", value: "1kb", want: "1024"},
		{name: "maxmemory", value: "1KB", want: "1024"},
		{name: "maxmemory", value: "2m", want: "2000000"},
		{name: "maxmemory", value: "512mb", want: "536870912"},
		{name: "maxmemory", value: "1g", want: "1000000000"},
		{name: "maxmemory", value: "1Gb", want: "1073741824"},
		{name: "maxmemory", value: "7b", want: "7"},
		{name: "maxmemory", value: "", want: "0"},
		{name: "maxmemory", value: "kb", want: "0"},
		{name: "maxmemory", value: "010", want: "10"},
		{name: "maxmemory", value: "99999999999999999999", want: "18446744073709551615"},
		{name: "maxmemory", value: "20000000000gb", want: "3028092406290448384"},
		{name: "maxmemory", value: "-1", err: msgMemory},
		{name: "maxmemory", value: "+5", err: msgMemory},
		{name: "maxmemory", value: "1.5", err: msgMemory},
		{name: "maxmemory", value: "1tb", err: msgMemory},
		{name: "maxmemory", value: "1 ", err: msgMemory},
		{name: "proto-max-bulk-len", value: "1k", err: "argument must be between 1048576 and 9223372036854775807 inclusive"},
		{name: "auto-aof-rewrite-min-size", value: "18446744073709551615", err: "argument must be between 0 and 9223372036854775807 inclusive"},
		{name: "active-defrag-ignore-bytes", value: "", err: "argument must be between 1 and 9223372036854775807 inclusive"},
		{name: "repl-backlog-size", value: "1", want: "16384"},
		{name: "repl-backlog-size", value: "2mb", want: "2097152"},
		{name: "maxmemory-clients", value: "10%", want: "10%"},
		{name: "maxmemory-clients", value: "0%", want: "0"},
		{name: "maxmemory-clients", value: "1mb", want: "1048576"},
		{name: "maxmemory-clients", value: "101%", err: "percentage argument must be less or equal to 100"},
		{name: "maxmemory-clients", value: "x", err: msgMemoryPercent},
		{name: "maxmemory-clients", value: "-5", err: msgMemoryPercent},
		{name: "maxmemory-clients", value: "18446744073709551615", want: "1%"},
	})
}

func TestSetOctal(t *testing.T) {
	r := New()
	for _, tc := range []struct {
		text, want, err string
	}{
		{"777", "777", ""},
		{"0700", "700", ""},
		{"", "0", ""},
		{" 7", "7", ""},
		{"8", "", msgOctal},
		{"1000", "", "argument must be between 0 and 777 inclusive"},
		{"-1", "", "argument must be between 0 and 777 inclusive"},
	} {
		err := r.LoadString("unixsocketperm '" + tc.text + "'")
		var le *LoadError
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("unixsocketperm %q: %v", tc.text, err)
		case tc.err != "" && (!errors.As(err, &le) || le.Msg != tc.err):
			t.Errorf("unixsocketperm %q: %v, want %s", tc.text, err, tc.err)
		case tc.err == "" && r.String("unixsocketperm") != tc.want:
			t.Errorf("unixsocketperm %q reads %q, want %q", tc.text, r.String("unixsocketperm"), tc.want)
		}
	}
}

func TestSetEnum(t *testing.T) {
	runSetCases(t, []setCase{
		{name: "maxmemory-policy", value: "allkeys-lru", want: "allkeys-lru"},
		{name: "maxmemory-policy", value: "ALLKEYS-LFU", want: "allkeys-lfu"},
		{name: "loglevel", value: "debug notice", err: "argument(s) must be one of the following: debug, verbose, notice, warning"},
		{name: "appendfsync", value: "", err: "argument(s) must be one of the following: everysec, always, no"},
		{name: "oom-score-adj", value: "relative", want: "yes"},
		{name: "oom-score-adj", value: "absolute", want: "absolute"},
		{name: "shutdown-on-sigint", value: "now nosave force", want: "nosave now force"},
		{name: "shutdown-on-sigint", value: "default save", want: "save"},
		{name: "shutdown-on-sigterm", value: "NOW", want: "now"},
		{name: "shutdown-on-sigterm", value: "save nosave", err: msgShutdownFlags},
		{name: "shutdown-on-sigterm", value: "", err: "argument(s) must be one of the following: default, save, nosave, now, force"},
		{name: "shutdown-on-sigterm", value: "now  save", err: "argument(s) must be one of the following: default, save, nosave, now, force"},
	})
}

func TestSetString(t *testing.T) {
	runSetCases(t, []setCase{
		{name: "masterauth", value: "secret word", want: "secret word"},
		{name: "requirepass", value: "", want: ""},
		{name: "cluster-announce-hostname", value: "a.b-c", want: "a.b-c"},
		{name: "cluster-announce-hostname", value: "a_b", err: msgHostnameChars},
		{name: "cluster-announce-hostname", value: strings.Repeat("a", 255), want: strings.Repeat("a", 255)},
		{name: "cluster-announce-hostname", value: strings.Repeat("a", 256), err: msgHostnameLen},
		{name: "proc-title-template", value: "{port}", want: "{port}"},
		{name: "proc-title-template", value: "x{{y", want: "x{{y"},
		{name: "proc-title-template", value: "x}y", want: "x}y"},
		{name: "proc-title-template", value: "{title}", err: msgProcTitle},
		{name: "proc-title-template", value: "{foo}", err: msgProcTitle},
		{name: "proc-title-template", value: "{", err: msgProcTitle},
		{name: "proc-title-template", value: "{port", err: msgProcTitle},
		{name: "proc-title-template", value: "  ", err: msgProcTitle},
	})
	r := New()
	for _, tc := range []struct{ name, text, err string }{
		{"dbfilename", "a/b", msgDBFilename},
		{"dbfilename", `a\b`, msgDBFilename},
		{"appendfilename", `""`, msgAOFFilenameEmpty},
		{"appendfilename", "a/b", msgAOFFilenamePath},
		{"appenddirname", "''", msgAOFDirnameEmpty},
		{"appenddirname", "a/b", msgAOFDirnamePath},
	} {
		err := r.LoadString(tc.name + " " + tc.text)
		var le *LoadError
		if !errors.As(err, &le) || le.Msg != tc.err {
			t.Errorf("%s %s: %v, want %s", tc.name, tc.text, err, tc.err)
		}
	}
}

func TestSetSpecial(t *testing.T) {
	runSetCases(t, []setCase{
		{name: "save", value: "", want: ""},
		{name: "save", value: "100 1", want: "100 1"},
		{name: "save", value: "100 -0 +5 4294967297", want: "100 0 5 1"},
		{name: "save", value: "100 1 200", err: msgSave},
		{name: "save", value: "0 1", err: msgSave},
		{name: "save", value: "1 -1", err: msgSave},
		{name: "save", value: " 100 1", err: msgSave},
		{name: "save", value: "100 ", want: "100 0"},
		{name: "client-output-buffer-limit", value: "normal 1 2 3 replica 4kb 5mb 6",
			want: "normal 1 2 3 slave 4096 5242880 6 pubsub 33554432 8388608 60"},
		{name: "client-output-buffer-limit", value: "PubSub 0 0 4294967297",
			want: "normal 0 0 0 slave 268435456 67108864 60 pubsub 0 0 1"},
		{name: "client-output-buffer-limit", value: "",
			want: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
		{name: "client-output-buffer-limit", value: "normal 1 2", err: msgObufArgs},
		{name: "client-output-buffer-limit", value: "master 1 2 3", err: msgObufClass},
		{name: "client-output-buffer-limit", value: "normal x 2 3", err: msgObufValue},
		{name: "client-output-buffer-limit", value: "normal 0 0 -1", err: msgObufValue},
		{name: "oom-score-adj-values", value: "-2000 2000 0", want: "-2000 2000 0"},
		{name: "oom-score-adj-values", value: "0  200", want: "0 0 200"},
		{name: "oom-score-adj-values", value: "0 200 9999", err: msgOOMValues},
		{name: "oom-score-adj-values", value: "0 200", err: msgWrongArgs},
		{name: "notify-keyspace-events", value: "KEA", want: "AKE"},
		{name: "notify-keyspace-events", value: "Ex", want: "xE"},
		{name: "notify-keyspace-events", value: "Kn", want: "nK"},
		{name: "notify-keyspace-events", value: "g$lshzxetd", want: "A"},
		{name: "notify-keyspace-events", value: "AKEm", want: "AKEm"},
		{name: "notify-keyspace-events", value: "abc", err: msgNotify},
		{name: "bind", value: "", want: ""},
		{name: "bind", value: "0.0.0.0 ::", want: "0.0.0.0 ::"},
		{name: "bind", value: strings.Repeat("a ", 16) + "a", err: msgTooManyBind},
		{name: "latency-tracking-info-percentiles", value: "99.99999999 0.0000001 1e2 50.5", want: "100 0 100 50.5"},
		{name: "latency-tracking-info-percentiles", value: "", want: ""},
		{name: "latency-tracking-info-percentiles", value: "1k", err: msgPercentileParse},
		{name: "latency-tracking-info-percentiles", value: "nan", err: msgPercentileParse},
		{name: "latency-tracking-info-percentiles", value: "1_0", err: msgPercentileParse},
		{name: "latency-tracking-info-percentiles", value: "1e-400", err: msgPercentileParse},
		{name: "latency-tracking-info-percentiles", value: "-1", err: msgPercentileRange},
		{name: "latency-tracking-info-percentiles", value: "inf", err: msgPercentileRange},
	})
}

func TestSetDir(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/f"
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := New()
	if err := r.Set("dir", dir); err == nil || !strings.HasSuffix(err.Error(), msgProtected) {
		t.Fatalf("protected dir: %v", err)
	}
	if err := r.LoadString("enable-protected-configs yes"); err != nil {
		t.Fatal(err)
	}
	if err := r.Set("dir", dir); err != nil || r.String("dir") != dir {
		t.Fatalf("Set(dir) = %v, dir = %q", err, r.String("dir"))
	}
	if err := os.Mkdir(dir+"/sub", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := r.Set("dir", "sub"); err != nil || r.String("dir") != dir+"/sub" {
		t.Fatalf("relative Set(dir) = %v, dir = %q", err, r.String("dir"))
	}
	for v, want := range map[string]string{
		dir + "/none": "No such file or directory",
		file:          "Not a directory",
		"":            "No such file or directory",
	} {
		err := r.Set("dir", v)
		if err == nil || !strings.HasSuffix(err.Error(), "') - "+want) {
			t.Errorf("Set(dir, %q) = %v, want %s", v, err, want)
		}
	}
}

func TestSetProtectedLocal(t *testing.T) {
	r := New()
	if err := r.LoadString("enable-protected-configs local"); err != nil {
		t.Fatal(err)
	}
	if err := r.Set("dbfilename", "x.rdb"); err == nil {
		t.Error("remote client set a protected parameter")
	}
	if err := r.SetLocal("dbfilename", "x.rdb"); err != nil || r.String("dbfilename") != "x.rdb" {
		t.Errorf("SetLocal: %v", err)
	}
	if err := r.SetLocal("dbfilename", "a/b.rdb"); err == nil || !strings.HasSuffix(err.Error(), msgDBFilename) {
		t.Errorf("SetLocal with a path: %v", err)
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"foo", "bar"}, "Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[]string{"maxmemory", "x", "foo", "bar"}, "Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[]string{"daemonize", "yes", "foo", "bar"}, "CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"},
		{[]string{"DAEMONIZE", "no"}, "CONFIG SET failed (possibly related to argument 'DAEMONIZE') - can't set immutable config"},
		{[]string{"loop", "redcon"}, "CONFIG SET failed (possibly related to argument 'loop') - can't set immutable config"},
		{[]string{"slaveof", "a 1"}, "CONFIG SET failed (possibly related to argument 'slaveof') - can't set immutable config"},
		{[]string{"dir", "/"}, "CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"},
		{[]string{"MaxMemory", "1", "maxmemory", "2"}, "CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter"},
		{[]string{"MAXMEMORY", "foo"}, "CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"},
		{[]string{"slave-read-only", "x"}, "CONFIG SET failed (possibly related to argument 'slave-read-only') - argument must be 'yes' or 'no'"},
		{[]string{"maxmemory", "1mb", "hz", "x"}, "CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"},
		{[]string{"maxmemory"}, "wrong number of arguments for 'config|set' command"},
		{nil, "wrong number of arguments for 'config|set' command"},
		{[]string{"maxmemory", "1", "hz"}, "syntax error"},
	}
	for _, tt := range tests {
		r := New()
		err := r.Set(tt.args...)
		var e *Error
		if !errors.As(err, &e) || e.Msg != tt.want {
			t.Errorf("Set%q = %v, want %s", tt.args, err, tt.want)
		}
		if r.String("maxmemory") != "0" || r.String("hz") != "10" {
			t.Errorf("Set%q changed values despite failing", tt.args)
		}
	}
}

func TestSetSeveral(t *testing.T) {
	r := New()
	if err := r.Set("maxmemory", "1mb", "hz", "20", "slave-priority", "5", "save", "10 1"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"maxmemory": "1048576", "hz": "20", "replica-priority": "5", "save": "10 1",
	} {
		if got := r.String(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	// A name and its alias are two parameters to CONFIG SET; the last wins.
	if err := r.Set("hash-max-ziplist-entries", "1", "hash-max-listpack-entries", "2"); err != nil {
		t.Fatal(err)
	}
	if got := r.Int("hash-max-ziplist-entries"); got != 2 {
		t.Errorf("hash-max-ziplist-entries = %d, want 2", got)
	}
}

func TestSetRollback(t *testing.T) {
	r := New()
	var calls []string
	hook := func(name string, fail string) func(string) error {
		return func(v string) error {
			calls = append(calls, name+"="+v)
			if v == fail {
				return fmt.Errorf("cannot use %s", v)
			}
			return nil
		}
	}
	r.OnChange("maxmemory", hook("maxmemory", ""))
	r.OnChange("timeout", hook("timeout", "99"))
	r.OnChange("slave-priority", hook("replica-priority", ""))

	err := r.Set("maxmemory", "1mb", "replica-priority", "100", "timeout", "99", "hz", "50")
	want := "CONFIG SET failed (possibly related to argument 'timeout') - cannot use 99"
	if err == nil || err.Error() != want {
		t.Fatalf("Set = %v, want %s", err, want)
	}
	// replica-priority did not change (100 is its default): no hook for it.
	wantCalls := []string{"maxmemory=1048576", "timeout=99", "maxmemory=0", "timeout=0"}
	if !reflect.DeepEqual(calls, wantCalls) {
		t.Errorf("hooks ran %q, want %q", calls, wantCalls)
	}
	for name, want := range map[string]string{"maxmemory": "0", "timeout": "0", "hz": "10"} {
		if got := r.String(name); got != want {
			t.Errorf("after rollback %s = %q, want %q", name, got, want)
		}
	}

	calls = nil
	if err := r.Set("timeout", "5"); err != nil {
		t.Fatal(err)
	}
	if err := r.Set("timeout", "5"); err != nil { // unchanged: no hook
		t.Fatal(err)
	}
	if !reflect.DeepEqual(calls, []string{"timeout=5"}) {
		t.Errorf("hooks ran %q", calls)
	}
}

func TestGet(t *testing.T) {
	r := New()
	names := func(pairs []Pair) []string {
		var out []string
		for _, p := range pairs {
			out = append(out, p.Name)
		}
		return out
	}
	tests := []struct {
		patterns []string
		want     []string
	}{
		{[]string{"*max-*-entries*"}, []string{
			"hash-max-listpack-entries", "hash-max-ziplist-entries", "set-max-intset-entries",
			"zset-max-listpack-entries", "zset-max-ziplist-entries"}},
		{[]string{"maxmemory*"}, []string{
			"maxmemory", "maxmemory-clients", "maxmemory-eviction-tenacity", "maxmemory-policy", "maxmemory-samples"}},
		{[]string{"MAXMEMORY"}, []string{"MAXMEMORY"}},
		{[]string{"MAXMEMORY", "maxmem*"}, []string{
			"MAXMEMORY", "maxmemory-clients", "maxmemory-eviction-tenacity", "maxmemory-policy", "maxmemory-samples"}},
		{[]string{"maxmemory", "MaxMemory", "port", "port"}, []string{"maxmemory", "port"}},
		{[]string{"*slaveof*", "replicaof"}, []string{"replicaof", "slaveof"}},
		{[]string{"*delay*"}, []string{"repl-disable-tcp-nodelay", "repl-diskless-sync-delay"}}, // not the hidden ones
		{[]string{"key-load-delay"}, []string{"key-load-delay"}},
		{[]string{"loop?"}, []string{"loops"}},
		{[]string{"nosuch", "no*such"}, nil},
		{[]string{"[lm]axmemory"}, []string{"maxmemory"}},
	}
	for _, tt := range tests {
		if got := names(r.Get(tt.patterns...)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Get%q = %q, want %q", tt.patterns, got, tt.want)
		}
	}
	if got := r.Get("maxmemory-policy"); len(got) != 1 || got[0].Value != "noeviction" {
		t.Errorf("Get(maxmemory-policy) = %v", got)
	}
	all := r.Get("*")
	if len(all) != len(r.Names())-6 { // hidden ones left out
		t.Errorf("Get(*) has %d pairs, %d names", len(all), len(r.Names()))
	}
}

func TestAccessors(t *testing.T) {
	r := New()
	if err := r.LoadString(`
maxmemory 512mb
maxmemory-clients 10%
appendonly yes
loglevel warning
notify-keyspace-events KEx
save 900 1 300 10
client-output-buffer-limit replica 1gb 512mb 30
bind 10.0.0.1 -::1
latency-tracking-info-percentiles 50 99.5
`); err != nil {
		t.Fatal(err)
	}
	if got := r.Int("maxmemory"); got != 512<<20 {
		t.Errorf("Int(maxmemory) = %d", got)
	}
	if got := r.Int("maxmemory-clients"); got != -10 {
		t.Errorf("Int(maxmemory-clients) = %d", got)
	}
	if !r.Bool("appendonly") || r.Bool("daemonize") {
		t.Error("Bool")
	}
	if got := r.Int("loglevel"); got != 3 {
		t.Errorf("Int(loglevel) = %d", got)
	}
	if got := r.Int("notify-keyspace-events"); got != NotifyKeyspace|NotifyKeyevent|NotifyExpired {
		t.Errorf("Int(notify-keyspace-events) = %b", got)
	}
	if got := r.Save(); !reflect.DeepEqual(got, []SavePoint{{900, 1}, {300, 10}}) {
		t.Errorf("Save() = %v", got)
	}
	if got := r.OutputBufferLimits()[ClassReplica]; got != (BufferLimit{Hard: 1 << 30, Soft: 512 << 20, SoftSeconds: 30}) {
		t.Errorf("OutputBufferLimits() replica = %v", got)
	}
	if got := r.Bind(); !reflect.DeepEqual(got, []string{"10.0.0.1", "-::1"}) {
		t.Errorf("Bind() = %q", got)
	}
	if got := r.LatencyPercentiles(); !reflect.DeepEqual(got, []float64{50, 99.5}) {
		t.Errorf("LatencyPercentiles() = %v", got)
	}
	if r.Set("maxmemory", "18446744073709551615") != nil || uint64(r.Int("maxmemory")) != math.MaxUint64 {
		t.Error("maxmemory beyond MaxInt64")
	}
	if !r.Immutable("databases") || r.Immutable("maxmemory") || !r.Sensitive("requirepass") || r.Sensitive("port") {
		t.Error("Immutable/Sensitive")
	}
	if !r.Has("SLAVEOF") || r.Has("nosuch") {
		t.Error("Has")
	}
	for _, f := range []func(){
		func() { r.Int("nosuch") },
		func() { r.Int("requirepass") },
		func() { r.Bool("maxmemory") },
		func() { r.String("nosuch") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		}()
	}
}

// TestConcurrent reads parameters while others set them; run with -race.
func TestConcurrent(t *testing.T) {
	r := New()
	var hookCalls int
	r.OnChange("maxmemory", func(string) error { hookCalls++; return nil })
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if err := r.Set("maxmemory", fmt.Sprint(g*1000+i), "hz", fmt.Sprint(1+i%100)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				_ = r.Int("maxmemory") + r.Int("hz")
				_ = r.String("save")
				_ = r.Get("max*")
			}
		}()
	}
	wg.Wait()
	if hookCalls == 0 {
		t.Error("hook never ran")
	}
}

func BenchmarkInt(b *testing.B) {
	r := New()
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Int("maxmemory")
	}
}
