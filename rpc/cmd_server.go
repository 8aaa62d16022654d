package rpc

import (
	"errors"
	"strconv"
	"time"

	"github.com/kvrpcd/kvrpcd/config"
)

// serverCommands declares the server commands: COMMAND (cmd_command.go), INFO (info.go),
// CONFIG, TIME, LASTSAVE, DEBUG, and the FUNCTION commands that make sense while kvrpcd has
// no scripting engine.
func serverCommands() []*Command {
	adminFlags := Admin | NoScript | Loading | Stale
	allShards := []string{"request_policy:all_shards", "response_policy:all_succeeded"}
	return []*Command{
		commandCommand(),
		{Name: "info", Arity: -1, Flags: Loading | Stale, Group: GroupServer, ACL: ACLDangerous,
			Tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"}, Run: infoCommand,
			Doc: Doc{Summary: "Get information and statistics about the server", Since: "1.0.0", Complexity: "O(1)",
				History: [][2]string{{"7.0.0", "Added support for taking multiple section arguments."}},
				Args:    []Arg{{Name: "section", Type: ArgString, Optional: true, Multiple: true}}}},
		{Name: "config", Arity: -2, Group: GroupServer,
			Doc: Doc{Summary: "A container for server configuration commands", Since: "2.0.0", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "config|get", Arity: -3, Flags: adminFlags, Group: GroupServer, Run: configGet,
					Doc: Doc{Summary: "Get the values of configuration parameters", Since: "2.0.0",
						Complexity: "O(N) when N is the number of configuration parameters provided",
						History:    [][2]string{{"7.0.0", "Added the ability to pass multiple pattern parameters in one call"}},
						Args: []Arg{{Name: "parameter", Type: ArgBlock, Multiple: true, Args: []Arg{
							{Name: "parameter", Type: ArgString},
						}}}}},
				{Name: "config|help", Arity: 2, Flags: Loading | Stale, Group: GroupServer, Run: configHelp,
					Doc: Doc{Summary: "Show helpful text about the different subcommands", Since: "5.0.0", Complexity: "O(1)"}},
				{Name: "config|resetstat", Arity: 2, Flags: adminFlags, Group: GroupServer, Run: configResetstat,
					Doc: Doc{Summary: "Reset the stats returned by INFO", Since: "2.0.0", Complexity: "O(1)"}},
				{Name: "config|rewrite", Arity: 2, Flags: adminFlags, Group: GroupServer, Run: configRewrite,
					Doc: Doc{Summary: "Rewrite the configuration file with the in memory configuration", Since: "2.8.0", Complexity: "O(1)"}},
				{Name: "config|set", Arity: -4, Flags: adminFlags, Group: GroupServer,
					Tips: []string{"request_policy:all_nodes", "response_policy:all_succeeded"}, Run: configSet,
					Doc: Doc{Summary: "Set configuration parameters to the given values", Since: "2.0.0",
						Complexity: "O(N) when N is the number of configuration parameters provided",
						History:    [][2]string{{"7.0.0", "Added the ability to set multiple parameters in one call."}},
						Args: []Arg{{Name: "parameter_value", Type: ArgBlock, Multiple: true, Args: []Arg{
							{Name: "parameter", Type: ArgString},
							{Name: "value", Type: ArgString},
						}}}}},
			}},
		{Name: "time", Arity: 1, Flags: Loading | Stale | Fast, Group: GroupServer,
			Tips: []string{"nondeterministic_output"}, Run: timeCommand,
			Doc: Doc{Summary: "Return the current server time", Since: "2.6.0", Complexity: "O(1)"}},
		{Name: "lastsave", Arity: 1, Flags: Loading | Stale | Fast, Group: GroupServer, ACL: ACLAdmin | ACLDangerous,
			Tips: []string{"nondeterministic_output"}, Run: lastsaveCommand,
			Doc: Doc{Summary: "Get the UNIX time stamp of the last successful save to disk", Since: "1.0.0", Complexity: "O(1)"}},
		{Name: "debug", Arity: -2, Flags: adminFlags, Group: GroupServer, Run: debugCommand,
			Doc: Doc{Summary: "A container for debugging commands", Since: "1.0.0", Complexity: "Depends on subcommand."}},
		{Name: "function", Arity: -2, Group: GroupScripting,
			Doc: Doc{Summary: "A container for function commands", Since: "7.0.0", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "function|delete", Arity: 3, Flags: Write | NoScript, Group: GroupScripting, Tips: allShards, Run: functionDelete,
					Doc: Doc{Summary: "Delete a function by name", Since: "7.0.0", Complexity: "O(1)",
						Args: []Arg{{Name: "library-name", Type: ArgString}}}},
				{Name: "function|flush", Arity: -2, Flags: Write | NoScript, Group: GroupScripting, Tips: allShards, Run: functionFlush,
					Doc: Doc{Summary: "Deleting all functions", Since: "7.0.0", Complexity: "O(N) where N is the number of functions deleted",
						Args: []Arg{{Name: "async", Type: ArgOneOf, Optional: true, Args: []Arg{
							{Name: "async", Type: ArgPureToken, Token: "ASYNC"},
							{Name: "sync", Type: ArgPureToken, Token: "SYNC"},
						}}}}},
				{Name: "function|help", Arity: 2, Flags: Loading | Stale, Group: GroupScripting, Run: functionHelp,
					Doc: Doc{Summary: "Show helpful text about the different subcommands", Since: "7.0.0", Complexity: "O(1)"}},
				{Name: "function|kill", Arity: 2, Flags: NoScript | AllowBusy, Group: GroupScripting,
					Tips: []string{"request_policy:all_shards", "response_policy:one_succeeded"}, Run: functionKill,
					Doc: Doc{Summary: "Kill the function currently in execution.", Since: "7.0.0", Complexity: "O(1)"}},
				{Name: "function|list", Arity: -2, Flags: NoScript, Group: GroupScripting,
					Tips: []string{"nondeterministic_output_order"}, Run: functionList,
					Doc: Doc{Summary: "List information about all the functions", Since: "7.0.0", Complexity: "O(N) where N is the number of functions",
						Args: []Arg{
							{Name: "library-name-pattern", Type: ArgString, Token: "LIBRARYNAME", Optional: true},
							{Name: "withcode", Type: ArgPureToken, Token: "WITHCODE", Optional: true},
						}}},
				{Name: "function|stats", Arity: 2, Flags: NoScript | AllowBusy, Group: GroupScripting,
					Tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"}, Run: functionStats,
					Doc: Doc{Summary: "Return information about the function currently running (name, description, duration)", Since: "7.0.0", Complexity: "O(1)"}},
			}},
	}
}

func configGet(c *Client, args [][]byte) {
	patterns := make([]string, len(args)-2)
	for i, a := range args[2:] {
		patterns[i] = string(a)
	}
	pairs := c.srv.cfg.Get(patterns...)
	c.w.Map(len(pairs))
	for _, p := range pairs {
		c.w.BulkString(p.Name)
		c.w.BulkString(p.Value)
	}
}

// configSet sets every pair at once or none, as Redis 7.0. A client on the loopback may also
// set the protected parameters when enable-protected-configs is "local".
func configSet(c *Client, args [][]byte) {
	if len(args)%2 != 0 {
		c.Error(msgSyntax)
		return
	}
	pairs := make([]string, len(args)-2)
	for i, a := range args[2:] {
		pairs[i] = string(a)
	}
	set := c.srv.cfg.Set
	if isLoopback(c.conn.RemoteAddr()) {
		set = c.srv.cfg.SetLocal
	}
	if err := set(pairs...); err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			c.Error("ERR " + ce.Msg)
		} else {
			c.Error("ERR " + err.Error())
		}
		return
	}
	c.w.Raw(replyOK)
}

// configResetstat zeroes the statistics INFO reports: command and error counters, and the
// server-wide totals.
func configResetstat(c *Client, _ [][]byte) {
	s := c.srv
	for i := range s.stats {
		st := &s.stats[i]
		st.calls.Store(0)
		st.usec.Store(0)
		st.rejected.Store(0)
		st.failed.Store(0)
		st.hist.Store(nil)
	}
	s.counts.connections.Store(0)
	s.counts.commands.Store(0)
	s.counts.rejectedConns.Store(0)
	s.counts.errorReplies.Store(0)
	s.counts.netInput.Store(0)
	s.counts.netOutput.Store(0)
	s.counts.mu.Lock()
	clear(s.counts.errors)
	s.counts.mu.Unlock()
	peakMemory.Store(0)
	c.w.Raw(replyOK)
}

// configRewrite rewrites the configuration file the server was started with
// ([config.Registry.Rewrite]).
func configRewrite(c *Client, _ [][]byte) {
	if err := c.srv.cfg.Rewrite(); err != nil {
		if err == config.ErrNoConfigFile {
			c.Error(msgNoConfigFile)
			return
		}
		c.srv.log.Warn("CONFIG REWRITE failed", "err", err)
		c.Error("ERR " + err.Error())
		return
	}
	c.srv.log.Info("CONFIG REWRITE executed with success")
	c.w.Raw(replyOK)
}

var configHelpLines = []string{
	"CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"GET <pattern>",
	"    Return parameters matching the glob-like <pattern> and their values.",
	"SET <directive> <value>",
	"    Set the configuration <directive> to <value>.",
	"RESETSTAT",
	"    Reset statistics reported by the INFO command.",
	"REWRITE",
	"    Rewrite the configuration file.",
	"HELP",
	"    Prints this help.",
}

func configHelp(c *Client, _ [][]byte) { writeHelp(c, configHelpLines) }

func timeCommand(c *Client, _ [][]byte) {
	now := time.Now()
	c.w.Array(2)
	c.w.BulkInt(now.Unix())
	c.w.BulkInt(int64(now.Nanosecond() / 1000))
}

// lastsaveCommand answers the server's start time: kvrpcd does not persist yet, so nothing
// was saved since.
func lastsaveCommand(c *Client, _ [][]byte) { c.w.Int(c.srv.start.Unix()) }

// debugAllowed applies enable-debug-command as Redis does for its protected commands:
// "no" refuses DEBUG, "local" allows it from loopback connections only, "yes" always.
func (c *Client) debugAllowed() bool {
	switch c.srv.cfg.String("enable-debug-command") {
	case "yes":
		return true
	case "local":
		return isLoopback(c.conn.RemoteAddr())
	}
	return false
}

// debugCommand runs the DEBUG subcommands kvrpcd supports; the others answer Redis's
// reply to an unknown DEBUG subcommand.
func debugCommand(c *Client, args [][]byte) {
	if !c.debugAllowed() {
		c.Error(msgDebugNotAllowed)
		return
	}
	sub := args[1]
	switch {
	case is(sub, "help") && len(args) == 2:
		writeHelp(c, debugHelpLines)
	case is(sub, "sleep") && len(args) == 3:
		if d := cStrtod(args[2]) * float64(time.Second); d > 0 {
			time.Sleep(time.Duration(min(d, float64(1<<62))))
		}
		c.w.Raw(replyOK)
	case is(sub, "set-active-expire") && len(args) == 3:
		c.srv.setActiveExpire(cAtoi(args[2]) != 0)
		c.w.Raw(replyOK)
	case is(sub, "log") && len(args) == 3:
		c.srv.log.Warn("DEBUG LOG", "message", string(args[2]))
		c.w.Raw(replyOK)
	case is(sub, "error") && len(args) == 3:
		c.Error(string(args[2]))
	case is(sub, "protocol") && len(args) == 3:
		debugProtocol(c, args[2])
	default:
		c.Error(subcommandSyntax(args))
	}
}

var debugHelpLines = []string{
	"DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"ERROR <string>",
	"    Return a Redis protocol error with <string> as message. Useful for clients",
	"    unit tests to simulate Redis errors.",
	"LOG <message>",
	"    Write <message> to the server log.",
	"PROTOCOL <type>",
	"    Reply with a test value of the specified type. <type> can be: string,",
	"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
	"    true, false.",
	"SET-ACTIVE-EXPIRE <0|1>",
	"    Setting it to 0 disables expiring keys in background when they are not",
	"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
	"    default.",
	"SLEEP <seconds>",
	"    Stop the server for <seconds>. Decimals allowed.",
	"HELP",
	"    Prints this help.",
}

// debugProtocol answers DEBUG PROTOCOL with the sample value of each reply type that Redis
// sends, so that client libraries can test their parsers.
func debugProtocol(c *Client, name []byte) {
	w := &c.w
	switch {
	case is(name, "string"):
		w.BulkString("Hello World")
	case is(name, "integer"):
		w.Int(12345)
	case is(name, "double"):
		w.Double(3.141)
	case is(name, "bignum"):
		w.BigNumber("1234567999999999999999999999999999999")
	case is(name, "null"):
		w.Null()
	case is(name, "array"), is(name, "set"):
		if is(name, "set") {
			w.Set(3)
		} else {
			w.Array(3)
		}
		for i := range 3 {
			w.Int(int64(i))
		}
	case is(name, "map"):
		w.Map(3)
		for i := range 3 {
			w.Int(int64(i))
			w.Bool(i == 1)
		}
	case is(name, "attrib"):
		if w.Proto == 3 {
			w.Attribute(1)
			w.BulkString("key-popularity")
			w.Array(2)
			w.BulkString("key:123")
			w.Int(90)
		}
		w.BulkString("Some real reply following the attribute")
	case is(name, "push"):
		if w.Proto != 3 {
			c.Error(msgDebugRESP2)
			return
		}
		w.Push(2)
		w.BulkString("server-cpu-usage")
		w.Int(42)
		w.BulkString("Some real reply following the push reply")
	case is(name, "verbatim"):
		w.Verbatim("txt", "This is a verbatim\nstring")
	case is(name, "true"):
		w.Bool(true)
	case is(name, "false"):
		w.Bool(false)
	default:
		c.Error(msgDebugProtocol)
	}
}

// cStrtod parses the longest prefix of b that C's strtod accepts, 0 when there is none, as
// Redis reads DEBUG SLEEP's argument.
func cStrtod(b []byte) float64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	b = b[i:min(len(b), i+64)]
	for n := len(b); n > 0; n-- {
		if f, err := strconv.ParseFloat(string(b[:n]), 64); err == nil || errors.Is(err, strconv.ErrRange) {
			return f
		}
	}
	return 0
}

// cAtoi parses b as C's atoi: leading spaces, an optional sign, then digits up to the first
// other byte.
func cAtoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var n int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// kvrpcd has no scripting engine yet, so no function library ever exists: the FUNCTION
// subcommands below answer as Redis does when none is loaded.

func functionDelete(c *Client, _ [][]byte) { c.Error(msgLibraryNotFound) }

func functionKill(c *Client, _ [][]byte) { c.Error(msgNotBusy) }

func functionFlush(c *Client, args [][]byte) {
	switch {
	case len(args) > 3:
		c.Error(subcommandSyntax(args))
	case len(args) == 3 && !is(args[2], "async") && !is(args[2], "sync"):
		c.Error(msgFunctionFlushMode)
	default:
		c.w.Raw(replyOK)
	}
}

func functionList(c *Client, args [][]byte) {
	withCode, byName := false, false
	for i := 2; i < len(args); i++ {
		switch {
		case !withCode && is(args[i], "withcode"):
			withCode = true
		case !byName && is(args[i], "libraryname"):
			if i == len(args)-1 {
				c.Error(msgLibraryNameArg)
				return
			}
			byName = true
			i++
		default:
			c.Error("ERR Unknown argument " + sanitize(args[i]))
			return
		}
	}
	c.w.Array(0)
}

// functionStats reports no running script and no engine.
func functionStats(c *Client, _ [][]byte) {
	c.w.Map(2)
	c.w.BulkString("running_script")
	c.w.Null()
	c.w.BulkString("engines")
	c.w.Map(0)
}

var functionHelpLines = []string{
	"FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"DELETE <LIBRARY NAME>",
	"    Delete the given library.",
	"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
	"    Return general information on all the libraries:",
	"    * Library name",
	"    * The engine used to run the Library",
	"    * Library description",
	"    * Functions list",
	"    * Library code (if WITHCODE is given)",
	"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
	"STATS",
	"    Return information about the current function running:",
	"    * Function name",
	"    * Command used to run the function",
	"    * Duration in MS that the function is running",
	"    If no function is running, return nil",
	"    In addition, returns a list of available engines.",
	"KILL",
	"    Kill the current running function.",
	"FLUSH [ASYNC|SYNC]",
	"    Delete all the libraries.",
	"    When called without the optional mode argument, the behavior is determined by the",
	"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
	"    * ASYNC: Asynchronously flush the libraries.",
	"    * SYNC: Synchronously flush the libraries.",
	"HELP",
	"    Prints this help.",
}

func functionHelp(c *Client, _ [][]byte) { writeHelp(c, functionHelpLines) }
