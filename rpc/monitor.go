package rpc

import (
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// MONITOR: a monitor client receives a line for every command the server executes, as
// Redis 7.0 feeds them: after the command ran (so SELECT shows its new database), commands
// inside EXEC one by one between MULTI and EXEC, and never admin commands or commands that
// failed before running (unknown, wrong arity, unauthenticated). The lines travel through
// the monitor's push buffer, bounded by the normal class of client-output-buffer-limit, the
// class Redis gives monitors. With no monitor the hot path pays one atomic load.

// monitorRegistry holds the clients in MONITOR mode.
type monitorRegistry struct {
	mu      sync.Mutex
	clients []*Client
}

// monitorCommands declares MONITOR.
func monitorCommands() []*Command {
	return []*Command{
		{Name: "monitor", Arity: 1, Flags: Admin | NoScript | Loading | Stale, Group: GroupServer, Run: monitorCommand,
			Doc: Doc{Summary: "Listen for all requests received by the server in real time", Since: "1.0.0"}},
	}
}

// monitorCommand turns the connection into a monitor. A second MONITOR gets no reply at all,
// as in Redis; inside EXEC it is refused, since a transaction's client wants one reply per
// command.
func monitorCommand(c *Client, _ [][]byte) {
	if c.execing {
		c.Error("ERR MONITOR isn't allowed for DENY BLOCKING client")
		return
	}
	if c.monitoring.Load() {
		return
	}
	s := c.srv
	s.monitors.mu.Lock()
	s.monitors.clients = append(s.monitors.clients, c)
	s.nmonitors.Add(1)
	s.monitors.mu.Unlock()
	c.monitoring.Store(true)
	c.w.Raw(replyOK)
}

// stopMonitor takes the client out of MONITOR mode (RESET, disconnection).
func (c *Client) stopMonitor() {
	if !c.monitoring.Load() {
		return
	}
	s := c.srv
	s.monitors.mu.Lock()
	if i := slices.Index(s.monitors.clients, c); i >= 0 {
		s.monitors.clients = slices.Delete(s.monitors.clients, i, i+1)
		s.nmonitors.Add(-1)
	}
	s.monitors.mu.Unlock()
	c.monitoring.Store(false)
}

// monitorRefuses answers a keyspace command sent by a monitor: Redis marks monitors as
// replicas, which may not read or write keys. It reports whether it refused.
func (c *Client) monitorRefuses(cmd *Command) bool {
	if cmd.Flags&(Write|ReadOnly) == 0 && cmd.Name != "publish" && cmd.Name != "spublish" {
		return false
	}
	c.abortMulti()
	c.srv.stats[cmd.id].rejected.Add(1)
	c.Error("ERR Replica can't interact with the keyspace")
	return true
}

// feedMonitors sends the command c has just executed to every monitor:
//
//	+1700000000.123456 [0 127.0.0.1:50000] "set" "k" "v"
func (s *Server) feedMonitors(c *Client, cmd *Command, args [][]byte) {
	now := time.Now()
	line := make([]byte, 0, 64+16*len(args))
	line = append(line, '+')
	line = strconv.AppendInt(line, now.Unix(), 10)
	line = append(line, '.')
	us := now.Nanosecond() / 1000
	for d := 100000; d > 1 && us < d; d /= 10 {
		line = append(line, '0')
	}
	line = strconv.AppendInt(line, int64(us), 10)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.db), 10)
	line = append(line, ' ')
	line = append(line, c.conn.RemoteAddr()...)
	line = append(line, ']')
	for i, a := range args {
		line = append(line, ' ')
		if redacted(s, cmd, args, i) {
			line = append(line, `"(redacted)"`...)
		} else {
			line = resp.AppendRepr(line, a)
		}
	}
	line = append(line, '\r', '\n')
	limit := s.outputHard.Load()
	s.monitors.mu.Lock()
	monitors := slices.Clone(s.monitors.clients)
	s.monitors.mu.Unlock()
	for _, m := range monitors {
		m.push(line, limit)
	}
}

// redacted reports whether argument i of a command must be hidden from MONITOR and the
// slow log, as Redis's redactClientCommandArgument: passwords of AUTH and HELLO AUTH, and
// values of sensitive parameters in CONFIG SET.
func redacted(s *Server, cmd *Command, args [][]byte, i int) bool {
	if i == 0 {
		return false
	}
	switch cmd.Name {
	case "auth":
		return len(args) <= 3 // a syntax error comes before the redaction
	case "hello":
		for j := 2; j < len(args); j++ {
			more := len(args) - 1 - j
			switch {
			case is(args[j], "auth") && more >= 2:
				if i == j+1 || i == j+2 {
					return true
				}
				j += 2
			case is(args[j], "setname") && more >= 1:
				j++
			default:
				return false
			}
		}
	case "config|set":
		if i >= 3 && i%2 == 1 {
			name := string(args[i-1])
			return s.cfg.Has(name) && s.cfg.Sensitive(name)
		}
	}
	return false
}
