package rpc

import (
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// SLOWLOG: commands that ran for at least slowlog-log-slower-than microseconds (negative:
// never; 0: every command), newest first, at most slowlog-max-len of them. As in Redis an
// entry keeps at most 32 arguments of at most 128 bytes each, commands flagged skip_slowlog
// (EXEC) are left out while the commands inside a transaction are logged one by one, a
// blocked command is logged when it is served and not when it times out, and passwords are
// redacted.

// Limits of a slow log entry, as Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.
const (
	slowlogMaxArgs   = 32
	slowlogMaxString = 128
)

// slowEntry is one logged command.
type slowEntry struct {
	id, unix, usec int64
	args           [][]byte
	addr, name     string
}

// slowlog is the server's slow log: a queue with the newest entry last.
type slowlog struct {
	threshold atomic.Int64 // slowlog-log-slower-than in ns; math.MaxInt64 when off

	mu      sync.Mutex
	entries []slowEntry // entries[head:] are live, oldest first
	head    int
	nextID  int64
}

// slowlogCommands declares SLOWLOG.
func slowlogCommands() []*Command {
	flags := Admin | Loading | Stale
	return []*Command{
		{Name: "slowlog", Arity: -2, Group: GroupServer,
			Doc: Doc{Summary: "A container for slow log commands", Since: "2.2.12", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "slowlog|get", Arity: -2, Flags: flags, Group: GroupServer,
					Tips: []string{"request_policy:all_nodes", "nondeterministic_output"}, Run: slowlogGet,
					Doc: Doc{Summary: "Get the slow log's entries", Since: "2.2.12",
						Complexity: "O(N) where N is the number of entries returned",
						History:    [][2]string{{"4.0.0", "Added client IP address, port and name to the reply."}},
						Args:       []Arg{{Name: "count", Type: ArgInteger, Optional: true}}}},
				{Name: "slowlog|len", Arity: 2, Flags: flags, Group: GroupServer,
					Tips: []string{"request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"}, Run: slowlogLen,
					Doc: Doc{Summary: "Get the slow log's length", Since: "2.2.12", Complexity: "O(1)"}},
				{Name: "slowlog|reset", Arity: 2, Flags: flags, Group: GroupServer,
					Tips: []string{"request_policy:all_nodes", "response_policy:all_succeeded"}, Run: slowlogReset,
					Doc: Doc{Summary: "Clear all entries from the slow log", Since: "2.2.12",
						Complexity: "O(N) where N is the number of entries in the slowlog"}},
				{Name: "slowlog|help", Arity: 2, Flags: Loading | Stale, Group: GroupServer, Run: slowlogHelp,
					Doc: Doc{Summary: "Show helpful text about the different subcommands", Since: "6.2.0", Complexity: "O(1)"}},
			}},
	}
}

// setThreshold applies slowlog-log-slower-than (microseconds).
func (l *slowlog) setThreshold(usec int64) {
	switch {
	case usec < 0:
		l.threshold.Store(math.MaxInt64)
	case usec > math.MaxInt64/int64(time.Microsecond):
		l.threshold.Store(math.MaxInt64 - 1)
	default:
		l.threshold.Store(usec * int64(time.Microsecond))
	}
}

// add logs a command that ran for d, keeping at most max entries.
func (l *slowlog) add(c *Client, cmd *Command, args [][]byte, d time.Duration, max int64) {
	n := min(len(args), slowlogMaxArgs)
	e := slowEntry{unix: time.Now().Unix(), usec: int64(d / time.Microsecond), args: make([][]byte, n),
		addr: c.conn.RemoteAddr(), name: c.name}
	for i := range n {
		a := args[i]
		switch {
		case n != len(args) && i == n-1:
			e.args[i] = []byte("... (" + strconv.Itoa(len(args)-n+1) + " more arguments)")
		case redacted(c.srv, cmd, args, i):
			e.args[i] = []byte("(redacted)")
		case len(a) > slowlogMaxString:
			e.args[i] = append(a[:slowlogMaxString:slowlogMaxString], "... ("+strconv.Itoa(len(a)-slowlogMaxString)+" more bytes)"...)
		default:
			e.args[i] = append([]byte(nil), a...)
		}
	}
	l.mu.Lock()
	e.id = l.nextID
	l.nextID++
	l.entries = append(l.entries, e)
	l.trim(max)
	l.mu.Unlock()
}

// trim drops the oldest entries beyond max; the caller holds mu.
func (l *slowlog) trim(max int64) {
	if live := int64(len(l.entries) - l.head); live > max {
		drop := int(live - max)
		clear(l.entries[l.head : l.head+drop])
		l.head += drop
	}
	if l.head > 0 && l.head >= len(l.entries)/2 {
		n := copy(l.entries, l.entries[l.head:])
		clear(l.entries[n:])
		l.entries = l.entries[:n]
		l.head = 0
	}
}

// slowlogGet answers SLOWLOG GET [count]: the newest count entries (10 by default, -1 all).
func slowlogGet(c *Client, args [][]byte) {
	count := int64(10)
	switch len(args) {
	case 2:
	case 3:
		n, err := parseInt(args[2])
		if err != nil || n < -1 {
			c.Error("ERR count should be greater than or equal to -1")
			return
		}
		count = n
	default:
		c.Error(subcommandSyntax(args))
		return
	}
	l := &c.srv.slowlog
	l.mu.Lock()
	live := l.entries[l.head:]
	if count == -1 || count > int64(len(live)) {
		count = int64(len(live))
	}
	c.w.Array(int(count))
	for i := len(live) - 1; i >= len(live)-int(count); i-- {
		e := &live[i]
		c.w.Array(6)
		c.w.Int(e.id)
		c.w.Int(e.unix)
		c.w.Int(e.usec)
		c.w.Array(len(e.args))
		for _, a := range e.args {
			c.w.Bulk(a)
		}
		c.w.BulkString(e.addr)
		c.w.BulkString(e.name)
	}
	l.mu.Unlock()
}

func slowlogLen(c *Client, _ [][]byte) {
	l := &c.srv.slowlog
	l.mu.Lock()
	n := len(l.entries) - l.head
	l.mu.Unlock()
	c.w.Int(int64(n))
}

func slowlogReset(c *Client, _ [][]byte) {
	l := &c.srv.slowlog
	l.mu.Lock()
	l.entries, l.head = nil, 0
	l.mu.Unlock()
	c.w.Raw(replyOK)
}

var slowlogHelpLines = []string{
	"SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"GET [<count>]",
	"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
	"    Entries are made of:",
	"    id, timestamp, time in microseconds, arguments array, client IP and port,",
	"    client name",
	"LEN",
	"    Return the length of the slowlog.",
	"RESET",
	"    Reset the slowlog.",
	"HELP",
	"    Prints this help.",
}

func slowlogHelp(c *Client, _ [][]byte) { writeHelp(c, slowlogHelpLines) }
