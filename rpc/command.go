package rpc

import (
	"fmt"
	"strings"
)

// Handler runs one command. args[0] is the command name as the client sent it; every argument
// aliases the connection's input buffer and is valid only until the handler returns. A
// handler writes exactly one reply through the client's writer. The shards of the command's
// keys are locked for the duration of the call.
type Handler func(c *Client, args [][]byte)

// Command declares one command (or one subcommand) once: everything the server knows about it,
// from arity checks to COMMAND INFO, key routing and locking, is derived from this value.
type Command struct {
	// Name is the lower-case command name; subcommands are named "container|sub".
	Name string
	// Arity is the number of arguments including the name; negative means "at least -Arity".
	Arity int
	// Flags are the command's Redis flags plus kvrpcd's own (AllKeys).
	Flags Flag
	// Group is the command's documentation group; it implies an ACL category.
	Group Group
	// ACL holds ACL categories beyond those implied by Flags and Group (such as @dangerous).
	ACL ACLCategory
	// Keys are the Redis 7 key specifications; key extraction for locking and routing uses them.
	Keys []KeySpec
	// Tips are the command's tips, as COMMAND INFO reports them ("nondeterministic_output").
	Tips []string
	// Run executes the command; nil for containers, which dispatch to Subcommands.
	Run Handler
	// Subcommands of a container command such as CONFIG.
	Subcommands []*Command
	// Doc is the command's documentation, served by COMMAND DOCS.
	Doc Doc

	id   int                 // index into the server's runtime counters
	subs map[string]*Command // Subcommands by lower-case name
}

// Doc documents a command for COMMAND DOCS.
type Doc struct {
	Summary         string
	Since           string
	Complexity      string
	DeprecatedSince string
	ReplacedBy      string
	History         [][2]string // version, description
	Args            []Arg
}

// Arg documents one argument for COMMAND DOCS.
type Arg struct {
	Name     string
	Type     ArgType
	Token    string
	KeySpec  int // index into Command.Keys, for ArgKey
	Optional bool
	Multiple bool
	Since    string
	Args     []Arg // for ArgOneOf and ArgBlock

	// MultipleToken: each repetition of a Multiple argument repeats its token (PREFIX a
	// PREFIX b).
	MultipleToken bool
}

// ArgType is the type of a documented argument.
type ArgType uint8

// Argument types, as Redis names them.
const (
	ArgString ArgType = iota
	ArgInteger
	ArgDouble
	ArgKey
	ArgPattern
	ArgUnixTime
	ArgPureToken
	ArgOneOf
	ArgBlock
)

var argTypeNames = [...]string{"string", "integer", "double", "key", "pattern", "unix-time", "pure-token", "oneof", "block"}

func (t ArgType) String() string { return argTypeNames[t] }

// Flag is a command flag.
type Flag uint32

// Command flags, in the order COMMAND INFO lists them.
const (
	Write Flag = 1 << iota
	ReadOnly
	DenyOOM
	Module
	Admin
	PubSub
	NoScript
	Blocking
	Loading
	Stale
	SkipMonitor
	SkipSlowlog
	Asking
	Fast
	NoAuth
	NoMandatoryKeys
	NoAsyncLoading
	NoMulti
	MovableKeys
	AllowBusy

	// AllKeys marks keyspace-wide commands (KEYS, FLUSHDB, SCAN, ...): they lock every shard.
	// It is kvrpcd's own and not shown by COMMAND INFO.
	AllKeys
)

var flagNames = [...]string{"write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript",
	"blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth",
	"no_mandatory_keys", "no_async_loading", "no_multi", "movablekeys", "allow_busy"}

// Group is a command's documentation group.
type Group uint8

// Command groups, as COMMAND DOCS names them.
const (
	GroupNone Group = iota
	GroupGeneric
	GroupString
	GroupList
	GroupSet
	GroupSortedSet
	GroupHash
	GroupPubSub
	GroupTransactions
	GroupConnection
	GroupServer
	GroupScripting
	GroupHyperLogLog
	GroupCluster
	GroupGeo
	GroupStream
	GroupBitmap
)

var groupNames = [...]string{"", "generic", "string", "list", "set", "sorted-set", "hash", "pubsub",
	"transactions", "connection", "server", "scripting", "hyperloglog", "cluster", "geo", "stream", "bitmap"}

func (g Group) String() string { return groupNames[g] }

// ACLCategory is a set of ACL categories.
type ACLCategory uint32

// ACL categories, in Redis's order.
const (
	ACLKeyspace ACLCategory = 1 << iota
	ACLRead
	ACLWrite
	ACLSet
	ACLSortedSet
	ACLList
	ACLHash
	ACLString
	ACLBitmap
	ACLHyperLogLog
	ACLGeo
	ACLStream
	ACLPubSub
	ACLAdmin
	ACLFast
	ACLSlow
	ACLBlocking
	ACLDangerous
	ACLConnection
	ACLTransaction
	ACLScripting

	// ACLNoGroup is kvrpcd's own: the command does not take its group's category, as SORT
	// (group generic) has no @keyspace. It is not shown by COMMAND INFO.
	ACLNoGroup ACLCategory = 1 << 31
)

var aclNames = [...]string{"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
	"dangerous", "connection", "transaction", "scripting"}

// groupACL is the category each group implies, as the acl_categories of Redis's command files.
var groupACL = [...]ACLCategory{
	GroupGeneric: ACLKeyspace, GroupString: ACLString, GroupList: ACLList, GroupSet: ACLSet,
	GroupSortedSet: ACLSortedSet, GroupHash: ACLHash, GroupPubSub: ACLPubSub,
	GroupTransactions: ACLTransaction, GroupConnection: ACLConnection, GroupScripting: ACLScripting,
	GroupHyperLogLog: ACLHyperLogLog, GroupGeo: ACLGeo, GroupStream: ACLStream, GroupBitmap: ACLBitmap,
}

// Categories returns every ACL category of the command: its own, its group's and those its
// flags imply, as Redis's setImplicitACLCategories derives them.
func (cmd *Command) Categories() ACLCategory {
	cat := cmd.ACL
	if (cmd.Run != nil || len(cmd.Subcommands) == 0) && cmd.ACL&ACLNoGroup == 0 {
		cat |= groupACL[cmd.Group]
	}
	if cmd.Flags&Write != 0 {
		cat |= ACLWrite
	}
	if cmd.Flags&ReadOnly != 0 && cat&ACLScripting == 0 {
		cat |= ACLRead
	}
	if cmd.Flags&Admin != 0 {
		cat |= ACLAdmin | ACLDangerous
	}
	if cmd.Flags&PubSub != 0 {
		cat |= ACLPubSub
	}
	if cmd.Flags&Fast != 0 {
		cat |= ACLFast
	}
	if cmd.Flags&Blocking != 0 {
		cat |= ACLBlocking
	}
	if cat&ACLFast == 0 {
		cat |= ACLSlow
	}
	return cat
}

// KeySpec is a Redis 7 key specification: where a command's keys begin and how to find them.
type KeySpec struct {
	Notes string
	Flags KeyFlag
	// BeginIndex is the argument index of the first key (begin_search "index"), or, when
	// Keyword is set, the index to start searching for Keyword from (negative: from the end).
	BeginIndex int
	Keyword    string
	// Range (find_keys "range"): LastKey is relative to the first key (negative: from the
	// end), KeyStep the distance between keys, Limit a divisor of the remaining arguments.
	LastKey, KeyStep, Limit int
	// KeyNum (find_keys "keynum"): the argument at begin+NumKeysIndex holds the number of
	// keys, the first key is at begin+FirstKey and keys are KeyStep apart.
	KeyNum                 bool
	NumKeysIndex, FirstKey int
	// Unknown marks a spec whose keys cannot be found from the arguments (begin_search and
	// find_keys of type "unknown", as SORT's BY, GET and STORE): it finds no keys, so a
	// command with such a spec needs the AllKeys flag to be locked correctly.
	Unknown bool
}

// KeyFlag describes how a command uses a key.
type KeyFlag uint16

// Key spec flags, in the order COMMAND INFO lists them.
const (
	KeyRO KeyFlag = 1 << iota
	KeyRW
	KeyOW
	KeyRM
	KeyAccess
	KeyUpdate
	KeyInsert
	KeyDelete
	KeyNotKey
	KeyIncomplete
	KeyVariableFlags
)

var keyFlagNames = [...]string{"RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
	"not_key", "incomplete", "variable_flags"}

// firstKey is the spec of a command whose single key is its first argument.
func firstKey(f KeyFlag) []KeySpec { return []KeySpec{{Flags: f, BeginIndex: 1, KeyStep: 1}} }

// keyRange is one run of key positions found by a key spec; step 0 means none.
type keyRange struct{ first, last, step int }

// findKeys returns the argument positions of the keys that ks finds in args, as Redis's
// getKeysUsingKeySpecs does, or ok false where Redis finds the spec invalid: a malformed or
// zero numkeys, or a range that ends before it starts or past the arguments. A keyword that
// is absent is valid and finds no keys.
func (ks *KeySpec) findKeys(args [][]byte) (r keyRange, ok bool) {
	if ks.Unknown {
		return keyRange{}, true
	}
	argc := len(args)
	first := ks.BeginIndex
	if ks.Keyword != "" {
		start, end, step := first, argc-1, 1
		if first < 0 {
			start, end, step = argc+first, 1, -1
		}
		first = 0
		for i := start; i >= 1 && i < argc && (step > 0 && i <= end || step < 0 && i >= end); i += step {
			if strings.EqualFold(string(args[i]), ks.Keyword) {
				first = i + 1
				break
			}
		}
		if first == 0 {
			return keyRange{}, true
		}
	}
	step := max(ks.KeyStep, 1)
	var last int
	if ks.KeyNum {
		idx := first + ks.NumKeysIndex
		if idx >= argc {
			return keyRange{}, false
		}
		n, err := parseInt(args[idx])
		if err != nil || n < 0 || n > int64(argc) {
			return keyRange{}, false
		}
		if n == 0 {
			return keyRange{}, false // Redis's invalid_spec: last < first
		}
		first += ks.FirstKey
		last = first + (int(n)-1)*step
		if last >= argc {
			return keyRange{}, false
		}
		return keyRange{first, last, step}, true
	}
	switch {
	case ks.LastKey >= 0:
		last = first + ks.LastKey
	case ks.Limit == 0:
		last = argc + ks.LastKey
	default:
		last = first + (argc-first)/ks.Limit + ks.LastKey
	}
	if last >= argc || last < first {
		return keyRange{}, false
	}
	return keyRange{first, last, step}, true
}

// keyPositions appends to dst the argument positions of every key in args.
func (cmd *Command) keyPositions(args [][]byte, dst []int) ([]int, bool) {
	for i := range cmd.Keys {
		r, ok := cmd.Keys[i].findKeys(args)
		if !ok {
			return dst, false
		}
		if r.step == 0 {
			continue
		}
		for p := r.first; p <= r.last; p += r.step {
			dst = append(dst, p)
		}
	}
	return dst, true
}

// legacyRange derives COMMAND INFO's first key, last key and step from the key specs, as
// Redis's populateCommandLegacyRangeSpec does.
func (cmd *Command) legacyRange() (first, last, step int) {
	simple := func(ks *KeySpec) bool { return ks.Keyword == "" && !ks.KeyNum && !ks.Unknown }
	if len(cmd.Keys) == 1 && simple(&cmd.Keys[0]) {
		ks := &cmd.Keys[0]
		last = ks.LastKey
		if last >= 0 {
			last += ks.BeginIndex
		}
		return ks.BeginIndex, last, ks.KeyStep
	}
	first, prevLast := -1, 0
	for i := range cmd.Keys {
		ks := &cmd.Keys[i]
		if !simple(ks) {
			continue
		}
		if ks.KeyStep != 1 || prevLast != 0 && prevLast != ks.BeginIndex-1 {
			return 0, 0, 0
		}
		if first < 0 || ks.BeginIndex < first {
			first = ks.BeginIndex
		}
		abs := ks.LastKey
		if abs >= 0 {
			abs += ks.BeginIndex
		}
		if uint(abs) > uint(last) { // unsigned, so that a negative "from the end" wins
			last = abs
		}
		prevLast = last
	}
	if first < 0 {
		return 0, 0, 0
	}
	return first, last, 1
}

// movable reports whether the command's keys can only be found by reading its arguments.
func (cmd *Command) movable() bool {
	for i := range cmd.Keys {
		if cmd.Keys[i].Keyword != "" || cmd.Keys[i].KeyNum || cmd.Keys[i].Unknown {
			return true
		}
	}
	return false
}

// validate checks a command declaration; the server refuses to start with a bad table.
func (cmd *Command) validate() error {
	if cmd.Name == "" || strings.ToLower(cmd.Name) != cmd.Name {
		return fmt.Errorf("command %q: name must be lower case and non-empty", cmd.Name)
	}
	if cmd.Arity == 0 {
		return fmt.Errorf("command %q: arity 0", cmd.Name)
	}
	// A container may have a handler of its own for when it is called without a subcommand
	// (COMMAND); one without must require a subcommand.
	if cmd.Run == nil && (len(cmd.Subcommands) == 0 || cmd.Arity != -2) {
		return fmt.Errorf("command %q: needs a handler, or subcommands and arity -2", cmd.Name)
	}
	if cmd.Flags&(Write|ReadOnly) == Write|ReadOnly {
		return fmt.Errorf("command %q: both write and readonly", cmd.Name)
	}
	for i, ks := range cmd.Keys {
		if ks.BeginIndex == 0 && !ks.Unknown {
			return fmt.Errorf("command %q: key spec %d has no begin index", cmd.Name, i)
		}
		if ks.Flags&(KeyRO|KeyRW|KeyOW|KeyRM|KeyNotKey) == 0 {
			return fmt.Errorf("command %q: key spec %d has no RO/RW/OW/RM or not_key flag", cmd.Name, i)
		}
	}
	for _, a := range cmd.Doc.Args {
		if a.Type == ArgKey && a.KeySpec >= len(cmd.Keys) {
			return fmt.Errorf("command %q: argument %q names key spec %d", cmd.Name, a.Name, a.KeySpec)
		}
	}
	if len(cmd.Subcommands) > 0 {
		cmd.subs = make(map[string]*Command, len(cmd.Subcommands))
		for _, sub := range cmd.Subcommands {
			prefix, _, ok := strings.Cut(sub.Name, "|")
			if !ok || prefix != cmd.Name {
				return fmt.Errorf("subcommand %q of %q must be named %q", sub.Name, cmd.Name, cmd.Name+"|...")
			}
			if err := sub.validate(); err != nil {
				return err
			}
			name := sub.Name[len(prefix)+1:]
			if cmd.subs[name] != nil {
				return fmt.Errorf("subcommand %q declared twice", sub.Name)
			}
			cmd.subs[name] = sub
		}
	}
	return nil
}
