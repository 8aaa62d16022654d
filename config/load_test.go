package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		line string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"   ", nil, true},
		{"save 900 1", []string{"save", "900", "1"}, true},
		{"  a \t b  ", []string{"a", "b"}, true},
		{`a "b c" d`, []string{"a", "b c", "d"}, true},
		{`"\x41\x4a\n\t\r\b\a\"\\\q"`, []string{"AJ\n\t\r\b\a\"\\q"}, true},
		{`"\x4g"`, []string{"x4g"}, true},
		{`'it\'s' 'a\nb'`, []string{"it's", `a\nb`}, true},
		{`""`, []string{""}, true},
		{`''`, []string{""}, true},
		{`ab"c d"e`, nil, false}, // closing quote followed by a letter
		{`ab"c d" e`, []string{"abc d", "e"}, true},
		{`"abc`, nil, false},
		{`'abc`, nil, false},
		{`"abc\`, nil, false},
		{"a\vb", []string{"a\vb"}, true}, // \v separates only at the start
		{"\va b", []string{"a", "b"}, true},
	}
	for _, tt := range tests {
		got, ok := splitArgs(tt.line)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzQuote checks that quote and splitArgs round-trip any string, which
// LoadArgs relies on.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "a b", `"\`, "\x00\xff\n", "'x'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := splitArgs(quote(s))
		if !ok || len(got) != 1 || got[0] != s {
			t.Fatalf("splitArgs(quote(%q)) = %q, %v", s, got, ok)
		}
	})
}

func TestLoadFile(t *testing.T) {
	r := New()
	if err := r.LoadFile("testdata/kvrpcd.conf"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"port":                       "7000",
		"bind":                       "127.0.0.1 ::1",
		"maxmemory":                  "104857600",
		"maxmemory-policy":           "allkeys-lru",
		"requirepass":                "pa ss!\n",
		"save":                       "900 1 300 10",
		"client-output-buffer-limit": "normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
		"hz":                         "30",
		"timeout":                    "5",
	} {
		if got := r.String(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	abs, _ := filepath.Abs("testdata/kvrpcd.conf")
	if r.ConfigFile() != abs {
		t.Errorf("ConfigFile() = %q, want %q", r.ConfigFile(), abs)
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"testdata/bad.conf", "testdata/bad.conf:3: argument must be a memory value"},
		{"testdata/badinclude.conf", "testdata/bad.conf:3: argument must be a memory value"},
		{"testdata/loop.conf", "testdata/loop.conf:1: includes nested deeper than 32 files"},
	}
	for _, tt := range tests {
		err := New().LoadFile(tt.file)
		var le *LoadError
		if !errors.As(err, &le) || err.Error() != tt.want {
			t.Errorf("LoadFile(%s) = %v, want %s", tt.file, err, tt.want)
		}
	}
	err := New().LoadFile("testdata/nosuch.conf")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLoadString(t *testing.T) {
	tests := []struct {
		text, want string // want: the error, or "" for none
	}{
		{"", ""},
		{"# only a comment\n\n   \n\t# another", ""},
		{"port 7000\r\nhz 5\r\n", ""},
		{"PORT 7000", ""},
		{"port 7000\nhz 1 2", "line 2: wrong number of arguments"},
		{"port", "line 1: wrong number of arguments"},
		{"nosuch 1", "line 1: Bad directive or wrong number of arguments"},
		{"include", "line 1: Bad directive or wrong number of arguments"},
		{"maxmemory \"1g", "line 1: Unbalanced quotes in configuration line"},
		{"maxmemory \"1g\"x", "line 1: Unbalanced quotes in configuration line"},
		{"maxmemory 'a\\'b'", "line 1: argument must be a memory value"},
		{"list-max-ziplist-entries 5\nlist-max-ziplist-value 5\nlua-replicate-commands yes", ""},
		{"list-max-ziplist-entries 5 6", "line 1: Bad directive or wrong number of arguments"},
		{"rename-command get x", "line 1: Directive 'rename-command' is not supported by kvrpcd"},
		{"user default on", "line 1: Directive 'user' is not supported by kvrpcd"},
		{"loadmodule /x.so", "line 1: Directive 'loadmodule' is not supported by kvrpcd"},
		{"foo.bar 1", "line 1: Directive 'foo.bar' is not supported by kvrpcd"},
		{"foo.bar", "line 1: Module config specified without value"},
		{"sentinel monitor x", "line 1: sentinel directive while not in sentinel mode"},
		{"include testdata/nosuch.conf", "line 1: can't open config file 'testdata/nosuch.conf': No such file or directory"},
		{"replicaof localhost", "line 1: wrong number of arguments"},
		{"replicaof localhost 70000", "line 1: Invalid master port"},
		{"slaveof localhost 6380\ncluster-enabled yes", "replicaof directive not allowed in cluster mode"},
		{"bind", ""},
		{"save", ""},
		{"oom-score-adj-values 0 200 9999", "line 1: Invalid oom-score-adj-values, elements must be between -2000 and 2000."},
		{"port 1\x00garbage", ""},
		{"daemonize yes\nloop redcon\nloops 4", ""},
		{"loop uring", "line 1: argument(s) must be one of the following: net, reactor, redcon"},
	}
	for _, tt := range tests {
		err := New().LoadString(tt.text)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("LoadString(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLoadValues(t *testing.T) {
	tests := []struct {
		text string
		want map[string]string
	}{
		{"save 100 1\nsave 200 2", map[string]string{"save": "100 1 200 2"}},
		{"save 100 1\nsave \"\"", map[string]string{"save": ""}},
		{"save \"\"\nsave 200 2", map[string]string{"save": "200 2"}},
		{"save", map[string]string{"save": ""}},
		{"hz 0", map[string]string{"hz": "1"}},
		{"repl-backlog-size 1", map[string]string{"repl-backlog-size": "1"}},
		{"bind \"'a\"", map[string]string{"bind": ""}},
		{"bind '1.2.3.4 ::1'", map[string]string{"bind": "1.2.3.4 ::1"}},
		{"client-output-buffer-limit 'pubsub 1 2 3'", map[string]string{"client-output-buffer-limit": "normal 0 0 0 slave 268435456 67108864 60 pubsub 1 2 3"}},
		{"slaveof h 1", map[string]string{"replicaof": "h 1", "slaveof": "h 1"}},
		{"slaveof h 1\nreplicaof NO ONE", map[string]string{"replicaof": ""}},
		{"daemonize yes\nloop redcon\nloops 4", map[string]string{"daemonize": "yes", "loop": "redcon", "loops": "4"}},
	}
	for _, tt := range tests {
		r := New()
		if err := r.LoadString(tt.text); err != nil {
			t.Errorf("LoadString(%q): %v", tt.text, err)
			continue
		}
		for name, want := range tt.want {
			if got := r.String(name); got != want {
				t.Errorf("LoadString(%q): %s = %q, want %q", tt.text, name, got, want)
			}
		}
	}
}

// TestLoadSaveAcrossLoads checks that a file and then options behave as
// one load: only the first save directive drops the defaults.
func TestLoadSaveAcrossLoads(t *testing.T) {
	r := New()
	if err := r.Load([]string{"testdata/kvrpcd.conf", "--save", "5", "5"}); err != nil {
		t.Fatal(err)
	}
	if got := r.String("save"); got != "900 1 300 10 5 5" {
		t.Errorf("save = %q", got)
	}
	if err := r.Set("save", "1 1"); err != nil || r.String("save") != "1 1" {
		t.Errorf("CONFIG SET after loading: %v, %q", err, r.String("save"))
	}
}

func TestArgsToConfig(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"--port", "7000"}, `port "7000" `},
		{[]string{"--port 7000", "--hz", "5"}, "port 7000 \nhz \"5\" "},
		{[]string{"--save", "900", "1", "300", "10"}, `save "900" "1" "300" "10" `},
		{[]string{"--save", "--port", "7000"}, "save \"\"\nport \"7000\" "},
		{[]string{"--port", "7000", "--save"}, "port \"7000\" \nsave \"\""},
		{[]string{"--save", ""}, `save "" `},
		{[]string{"--requirepass", "--weird"}, `requirepass "--weird" `},
		{[]string{"--maxmemory", "-1"}, `maxmemory "-1" `},
		{[]string{"--requirepass", "a\"b\\c\n\x01"}, `requirepass "a\"b\\c\n\x01" `},
		{[]string{"--sentinel", "--port", "1"}, "sentinel \nport \"1\" "},
		{[]string{"--port"}, "port "},
	}
	for _, tt := range tests {
		got, err := argsToConfig(tt.args)
		if err != nil || got != tt.want {
			t.Errorf("argsToConfig(%q) = %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
	for _, args := range [][]string{{"-"}, {"--port", "1", "-"}} {
		if _, err := argsToConfig(args); !errors.Is(err, ErrStdin) {
			t.Errorf("argsToConfig(%q) = %v, want ErrStdin", args, err)
		}
	}
}

func TestLoadArgs(t *testing.T) {
	tests := []struct {
		args []string
		want map[string]string
		err  string
	}{
		{args: []string{"--port", "7000", "--save", "", "--appendonly", "no"},
			want: map[string]string{"port": "7000", "save": "", "appendonly": "no"}},
		{args: []string{"--save", "900", "1", "300", "10", "--bind", "0.0.0.0", "::"},
			want: map[string]string{"save": "900 1 300 10", "bind": "0.0.0.0 ::"}},
		{args: []string{"--save", "900 1", "--save", "60", "10000"},
			want: map[string]string{"save": "900 1 60 10000"}},
		{args: []string{"--save"}, want: map[string]string{"save": ""}},
		{args: []string{"--save", "--hz", "7"}, want: map[string]string{"save": "", "hz": "7"}},
		{args: []string{"--requirepass", "--secret--", "--hz", "7"},
			want: map[string]string{"requirepass": "--secret--", "hz": "7"}},
		{args: []string{"--client-output-buffer-limit", "normal 1 2 3"},
			want: map[string]string{"client-output-buffer-limit": "normal 1 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60"}},
		{args: []string{"--loop", "reactor", "--loops", "8"}, want: map[string]string{"loop": "reactor", "loops": "8"}},
		{args: []string{"--maxmemory", "lots"}, err: "option --maxmemory: argument must be a memory value"},
		{args: []string{"--maxmemory", "1mb", "2mb"}, err: "option --maxmemory: wrong number of arguments"},
		{args: []string{"--nosuch", "1"}, err: "option --nosuch: Bad directive or wrong number of arguments"},
		{args: []string{"--hz"}, err: "option --hz: wrong number of arguments"},
		{args: []string{"--hz", "--9"}, err: "option --hz: argument couldn't be parsed into an integer"},
		{args: []string{"--include", "testdata/bad.conf"}, err: "testdata/bad.conf:3: argument must be a memory value"},
	}
	for _, tt := range tests {
		r := New()
		err := r.LoadArgs(tt.args)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("LoadArgs(%q) = %v, want %s", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("LoadArgs(%q): %v", tt.args, err)
			continue
		}
		for name, want := range tt.want {
			if got := r.String(name); got != want {
				t.Errorf("LoadArgs(%q): %s = %q, want %q", tt.args, name, got, want)
			}
		}
	}
}

func TestLoad(t *testing.T) {
	r := New()
	if err := r.Load([]string{"testdata/kvrpcd.conf", "--port", "7001", "--hz", "40"}); err != nil {
		t.Fatal(err)
	}
	if r.String("port") != "7001" || r.String("hz") != "40" || r.String("maxmemory") != "104857600" {
		t.Errorf("port %s hz %s maxmemory %s", r.String("port"), r.String("hz"), r.String("maxmemory"))
	}
	r = New()
	if err := r.Load([]string{"--port", "7001"}); err != nil || r.ConfigFile() != "" || r.String("port") != "7001" {
		t.Errorf("Load without a file: %v, %q", err, r.ConfigFile())
	}
	if err := New().Load([]string{"testdata/nosuch.conf"}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load with a missing file: %v", err)
	}
}

func TestLoadHooks(t *testing.T) {
	r := New()
	var got []string
	r.OnChange("port", func(v string) error {
		got = append(got, v)
		if v == "1" {
			return errors.New("port 1 is reserved")
		}
		return nil
	})
	if err := r.LoadString("port 7000\nport 7000\nport 7001"); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []string{"7000", "7001"}) {
		t.Errorf("hook saw %q", got)
	}
	err := r.LoadString("hz 5\nport 1")
	var le *LoadError
	if !errors.As(err, &le) || le.Line != 2 || le.Msg != "port 1 is reserved" || le.Err == nil {
		t.Errorf("hook error: %#v", err)
	}
	if !strings.Contains(err.Error(), "line 2: port 1 is reserved") {
		t.Errorf("hook error text: %v", err)
	}
}
