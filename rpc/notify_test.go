package rpc

import (
	"strings"
	"testing"
)

// TestNotifyClassGating checks that an event is published only when notify-keyspace-events
// enables its class and at least one of the K and E channels, on exactly those channels.
func TestNotifyClassGating(t *testing.T) {
	cases := []struct {
		config, cmd string
		want        []string // channels that must get a message, in order
	}{
		{"", "SET k v", nil},
		{"KEA", "SET k v", []string{"__keyspace@0__:k", "__keyevent@0__:set"}},
		{"K$", "SET k v", []string{"__keyspace@0__:k"}},
		{"E$", "SET k v", []string{"__keyevent@0__:set"}},
		{"$", "SET k v", nil},  // no channel enabled
		{"Eg", "SET k v", nil}, // string class off
		{"Eg", "DEL k", []string{"__keyevent@0__:del"}},
		{"El", "RPUSH l a", []string{"__keyevent@0__:rpush"}},
		{"EA", "GET nokey", nil}, // A leaves out keymiss
		{"Em", "GET nokey", []string{"__keyevent@0__:keymiss"}},
		{"EA", "SET fresh v", []string{"__keyevent@0__:set"}}, // A leaves out new
		{"En", "SET fresh2 v", []string{"__keyevent@0__:new"}},
		{"Ee", "SET k v", nil}, // evicted: accepted, never fires
	}
	for _, tc := range cases {
		lt := newLocalTarget(t)
		lt.do(t, encodeInline(t, "SET k v"))
		lt.do(t, encodeInline(t, "DEL l"))
		lt.do(t, encodeInline(t, "HELLO 3"))
		if got := lt.do(t, encodeInline(t, `CONFIG SET notify-keyspace-events "`+tc.config+`"`)); got != "OK" {
			t.Fatalf("CONFIG SET %q: %s", tc.config, got)
		}
		lt.do(t, encodeInline(t, "PSUBSCRIBE __key*__:*"))
		out := lt.do(t, encodeInline(t, tc.cmd))
		if flags := lt.srv.notifyFlags.Load(); flags != lt.srv.cfg.Int("notify-keyspace-events") {
			t.Fatalf("%q: notifyFlags %b, parameter %b", tc.config, flags, lt.srv.cfg.Int("notify-keyspace-events"))
		}
		// The messages of the command, pushed inline, and those of "new", drained below.
		lt.cl.drainPushes()
		out += "\n" + renderReplies(t, lt.cl.Output())
		lt.cl.ResetOutput()
		var got []string
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, `3) "__key`) {
				got = append(got, strings.Trim(strings.TrimPrefix(line, "3) "), `"`))
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("config %q, %s: channels %q, want %q", tc.config, tc.cmd, got, tc.want)
		}
	}
}
