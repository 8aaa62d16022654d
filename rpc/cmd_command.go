package rpc

import (
	"math/bits"
	"strings"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/resp"
)

// The COMMAND command and its subcommands: everything they report is derived from the
// command table, so that what clients learn is what dispatch enforces.

// commandCommand declares COMMAND. Unlike the other containers it also runs on its own,
// without a subcommand, and then describes every command.
func commandCommand() *Command {
	names := []Arg{{Name: "command-name", Type: ArgString, Optional: true, Multiple: true}}
	sub := func(name string, arity int, tips []string, run Handler, doc Doc) *Command {
		return &Command{Name: "command|" + name, Arity: arity, Flags: Loading | Stale, Group: GroupServer,
			ACL: ACLConnection, Tips: tips, Run: run, Doc: doc}
	}
	anyOrder := []string{"nondeterministic_output_order"}
	return &Command{Name: "command", Arity: -1, Flags: Loading | Stale, Group: GroupServer, ACL: ACLConnection,
		Tips: anyOrder, Run: commandAll,
		Doc: Doc{Summary: "Get array of Redis command details", Since: "2.8.13",
			Complexity: "O(N) where N is the total number of Redis commands"},
		Subcommands: []*Command{
			sub("count", 2, nil, commandCount, Doc{Summary: "Get total number of Redis commands",
				Since: "2.8.13", Complexity: "O(1)"}),
			sub("docs", -2, anyOrder, commandDocs, Doc{Summary: "Get array of specific Redis command documentation",
				Since: "7.0.0", Complexity: "O(N) where N is the number of commands to look up", Args: names}),
			sub("getkeys", -4, nil, commandGetkeys, Doc{Summary: "Extract keys given a full Redis command",
				Since: "2.8.13", Complexity: "O(N) where N is the number of arguments to the command"}),
			sub("getkeysandflags", -4, nil, commandGetkeysandflags, Doc{Summary: "Extract keys and access flags given a full Redis command",
				Since: "7.0.0", Complexity: "O(N) where N is the number of arguments to the command"}),
			sub("help", 2, nil, commandHelp, Doc{Summary: "Show helpful text about the different subcommands",
				Since: "5.0.0", Complexity: "O(1)"}),
			sub("info", -2, anyOrder, commandInfo, Doc{Summary: "Get array of specific Redis command details, or all when no argument is given.",
				Since: "2.8.13", Complexity: "O(N) where N is the number of commands to look up",
				History: [][2]string{{"7.0.0", "Allowed to be called with no argument to get info on all commands."}},
				Args:    names}),
			sub("list", -2, anyOrder, commandList, Doc{Summary: "Get an array of Redis command names",
				Since: "7.0.0", Complexity: "O(N) where N is the total number of Redis commands",
				Args: []Arg{{Name: "filterby", Type: ArgOneOf, Token: "FILTERBY", Optional: true, Args: []Arg{
					{Name: "module-name", Type: ArgString, Token: "MODULE"},
					{Name: "category", Type: ArgString, Token: "ACLCAT"},
					{Name: "pattern", Type: ArgPattern, Token: "PATTERN"},
				}}}}),
		}}
}

// commandByName finds a command by its full name, "get" or "config|get", ignoring case, as
// Redis's lookupCommandBySds: a container's own name finds the container.
func (s *Server) commandByName(name []byte) *Command {
	base, sub, hasSub := strings.Cut(strings.ToLower(string(name)), "|")
	cmd := s.table[base]
	if !hasSub || cmd == nil {
		return cmd
	}
	return cmd.subs[sub]
}

// commandAll answers COMMAND without a subcommand and COMMAND INFO without names.
func commandAll(c *Client, _ [][]byte) {
	cmds := c.srv.Commands()
	c.w.Array(len(cmds))
	for _, cmd := range cmds {
		writeCommandInfo(&c.w, cmd)
	}
}

func commandCount(c *Client, _ [][]byte) { c.w.Int(int64(len(c.srv.table))) }

func commandInfo(c *Client, args [][]byte) {
	if len(args) == 2 {
		commandAll(c, args)
		return
	}
	c.w.Array(len(args) - 2)
	for _, name := range args[2:] {
		if cmd := c.srv.commandByName(name); cmd != nil {
			writeCommandInfo(&c.w, cmd)
		} else {
			c.w.Null()
		}
	}
}

// writeCommandInfo writes a command's COMMAND INFO entry as Redis 7.0's addReplyCommandInfo:
// name, arity, flags, the legacy first/last/step key positions, ACL categories, tips, key
// specs and subcommands. Flags, categories, tips and key specs are sets in RESP3.
func writeCommandInfo(w *resp.Writer, cmd *Command) {
	w.Array(10)
	w.BulkString(cmd.Name)
	w.Int(int64(cmd.Arity))
	flags := cmd.Flags
	if cmd.movable() {
		flags |= MovableKeys
	}
	writeNames(w, uint32(flags), flagNames[:], "")
	first, last, step := cmd.legacyRange()
	w.Int(int64(first))
	w.Int(int64(last))
	w.Int(int64(step))
	writeNames(w, uint32(cmd.Categories()), aclNames[:], "@")
	w.Set(len(cmd.Tips))
	for _, tip := range cmd.Tips {
		w.BulkString(tip)
	}
	w.Set(len(cmd.Keys))
	for i := range cmd.Keys {
		writeKeySpec(w, &cmd.Keys[i])
	}
	if len(cmd.Subcommands) == 0 {
		w.Set(0)
		return
	}
	w.Array(len(cmd.Subcommands))
	for _, sub := range cmd.Subcommands {
		writeCommandInfo(w, sub)
	}
}

// writeNames writes the set of names whose bit is set in mask, as simple strings with
// prefix; bits beyond names (kvrpcd's own flags) are not shown.
func writeNames(w *resp.Writer, mask uint32, names []string, prefix string) {
	mask &= 1<<len(names) - 1
	w.Set(bits.OnesCount32(mask))
	for i, name := range names {
		if mask&(1<<i) != 0 {
			w.Simple(prefix + name)
		}
	}
}

// writeKeySpec writes one key spec as the map of Redis's addReplyCommandKeySpecs.
func writeKeySpec(w *resp.Writer, ks *KeySpec) {
	if ks.Notes != "" {
		w.Map(4)
		w.BulkString("notes")
		w.BulkString(ks.Notes)
	} else {
		w.Map(3)
	}
	w.BulkString("flags")
	writeNames(w, uint32(ks.Flags), keyFlagNames[:], "")

	if ks.Unknown {
		for _, field := range []string{"begin_search", "find_keys"} {
			w.BulkString(field)
			w.Map(2)
			w.BulkString("type")
			w.BulkString("unknown")
			w.BulkString("spec")
			w.Map(0)
		}
		return
	}
	w.BulkString("begin_search")
	w.Map(2)
	w.BulkString("type")
	if ks.Keyword != "" {
		w.BulkString("keyword")
		w.BulkString("spec")
		w.Map(2)
		w.BulkString("keyword")
		w.BulkString(ks.Keyword)
		w.BulkString("startfrom")
		w.Int(int64(ks.BeginIndex))
	} else {
		w.BulkString("index")
		w.BulkString("spec")
		w.Map(1)
		w.BulkString("index")
		w.Int(int64(ks.BeginIndex))
	}

	w.BulkString("find_keys")
	w.Map(2)
	w.BulkString("type")
	if ks.KeyNum {
		w.BulkString("keynum")
		w.BulkString("spec")
		w.Map(3)
		w.BulkString("keynumidx")
		w.Int(int64(ks.NumKeysIndex))
		w.BulkString("firstkey")
		w.Int(int64(ks.FirstKey))
		w.BulkString("keystep")
		w.Int(int64(ks.KeyStep))
	} else {
		w.BulkString("range")
		w.BulkString("spec")
		w.Map(3)
		w.BulkString("lastkey")
		w.Int(int64(ks.LastKey))
		w.BulkString("keystep")
		w.Int(int64(ks.KeyStep))
		w.BulkString("limit")
		w.Int(int64(ks.Limit))
	}
}

func commandDocs(c *Client, args [][]byte) {
	var cmds []*Command
	if len(args) == 2 {
		cmds = c.srv.Commands()
	} else {
		for _, name := range args[2:] {
			if cmd := c.srv.commandByName(name); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
	}
	c.w.Map(len(cmds))
	for _, cmd := range cmds {
		c.w.BulkString(cmd.Name)
		writeCommandDocs(&c.w, cmd)
	}
}

// writeCommandDocs writes a command's COMMAND DOCS map as Redis 7.0's addReplyCommandDocs.
func writeCommandDocs(w *resp.Writer, cmd *Command) {
	d := &cmd.Doc
	n := 1 // group
	// A deprecated command has two fields: doc_flags and deprecated_since.
	for _, present := range []bool{d.Summary != "", d.Since != "", d.Complexity != "",
		d.DeprecatedSince != "", d.DeprecatedSince != "", d.ReplacedBy != "", len(d.History) > 0,
		len(d.Args) > 0, len(cmd.Subcommands) > 0} {
		if present {
			n++
		}
	}
	w.Map(n)
	if d.Summary != "" {
		w.BulkString("summary")
		w.BulkString(d.Summary)
	}
	if d.Since != "" {
		w.BulkString("since")
		w.BulkString(d.Since)
	}
	w.BulkString("group")
	group := cmd.Group.String()
	if group == "" {
		group = "module" // an application's own command, as Redis reports a module's
	}
	w.BulkString(group)
	if d.Complexity != "" {
		w.BulkString("complexity")
		w.BulkString(d.Complexity)
	}
	if d.DeprecatedSince != "" {
		w.BulkString("doc_flags")
		w.Set(1)
		w.Simple("deprecated")
		w.BulkString("deprecated_since")
		w.BulkString(d.DeprecatedSince)
	}
	if d.ReplacedBy != "" {
		w.BulkString("replaced_by")
		w.BulkString(d.ReplacedBy)
	}
	if len(d.History) > 0 {
		w.BulkString("history")
		w.Set(len(d.History))
		for _, h := range d.History {
			w.Array(2)
			w.BulkString(h[0])
			w.BulkString(h[1])
		}
	}
	if len(d.Args) > 0 {
		w.BulkString("arguments")
		writeArgDocs(w, d.Args)
	}
	if len(cmd.Subcommands) > 0 {
		w.BulkString("subcommands")
		w.Map(len(cmd.Subcommands))
		for _, sub := range cmd.Subcommands {
			w.BulkString(sub.Name)
			writeCommandDocs(w, sub)
		}
	}
}

// writeArgDocs writes an argument list as Redis 7.0's addReplyCommandArgList.
func writeArgDocs(w *resp.Writer, args []Arg) {
	w.Array(len(args))
	for i := range args {
		a := &args[i]
		nested := a.Type == ArgOneOf || a.Type == ArgBlock
		n := 2
		for _, present := range []bool{a.Type == ArgKey, a.Token != "", a.Since != "",
			a.Optional || a.Multiple, nested} {
			if present {
				n++
			}
		}
		w.Map(n)
		w.BulkString("name")
		w.BulkString(a.Name)
		w.BulkString("type")
		w.BulkString(a.Type.String())
		if a.Type == ArgKey {
			w.BulkString("key_spec_index")
			w.Int(int64(a.KeySpec))
		}
		if a.Token != "" {
			w.BulkString("token")
			w.BulkString(a.Token)
		}
		if a.Since != "" {
			w.BulkString("since")
			w.BulkString(a.Since)
		}
		if a.Optional || a.Multiple {
			w.BulkString("flags")
			var flags []string
			for _, f := range [...]struct {
				on   bool
				name string
			}{{a.Optional, "optional"}, {a.Multiple, "multiple"}, {a.MultipleToken, "multiple_token"}} {
				if f.on {
					flags = append(flags, f.name)
				}
			}
			w.Set(len(flags))
			for _, f := range flags {
				w.Simple(f)
			}
		}
		if nested {
			w.BulkString("arguments")
			writeArgDocs(w, a.Args)
		}
	}
}

func commandList(c *Client, args [][]byte) {
	keep := func(*Command) bool { return true }
	if len(args) != 2 {
		if len(args) != 5 || !is(args[2], "filterby") {
			c.Error(msgSyntax)
			return
		}
		arg := string(args[4])
		switch {
		case is(args[3], "module"):
			keep = func(*Command) bool { return false } // kvrpcd loads no modules
		case is(args[3], "aclcat"):
			cat, ok := aclCategoryByName(arg)
			keep = func(cmd *Command) bool { return ok && cmd.Categories()&cat != 0 }
		case is(args[3], "pattern"):
			keep = func(cmd *Command) bool { return config.Match([]byte(arg), []byte(cmd.Name), true) }
		default:
			c.Error(msgSyntax)
			return
		}
	}
	var names []string
	for _, cmd := range c.srv.Commands() {
		if keep(cmd) {
			names = append(names, cmd.Name)
		}
		for _, sub := range cmd.Subcommands {
			if keep(sub) {
				names = append(names, sub.Name)
			}
		}
	}
	c.w.Array(len(names))
	for _, name := range names {
		c.w.BulkString(name)
	}
}

// aclCategoryByName finds an ACL category by name, ignoring case.
func aclCategoryByName(name string) (ACLCategory, bool) {
	for i, n := range aclNames {
		if strings.EqualFold(n, name) {
			return 1 << i, true
		}
	}
	return 0, false
}

func commandGetkeys(c *Client, args [][]byte)         { getKeys(c, args, false) }
func commandGetkeysandflags(c *Client, args [][]byte) { getKeys(c, args, true) }

// getKeys answers COMMAND GETKEYS and GETKEYSANDFLAGS with the command's key specs, checking
// the command as Redis's getKeysSubcommandImpl does.
func getKeys(c *Client, args [][]byte, withFlags bool) {
	argv := args[2:]
	cmd, _ := c.srv.lookup(argv)
	if cmd == nil {
		c.Error(msgInvalidCommand)
		return
	}
	hasKeys := false
	for i := range cmd.Keys {
		hasKeys = hasKeys || cmd.Keys[i].Flags&KeyNotKey == 0
	}
	if !hasKeys {
		c.Error(msgNoKeyArgs)
		return
	}
	if cmd.Arity > 0 && len(argv) != cmd.Arity || len(argv) < -cmd.Arity {
		c.Error(msgGetKeysArity)
		return
	}
	type found struct {
		pos   int
		flags KeyFlag
	}
	var keys []found
	valid := true
	for i := range cmd.Keys {
		ks := &cmd.Keys[i]
		r, ok := ks.findKeys(argv)
		if !ok {
			valid = false
			break
		}
		for p := r.first; r.step > 0 && p <= r.last; p += r.step {
			keys = append(keys, found{p, ks.Flags})
		}
	}
	if !valid || len(keys) == 0 {
		if cmd.Flags&NoMandatoryKeys != 0 {
			c.w.Array(0)
		} else {
			c.Error(msgGetKeysInvalid)
		}
		return
	}
	c.w.Array(len(keys))
	for _, k := range keys {
		if !withFlags {
			c.w.Bulk(argv[k.pos])
			continue
		}
		c.w.Array(2)
		c.w.Bulk(argv[k.pos])
		writeNames(&c.w, uint32(k.flags), keyFlagNames[:], "")
	}
}

var commandHelpLines = []string{
	"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"(no subcommand)",
	"    Return details about all Redis commands.",
	"COUNT",
	"    Return the total number of commands in this Redis server.",
	"LIST",
	"    Return a list of all commands in this Redis server.",
	"INFO [<command-name> ...]",
	"    Return details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"DOCS [<command-name> ...]",
	"    Return documentation details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"GETKEYS <full-command>",
	"    Return the keys from a full Redis command.",
	"GETKEYSANDFLAGS <full-command>",
	"    Return the keys and the access flags from a full Redis command.",
	"HELP",
	"    Prints this help.",
}

func commandHelp(c *Client, _ [][]byte) { writeHelp(c, commandHelpLines) }
