package rpc

import (
	"crypto/subtle"
	"slices"
	"strconv"
	"time"
)

// connectionCommands declares the connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH
// and CLIENT. CLIENT SETINFO and CLIENT NO-TOUCH come from Redis 7.2: clients send SETINFO
// on every connection, and answering it beats an error they must ignore.
func connectionCommands() []*Command {
	connFlags := NoScript | Loading | Stale | Fast | NoAuth | AllowBusy
	clientFlags := NoScript | Loading | Stale
	onOffArgs := []Arg{{Name: "enabled", Type: ArgOneOf, Args: []Arg{
		{Name: "on", Type: ArgPureToken, Token: "ON"},
		{Name: "off", Type: ArgPureToken, Token: "OFF"},
	}}}
	clientTypes := func(name string, old bool) Arg {
		a := Arg{Name: name, Type: ArgOneOf, Token: "TYPE", Optional: true, Args: []Arg{
			{Name: "normal", Type: ArgPureToken, Token: "NORMAL"},
			{Name: "master", Type: ArgPureToken, Token: "MASTER"},
			{Name: "replica", Type: ArgPureToken, Token: "REPLICA"},
			{Name: "pubsub", Type: ArgPureToken, Token: "PUBSUB"},
		}}
		if old {
			a.Since = "2.8.12"
			a.Args = []Arg{
				{Name: "normal", Type: ArgPureToken, Token: "NORMAL"},
				{Name: "master", Type: ArgPureToken, Token: "MASTER", Since: "3.2.0"},
				{Name: "slave", Type: ArgPureToken, Token: "SLAVE"},
				{Name: "replica", Type: ArgPureToken, Token: "REPLICA", Since: "5.0.0"},
				{Name: "pubsub", Type: ArgPureToken, Token: "PUBSUB"},
			}
		} else {
			a.Since = "5.0.0"
		}
		return a
	}

	return []*Command{
		{Name: "ping", Arity: -1, Flags: Fast, Group: GroupConnection,
			Tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"}, Run: pingCommand,
			Doc: Doc{Summary: "Ping the server", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{{Name: "message", Type: ArgString, Optional: true}}}},
		{Name: "echo", Arity: 2, Flags: Loading | Stale | Fast, Group: GroupConnection, Run: echoCommand,
			Doc: Doc{Summary: "Echo the given string", Since: "1.0.0", Complexity: "O(1)",
				Args: []Arg{{Name: "message", Type: ArgString}}}},
		{Name: "quit", Arity: -1, Flags: connFlags, Group: GroupConnection, Run: quitCommand,
			Doc: Doc{Summary: "Close the connection", Since: "1.0.0", Complexity: "O(1)"}},
		{Name: "reset", Arity: 1, Flags: connFlags, Group: GroupConnection, Run: resetCommand,
			Doc: Doc{Summary: "Reset the connection", Since: "6.2.0", Complexity: "O(1)"}},
		{Name: "hello", Arity: -1, Flags: connFlags, Group: GroupConnection, Run: helloCommand,
			Doc: Doc{Summary: "Handshake with Redis", Since: "6.0.0", Complexity: "O(1)",
				History: [][2]string{
					{"6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context."},
				},
				Args: []Arg{
					{Name: "arguments", Type: ArgBlock, Optional: true, Args: []Arg{
						{Name: "protover", Type: ArgInteger},
						{Name: "username_password", Type: ArgBlock, Token: "AUTH", Optional: true, Args: []Arg{
							{Name: "username", Type: ArgString},
							{Name: "password", Type: ArgString},
						}},
						{Name: "clientname", Type: ArgString, Token: "SETNAME", Optional: true},
					}},
				}}},
		{Name: "auth", Arity: -2, Flags: connFlags, Group: GroupConnection, Run: authCommand,
			Doc: Doc{Summary: "Authenticate to the server", Since: "1.0.0",
				Complexity: "O(N) where N is the number of passwords defined for the user",
				History:    [][2]string{{"6.0.0", "Added ACL style (username and password)."}},
				Args: []Arg{
					{Name: "username", Type: ArgString, Optional: true, Since: "6.0.0"},
					{Name: "password", Type: ArgString},
				}}},
		{Name: "client", Arity: -2, Group: GroupConnection,
			Doc: Doc{Summary: "A container for client connection commands", Since: "2.4.0", Complexity: "Depends on subcommand."},
			Subcommands: []*Command{
				{Name: "client|caching", Arity: 3, Flags: clientFlags, Group: GroupConnection, Run: clientCaching,
					Doc: Doc{Summary: "Instruct the server about tracking or not keys in the next request", Since: "6.0.0", Complexity: "O(1)",
						Args: []Arg{{Name: "mode", Type: ArgOneOf, Args: []Arg{
							{Name: "yes", Type: ArgPureToken, Token: "YES"},
							{Name: "no", Type: ArgPureToken, Token: "NO"},
						}}}}},
				{Name: "client|getname", Arity: 2, Flags: clientFlags, Group: GroupConnection, Run: clientGetname,
					Doc: Doc{Summary: "Get the current connection name", Since: "2.6.9", Complexity: "O(1)"}},
				{Name: "client|getredir", Arity: 2, Flags: clientFlags, Group: GroupConnection, Run: clientGetredir,
					Doc: Doc{Summary: "Get tracking notifications redirection client ID if any", Since: "6.0.0", Complexity: "O(1)"}},
				{Name: "client|help", Arity: 2, Flags: Loading | Stale, Group: GroupConnection, Run: clientHelp,
					Doc: Doc{Summary: "Show helpful text about the different subcommands", Since: "5.0.0", Complexity: "O(1)"}},
				{Name: "client|id", Arity: 2, Flags: clientFlags, Group: GroupConnection, Run: clientID,
					Doc: Doc{Summary: "Returns the client ID for the current connection", Since: "5.0.0", Complexity: "O(1)"}},
				{Name: "client|info", Arity: 2, Flags: clientFlags, Group: GroupConnection,
					Tips: []string{"nondeterministic_output"}, Run: clientInfo,
					Doc: Doc{Summary: "Returns information about the current client connection.", Since: "6.2.0", Complexity: "O(1)"}},
				{Name: "client|kill", Arity: -3, Flags: Admin | clientFlags, Group: GroupConnection, Run: clientKill,
					Doc: Doc{Summary: "Kill the connection of a client", Since: "2.4.0",
						Complexity: "O(N) where N is the number of client connections",
						History: [][2]string{
							{"2.8.12", "Added new filter format."},
							{"2.8.12", "`ID` option."},
							{"3.2.0", "Added `master` type in for `TYPE` option."},
							{"5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."},
							{"6.2.0", "`LADDR` option."},
						},
						Args: []Arg{{Name: "filter", Type: ArgOneOf, Args: []Arg{
							{Name: "ip:port", Type: ArgString},
							{Name: "new-format", Type: ArgOneOf, Multiple: true, Args: []Arg{
								{Name: "client-id", Type: ArgInteger, Token: "ID", Optional: true, Since: "2.8.12"},
								clientTypes("normal_master_slave_pubsub", true),
								{Name: "username", Type: ArgString, Token: "USER", Optional: true},
								{Name: "ip:port", Type: ArgString, Token: "ADDR", Optional: true},
								{Name: "ip:port", Type: ArgString, Token: "LADDR", Optional: true, Since: "6.2.0"},
								{Name: "yes/no", Type: ArgString, Token: "SKIPME", Optional: true},
							}},
						}}}}},
				{Name: "client|list", Arity: -2, Flags: Admin | clientFlags, Group: GroupConnection,
					Tips: []string{"nondeterministic_output"}, Run: clientList,
					Doc: Doc{Summary: "Get the list of client connections", Since: "2.4.0",
						Complexity: "O(N) where N is the number of client connections",
						History: [][2]string{
							{"2.8.12", "Added unique client `id` field."},
							{"5.0.0", "Added optional `TYPE` filter."},
							{"6.0.0", "Added `user` field."},
							{"6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."},
							{"7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."},
							{"7.0.3", "Added `ssub` field."},
						},
						Args: []Arg{
							clientTypes("normal_master_replica_pubsub", false),
							{Name: "id", Type: ArgBlock, Token: "ID", Optional: true, Since: "6.2.0", Args: []Arg{
								{Name: "client-id", Type: ArgInteger, Multiple: true},
							}},
						}}},
				{Name: "client|no-evict", Arity: 3, Flags: Admin | clientFlags, Group: GroupConnection, Run: clientNoEvict,
					Doc: Doc{Summary: "Set client eviction mode for the current connection", Since: "7.0.0", Complexity: "O(1)",
						Args: onOffArgs}},
				{Name: "client|no-touch", Arity: 3, Flags: clientFlags, Group: GroupConnection, Run: clientNoTouch,
					Doc: Doc{Summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys", Since: "7.2.0", Complexity: "O(1)",
						Args: onOffArgs}},
				{Name: "client|pause", Arity: -3, Flags: Admin | clientFlags, Group: GroupConnection, Run: clientPause,
					Doc: Doc{Summary: "Stop processing commands from clients for some time", Since: "2.9.50", Complexity: "O(1)",
						History: [][2]string{{"6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option."}},
						Args: []Arg{
							{Name: "timeout", Type: ArgInteger},
							{Name: "mode", Type: ArgOneOf, Optional: true, Since: "6.2.0", Args: []Arg{
								{Name: "write", Type: ArgPureToken, Token: "WRITE"},
								{Name: "all", Type: ArgPureToken, Token: "ALL"},
							}},
						}}},
				{Name: "client|reply", Arity: 3, Flags: clientFlags, Group: GroupConnection, Run: clientReply,
					Doc: Doc{Summary: "Instruct the server whether to reply to commands", Since: "3.2.0", Complexity: "O(1)",
						Args: []Arg{{Name: "on_off_skip", Type: ArgOneOf, Args: []Arg{
							{Name: "on", Type: ArgPureToken, Token: "ON"},
							{Name: "off", Type: ArgPureToken, Token: "OFF"},
							{Name: "skip", Type: ArgPureToken, Token: "SKIP"},
						}}}}},
				{Name: "client|setinfo", Arity: 4, Flags: clientFlags, Group: GroupConnection,
					Tips: []string{"request_policy:all_nodes", "response_policy:all_succeeded"}, Run: clientSetinfo,
					Doc: Doc{Summary: "Sets information specific to the client or connection.", Since: "7.2.0", Complexity: "O(1)",
						Args: []Arg{{Name: "attr", Type: ArgOneOf, Args: []Arg{
							{Name: "libname", Type: ArgString, Token: "LIB-NAME"},
							{Name: "libver", Type: ArgString, Token: "LIB-VER"},
						}}}}},
				{Name: "client|setname", Arity: 3, Flags: clientFlags, Group: GroupConnection, Run: clientSetname,
					Doc: Doc{Summary: "Set the current connection name", Since: "2.6.9", Complexity: "O(1)",
						Args: []Arg{{Name: "connection-name", Type: ArgString}}}},
				{Name: "client|tracking", Arity: -3, Flags: clientFlags, Group: GroupConnection, Run: clientTrackingCommand,
					Doc: Doc{Summary: "Enable or disable server assisted client side caching support", Since: "6.0.0",
						Complexity: "O(1). Some options may introduce additional complexity.",
						Args: []Arg{
							{Name: "status", Type: ArgOneOf, Args: []Arg{
								{Name: "on", Type: ArgPureToken, Token: "ON"},
								{Name: "off", Type: ArgPureToken, Token: "OFF"},
							}},
							{Name: "client-id", Type: ArgInteger, Token: "REDIRECT", Optional: true},
							{Name: "prefix", Type: ArgString, Token: "PREFIX", Optional: true, Multiple: true, MultipleToken: true},
							{Name: "bcast", Type: ArgPureToken, Token: "BCAST", Optional: true},
							{Name: "optin", Type: ArgPureToken, Token: "OPTIN", Optional: true},
							{Name: "optout", Type: ArgPureToken, Token: "OPTOUT", Optional: true},
							{Name: "noloop", Type: ArgPureToken, Token: "NOLOOP", Optional: true},
						}}},
				{Name: "client|trackinginfo", Arity: 2, Flags: clientFlags, Group: GroupConnection, Run: clientTrackinginfo,
					Doc: Doc{Summary: "Return information about server assisted client side caching for the current connection", Since: "6.2.0", Complexity: "O(1)"}},
				{Name: "client|unblock", Arity: -3, Flags: Admin | clientFlags, Group: GroupConnection, Run: clientUnblock,
					Doc: Doc{Summary: "Unblock a client blocked in a blocking command from a different connection", Since: "5.0.0",
						Complexity: "O(log N) where N is the number of client connections",
						Args: []Arg{
							{Name: "client-id", Type: ArgInteger},
							{Name: "timeout_error", Type: ArgOneOf, Optional: true, Args: []Arg{
								{Name: "timeout", Type: ArgPureToken, Token: "TIMEOUT"},
								{Name: "error", Type: ArgPureToken, Token: "ERROR"},
							}},
						}}},
				{Name: "client|unpause", Arity: 2, Flags: Admin | clientFlags, Group: GroupConnection, Run: clientUnpause,
					Doc: Doc{Summary: "Resume processing of clients that were paused", Since: "6.2.0",
						Complexity: "O(N) Where N is the number of paused clients"}},
			}},
	}
}

func pingCommand(c *Client, args [][]byte) {
	switch len(args) {
	case 1:
		c.w.Raw(replyPong)
	case 2:
		c.w.Bulk(args[1])
	default:
		c.Error("ERR wrong number of arguments for 'ping' command")
	}
}

func echoCommand(c *Client, args [][]byte) { c.w.Bulk(args[1]) }

// quitCommand replies and closes the connection once the reply is written.
func quitCommand(c *Client, _ [][]byte) {
	c.w.Raw(replyOK)
	c.closing.Store(true)
}

// resetCommand brings the connection back to the state of a new one, as Redis's
// clearClientConnectionState: database 0, RESP2, no name, no eviction or touch flags,
// and unauthenticated when a password is required. The library name and version stay.
func resetCommand(c *Client, _ [][]byte) {
	c.disableTracking()
	c.discardMulti()
	c.unsubscribeAll()
	c.stopMonitor()
	c.srv.mu.Lock()
	c.db = 0
	c.w.Proto = 2
	c.name = ""
	c.noEvict = false
	c.noTouch = false
	c.srv.mu.Unlock()
	c.reply &^= replyOff | replySkipNext // as Redis: the reply to RESET itself is sent
	c.authed = !c.srv.passwordSet.Load()
	c.w.Simple("RESET")
}

// authenticate checks a user name and password as Redis's default user does (kvrpcd has no
// other user): without requirepass it takes any password, with it only that one.
func (c *Client) authenticate(user, pass []byte) bool {
	if string(user) != "default" {
		return false
	}
	if c.srv.passwordSet.Load() && subtle.ConstantTimeCompare(pass, []byte(c.srv.cfg.String("requirepass"))) != 1 {
		return false
	}
	c.authed = true
	return true
}

func authCommand(c *Client, args [][]byte) {
	var user, pass []byte
	switch len(args) {
	case 2:
		if !c.srv.passwordSet.Load() {
			c.Error(msgNoPassword)
			return
		}
		user, pass = []byte("default"), args[1]
	case 3:
		user, pass = args[1], args[2]
	default:
		c.Error(msgSyntax)
		return
	}
	if !c.authenticate(user, pass) {
		c.Error(msgWrongPass)
		return
	}
	c.w.Raw(replyOK)
}

// helloCommand follows Redis 7.0's order: the protocol version, then the options left to
// right (AUTH authenticates at once, SETNAME is only validated), then the authentication
// check, and only then the name and protocol change.
func helloCommand(c *Client, args [][]byte) {
	var ver int64
	if len(args) >= 2 {
		v, err := parseInt(args[1])
		if err != nil {
			c.Error(msgProtoVersion)
			return
		}
		if v < 2 || v > 3 {
			c.Error(msgNoProto)
			return
		}
		ver = v
	}
	var name []byte
	setName := false
	for j := 2; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case is(args[j], "auth") && more >= 2:
			if !c.authenticate(args[j+1], args[j+2]) {
				c.Error(msgWrongPass)
				return
			}
			j += 2
		case is(args[j], "setname") && more >= 1:
			name, setName = args[j+1], true
			if !validName(name) {
				c.Error(msgClientName)
				return
			}
			j++
		default:
			c.Error("ERR Syntax error in HELLO option '" + sanitize(args[j]) + "'")
			return
		}
	}
	if !c.authed && c.srv.passwordSet.Load() {
		c.Error(msgHelloNoAuth)
		return
	}
	c.srv.mu.Lock()
	if setName {
		c.name = string(name)
	}
	if ver != 0 {
		c.w.Proto = int(ver)
	}
	c.srv.mu.Unlock()
	c.w.Map(7)
	c.w.BulkString("server")
	c.w.BulkString("redis")
	c.w.BulkString("version")
	c.w.BulkString(redisVersion)
	c.w.BulkString("proto")
	c.w.Int(int64(c.w.Proto))
	c.w.BulkString("id")
	c.w.Int(int64(c.id))
	c.w.BulkString("mode")
	c.w.BulkString("standalone")
	c.w.BulkString("role")
	c.w.BulkString("master")
	c.w.BulkString("modules")
	c.w.Array(0)
}

// validName reports whether b may be a client name (or library name or version): CLIENT
// LIST fields are split by spaces, so only the printable ASCII characters '!' to '~' are
// allowed. The empty name clears the name.
func validName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

func clientID(c *Client, _ [][]byte) { c.w.Int(int64(c.id)) }

func clientSetname(c *Client, args [][]byte) {
	if !validName(args[2]) {
		c.Error(msgClientName)
		return
	}
	c.srv.mu.Lock()
	c.name = string(args[2])
	c.srv.mu.Unlock()
	c.w.Raw(replyOK)
}

func clientGetname(c *Client, _ [][]byte) {
	if c.name == "" {
		c.w.Null()
		return
	}
	c.w.BulkString(c.name)
}

func clientSetinfo(c *Client, args [][]byte) {
	var dst *string
	switch {
	case is(args[2], "lib-name"):
		dst = &c.libName
	case is(args[2], "lib-ver"):
		dst = &c.libVer
	default:
		c.Error("ERR Unrecognized option '" + sanitize(args[2]) + "'")
		return
	}
	if !validName(args[3]) {
		c.Error("ERR " + sanitize(args[2]) + " cannot contain spaces, newlines or special characters.")
		return
	}
	c.srv.mu.Lock()
	*dst = string(args[3])
	c.srv.mu.Unlock()
	c.w.Raw(replyOK)
}

// onOff parses an ON|OFF argument, replying a syntax error for anything else.
func onOff(c *Client, arg []byte) (on, ok bool) {
	switch {
	case is(arg, "on"):
		return true, true
	case is(arg, "off"):
		return false, true
	}
	c.Error(msgSyntax)
	return false, false
}

func clientNoEvict(c *Client, args [][]byte) {
	if on, ok := onOff(c, args[2]); ok {
		c.srv.mu.Lock()
		c.noEvict = on
		c.srv.mu.Unlock()
		c.w.Raw(replyOK)
	}
}

// clientReply: CLIENT REPLY ON|OFF|SKIP. ON answers OK; OFF and SKIP answer nothing, and
// SKIP under OFF does nothing, as in Redis.
func clientReply(c *Client, args [][]byte) {
	switch {
	case is(args[2], "on"):
		c.reply &^= replyOff | replySkip
		c.w.Raw(replyOK)
	case is(args[2], "off"):
		c.reply |= replyOff
	case is(args[2], "skip"):
		if c.reply&replyOff == 0 {
			c.reply |= replySkipNext
		}
	default:
		c.Error(msgSyntax)
	}
}

func clientNoTouch(c *Client, args [][]byte) {
	if on, ok := onOff(c, args[2]); ok {
		c.srv.mu.Lock()
		c.noTouch = on
		c.srv.mu.Unlock()
		c.w.Raw(replyOK)
	}
}

// clientUnblock unblocks a client waiting in a blocking command, as if it timed out, or
// with an error; it answers 1 if that client was blocked.
func clientUnblock(c *Client, args [][]byte) {
	if len(args) > 4 {
		c.Error(subcommandSyntax(args))
		return
	}
	withError := false
	if len(args) == 4 {
		switch {
		case is(args[3], "timeout"):
		case is(args[3], "error"):
			withError = true
		default:
			c.Error(msgUnblockReason)
			return
		}
	}
	id, err := parseInt(args[2])
	if err != nil {
		c.Error(msgNotInteger)
		return
	}
	c.srv.mu.Lock()
	target := c.srv.clients[uint64(id)]
	c.srv.mu.Unlock()
	if target == nil || !target.requestUnblock(withError) {
		c.w.Raw(replyZero)
		return
	}
	c.w.Raw(replyOne)
}

// clientType is a client type of CLIENT LIST TYPE and CLIENT KILL TYPE.
type clientType uint8

const (
	clientNormal clientType = iota
	clientReplica
	clientPubSub
	clientMaster
)

// parseClientType parses a client type name as Redis's getClientTypeByName.
func parseClientType(b []byte) (clientType, bool) {
	switch {
	case is(b, "normal"):
		return clientNormal, true
	case is(b, "slave"), is(b, "replica"):
		return clientReplica, true
	case is(b, "pubsub"):
		return clientPubSub, true
	case is(b, "master"):
		return clientMaster, true
	}
	return 0, false
}

// typ returns the client's type: pubsub while it has subscriptions (kvrpcd has no
// replication yet, so there are no replica or master clients).
func (c *Client) typ() clientType {
	if c.Subscribed() {
		return clientPubSub
	}
	return clientNormal
}

// sortedClients returns the connected clients by id (connection order). The caller holds
// c.srv.mu.
func (s *Server) sortedClients() []*Client {
	out := make([]*Client, 0, len(s.clients))
	for _, cl := range s.clients {
		out = append(out, cl)
	}
	slices.SortFunc(out, func(a, b *Client) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	return out
}

// appendInfo appends the CLIENT LIST line of cl, without the newline, in Redis 7.0's
// format plus the lib-name and lib-ver fields of Redis 7.2. self is the client running the
// command, whose current command is cmd. The caller holds the server's mu, under which
// every field written from another connection's goroutine is set.
func (cl *Client) appendInfo(dst []byte, self *Client, cmd string, now time.Time) []byte {
	idle := (now.UnixMilli() - cl.lastUsed.Load()) / 1000
	last := "NULL"
	if lc := cl.lastCmd.Load(); lc != nil {
		last = lc.Name
	}
	db := int(cl.shownDB.Load())
	if cl == self {
		idle, last, db = 0, cmd, cl.db
	}
	flags := make([]byte, 0, 4)
	if cl.monitoring.Load() {
		flags = append(flags, 'O')
	}
	if cl.Subscribed() { // Redis's order: P, then the tracking flags, before c
		flags = append(flags, 'P')
	}
	if cl.shownMulti.Load() >= 0 {
		flags = append(flags, 'x')
	}
	if cl.isBlocked.Load() || cl.isPostponed.Load() {
		flags = append(flags, 'b')
	}
	flags = cl.appendTrackingFlags(flags)
	if cl.watchDirty.Load() {
		flags = append(flags, 'd')
	}
	if cl.closing.Load() && !cl.killed.Load() {
		flags = append(flags, 'c')
	}
	if cl.noEvict {
		flags = append(flags, 'e')
	}
	if cl.noTouch {
		flags = append(flags, 'T')
	}
	if len(flags) == 0 {
		flags = append(flags, 'N')
	}
	dst = append(dst, "id="...)
	dst = strconv.AppendUint(dst, cl.id, 10)
	dst = append(dst, " addr="...)
	dst = append(dst, cl.conn.RemoteAddr()...)
	dst = append(dst, " laddr="...)
	dst = append(dst, cl.conn.LocalAddr()...)
	dst = append(dst, " fd=0 name="...)
	dst = append(dst, cl.name...)
	dst = append(dst, " age="...)
	dst = strconv.AppendInt(dst, int64(now.Sub(cl.created)/time.Second), 10)
	dst = append(dst, " idle="...)
	dst = strconv.AppendInt(dst, max(idle, 0), 10)
	dst = append(dst, " flags="...)
	dst = append(dst, flags...)
	dst = append(dst, " db="...)
	dst = strconv.AppendInt(dst, int64(db), 10)
	sub, psub, ssub := cl.subscriptionCounts()
	dst = append(dst, " sub="...)
	dst = strconv.AppendInt(dst, int64(sub), 10)
	dst = append(dst, " psub="...)
	dst = strconv.AppendInt(dst, int64(psub), 10)
	dst = append(dst, " ssub="...)
	dst = strconv.AppendInt(dst, int64(ssub), 10)
	dst = cl.appendMemFields(dst, self)
	dst = append(dst, " events=r cmd="...)
	dst = append(dst, last...)
	dst = append(dst, " user=default redir="...)
	dst = strconv.AppendInt(dst, cl.trackingRedirect(), 10)
	dst = append(dst, " resp="...)
	dst = strconv.AppendInt(dst, int64(cl.w.Proto), 10)
	dst = append(dst, " lib-name="...)
	dst = append(dst, cl.libName...)
	dst = append(dst, " lib-ver="...)
	dst = append(dst, cl.libVer...)
	return dst
}

// appendMemFields appends CLIENT LIST's fields from multi to tot-mem. The input and output
// buffers belong to the loops, so qbuf (the current command's size) and argv-mem are known
// for the calling client and for a client whose command waits (blocked or paused); omem is
// the output waiting for the client: messages not yet moved into its output, and what the
// loop holds that the socket has not taken (the reactor's queue; see [OutputQueue]). The
// other buffer fields (qbuf-free, rbs, rbp, obl, oll) are 0; tot-mem adds the connection's
// own state.
func (cl *Client) appendMemFields(dst []byte, self *Client) []byte {
	argv, qbuf := cl.argvMem.Load(), int64(0)
	if cl == self {
		argv, qbuf = argsBytes(cl.curArgs), respBytes(cl.curArgs)
	}
	cl.pushes.mu.Lock()
	omem := int64(len(cl.pushes.buf))
	cl.pushes.mu.Unlock()
	if q, ok := cl.conn.(OutputQueue); ok {
		omem += q.QueuedOutput()
	}
	multi := cl.multiMem.Load()
	dst = append(dst, " multi="...)
	dst = strconv.AppendInt(dst, int64(cl.shownMulti.Load()), 10)
	dst = append(dst, " qbuf="...)
	dst = strconv.AppendInt(dst, qbuf, 10)
	dst = append(dst, " qbuf-free=0 argv-mem="...)
	dst = strconv.AppendInt(dst, argv, 10)
	dst = append(dst, " multi-mem="...)
	dst = strconv.AppendInt(dst, multi, 10)
	dst = append(dst, " rbs=0 rbp=0 obl=0 oll=0 omem="...)
	dst = strconv.AppendInt(dst, omem, 10)
	dst = append(dst, " tot-mem="...)
	return strconv.AppendInt(dst, int64(clientStructBytes)+argv+multi+qbuf+omem, 10)
}

// argsBytes is the size of a command's arguments, as Redis's argv-mem.
func argsBytes(args [][]byte) int64 {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	return int64(n)
}

// respBytes is the size of a command's arguments as a RESP array, what Redis's query buffer
// holds of it while it runs.
func respBytes(args [][]byte) int64 {
	if len(args) == 0 {
		return 0
	}
	n := 3 + len(strconv.Itoa(len(args)))
	for _, a := range args {
		n += 5 + len(strconv.Itoa(len(a))) + len(a)
	}
	return int64(n)
}

// showQueued publishes a newly queued command for CLIENT LIST (multi, multi-mem: the
// arguments plus a pointer each, as Redis counts them).
func (c *Client) showQueued(args [][]byte) {
	c.shownMulti.Store(int32(len(c.queued)))
	c.multiMem.Add(argsBytes(args) + 8*int64(len(args)))
}

// showMulti publishes the start or end of a transaction for CLIENT LIST.
func (c *Client) showMulti() {
	c.multiShown = c.multi
	if c.multi {
		c.shownMulti.Store(int32(len(c.queued)))
		return
	}
	c.shownMulti.Store(-1)
	c.multiMem.Store(0)
}

func clientInfo(c *Client, _ [][]byte) {
	c.srv.mu.Lock()
	line := c.appendInfo(nil, c, "client|info", time.Now())
	c.srv.mu.Unlock()
	c.w.Verbatim("txt", string(append(line, '\n')))
}

func clientList(c *Client, args [][]byte) {
	var ids []uint64
	filterType, byType := clientNormal, false
	switch {
	case len(args) == 4 && is(args[2], "type"):
		t, ok := parseClientType(args[3])
		if !ok {
			c.Error("ERR Unknown client type '" + sanitize(args[3]) + "'")
			return
		}
		filterType, byType = t, true
	case len(args) > 3 && is(args[2], "id"):
		for _, a := range args[3:] {
			id, err := parseInt(a)
			if err != nil {
				c.Error(msgInvalidID)
				return
			}
			ids = append(ids, uint64(id))
		}
	case len(args) != 2:
		c.Error(msgSyntax)
		return
	}
	now := time.Now()
	var out []byte
	c.srv.mu.Lock()
	if ids != nil {
		for _, id := range ids {
			if cl := c.srv.clients[id]; cl != nil {
				out = append(cl.appendInfo(out, c, "client|list", now), '\n')
			}
		}
	} else {
		for _, cl := range c.srv.sortedClients() {
			if !byType || cl.typ() == filterType {
				out = append(cl.appendInfo(out, c, "client|list", now), '\n')
			}
		}
	}
	c.srv.mu.Unlock()
	c.w.Verbatim("txt", string(out))
}

// killFilter selects the clients CLIENT KILL closes.
type killFilter struct {
	addr, laddr      string
	byAddr, byLaddr  bool
	id               uint64
	typ              clientType
	byType, skipSelf bool
}

func (f *killFilter) match(cl, self *Client) bool {
	switch {
	case f.byAddr && cl.conn.RemoteAddr() != f.addr,
		f.byLaddr && cl.conn.LocalAddr() != f.laddr,
		f.byType && cl.typ() != f.typ,
		f.id != 0 && cl.id != f.id,
		f.skipSelf && cl == self:
		return false
	}
	return true
}

// clientKill implements both forms: CLIENT KILL addr (which may kill the caller itself and
// replies OK or an error) and the filter form, which replies the number of clients killed.
// The caller, when it matches, is closed after its reply; other clients at once.
func clientKill(c *Client, args [][]byte) {
	f := killFilter{skipSelf: true}
	if len(args) == 3 {
		f.addr, f.byAddr, f.skipSelf = string(args[2]), true, false
	} else {
		for i := 2; i < len(args); i += 2 {
			if i+1 >= len(args) {
				c.Error(msgSyntax)
				return
			}
			opt, val := args[i], args[i+1]
			switch {
			case is(opt, "id"):
				id, err := parseInt(val)
				if err != nil || id <= 0 {
					c.Error(msgClientIDRange)
					return
				}
				f.id = uint64(id)
			case is(opt, "type"):
				t, ok := parseClientType(val)
				if !ok {
					c.Error("ERR Unknown client type '" + sanitize(val) + "'")
					return
				}
				f.typ, f.byType = t, true
			case is(opt, "addr"):
				f.addr, f.byAddr = string(val), true
			case is(opt, "laddr"):
				f.laddr, f.byLaddr = string(val), true
			case is(opt, "user"):
				if string(val) != "default" {
					c.Error("ERR No such user '" + sanitize(val) + "'")
					return
				}
			case is(opt, "skipme"):
				switch {
				case is(val, "yes"):
					f.skipSelf = true
				case is(val, "no"):
					f.skipSelf = false
				default:
					c.Error(msgSyntax)
					return
				}
			default:
				c.Error(msgSyntax)
				return
			}
		}
	}
	killed, self := 0, false
	c.srv.mu.Lock()
	for _, cl := range c.srv.clients {
		if !f.match(cl, c) {
			continue
		}
		killed++
		if cl == c {
			self = true
		} else {
			cl.kill()
		}
	}
	c.srv.mu.Unlock()
	switch {
	case len(args) != 3:
		c.w.Int(int64(killed))
	case killed == 0:
		c.Error(msgNoSuchClient)
	default:
		c.w.Raw(replyOK)
	}
	if self {
		c.closing.Store(true)
	}
}

var clientHelpLines = []string{
	"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"SETINFO <option> <value>",
	"    Set client meta attr. Options are:",
	"    * LIB-NAME: the client lib name.",
	"    * LIB-VER: the client lib version.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
	"NO-TOUCH (ON|OFF)",
	"    Will not touch LRU/LFU stats when this mode is on.",
	"HELP",
	"    Prints this help.",
}

func clientHelp(c *Client, _ [][]byte) { writeHelp(c, clientHelpLines) }

// writeHelp writes a HELP reply: one simple string per line, as Redis's addReplyHelp.
func writeHelp(c *Client, lines []string) {
	c.w.Array(len(lines))
	for _, l := range lines {
		c.w.Simple(l)
	}
}
