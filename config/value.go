package config

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// kind is the type of value a parameter holds.
type kind uint8

const (
	kindBool    kind = iota + 1 // yes or no
	kindInt                     // integer in [min, max]
	kindMemory                  // byte count with an optional unit, in [min, max]
	kindEnum                    // one word out of a list (several, with multiArg)
	kindString                  // any text, maybe checked
	kindSpecial                 // parsed and rendered by the param's own set function
)

// flag qualifies a parameter.
type flag uint16

const (
	immutable flag = 1 << iota // CONFIG SET refuses it; only loads set it
	protected                  // CONFIG SET needs enable-protected-configs
	hidden                     // glob patterns skip it; CONFIG GET needs the exact name
	sensitive                  // the value is a secret and must not be logged
	multiArg                   // takes several words; CONFIG SET splits its value on spaces
	unsigned                   // bounds are compared as C unsigned integers
	octal                      // the number is written in base 8
	percent                    // memory value that also takes "N%", kept as -N
)

// maxUint64 is ULLONG_MAX as an upper bound; with the unsigned flag it
// compares as 18446744073709551615.
const maxUint64 = -1

// param describes one parameter. The table in params.go holds them all; it
// is never modified.
type param struct {
	name  string
	alias string // older name Redis still accepts, e.g. slaveof for replicaof
	kind  kind
	def   string // default value, as CONFIG GET renders it
	flags flag

	min, max int64    // numbers: inclusive bounds
	enum     []string // enums: the accepted words, in Redis's order
	enumVals []int64  // enums: the value of each word, when not its position

	// check further validates a parsed value (strings, enums, numbers).
	check func(v *value) error
	// adjust rewrites a validated number, as Redis clamps hz.
	adjust func(n int64, loading bool) int64
	// set parses and renders a kindSpecial parameter.
	set func(args []string, cur *value, c *setContext) (*value, error)
}

// reason is why a value was refused, in Redis's words. Set wraps it into
// an *Error and the loads into a *LoadError.
type reason string

func (r reason) Error() string { return string(r) }

// value is one state of a parameter. A value is never modified once stored,
// so readers can keep it after loading it atomically.
type value struct {
	num  int64  // booleans (0/1), numbers, enum values, keyspace event flags
	str  string // as CONFIG GET renders it
	data any    // decoded form of special values
}

// setContext tells a set function where the value comes from.
type setContext struct {
	loading    bool  // from configuration text rather than CONFIG SET
	saveLoaded *bool // during loads: a save directive was already seen
}

// parse turns the words of a value into a new value. cur is the current
// value, which some specials extend. The error text is Redis's reason.
func (p *param) parse(args []string, cur *value, c *setContext) (*value, error) {
	var v *value
	switch p.kind {
	case kindBool:
		switch {
		case equalFold(args[0], "yes"):
			v = &value{num: 1, str: "yes"}
		case equalFold(args[0], "no"):
			v = &value{num: 0, str: "no"}
		default:
			return nil, reason(msgBool)
		}
	case kindInt, kindMemory:
		n, err := p.parseNumber(args[0])
		if err != nil {
			return nil, err
		}
		if err := p.checkBounds(n); err != nil {
			return nil, err
		}
		v = &value{num: n}
	case kindEnum:
		n, ok := p.parseEnum(args)
		if !ok {
			return nil, reason(msgEnum + strings.Join(p.enum, ", "))
		}
		v = &value{num: n, str: p.enumName(n)}
	case kindString:
		v = &value{str: args[0]}
	case kindSpecial:
		return p.set(args, cur, c)
	}
	if p.check != nil {
		if err := p.check(v); err != nil {
			return nil, err
		}
	}
	if p.kind == kindInt || p.kind == kindMemory {
		if p.adjust != nil {
			v.num = p.adjust(v.num, c.loading)
		}
		v.str = p.formatNumber(v.num)
	}
	return v, nil
}

// parseNumber follows Redis's numericParseString: memory first, then
// percentage, then octal, then a plain integer for plain numbers.
func (p *param) parseNumber(s string) (int64, error) {
	if p.kind == kindMemory {
		if n, ok := memtoull(s); ok {
			return int64(n), nil
		}
	}
	if p.flags&percent != 0 && len(s) > 1 && s[len(s)-1] == '%' {
		if n, ok := string2ll(s[:len(s)-1]); ok && n >= 0 {
			return -n, nil
		}
	}
	if p.flags&octal != 0 {
		if n, rest, overflow := strtoll(s, 8); !overflow && rest == "" {
			return n, nil
		}
	}
	if p.kind == kindInt && p.flags&octal == 0 {
		if n, ok := string2ll(s); ok {
			return n, nil
		}
	}
	switch {
	case p.flags&percent != 0:
		return 0, reason(msgMemoryPercent)
	case p.kind == kindMemory:
		return 0, reason(msgMemory)
	case p.flags&octal != 0:
		return 0, reason(msgOctal)
	}
	return 0, reason(msgInteger)
}

func (p *param) checkBounds(n int64) error {
	if p.flags&unsigned != 0 {
		u, lo, hi := uint64(n), uint64(p.min), uint64(p.max)
		if u > hi || u < lo {
			if p.flags&octal != 0 {
				return reason("argument must be between " + strconv.FormatUint(lo, 8) +
					" and " + strconv.FormatUint(hi, 8) + " inclusive")
			}
			return reason("argument must be between " + strconv.FormatUint(lo, 10) +
				" and " + strconv.FormatUint(hi, 10) + " inclusive")
		}
		return nil
	}
	if p.flags&percent != 0 && n < 0 {
		if n < p.min {
			return reason("percentage argument must be less or equal to " + strconv.FormatInt(-p.min, 10))
		}
		return nil
	}
	if n > p.max || n < p.min {
		return reason("argument must be between " + strconv.FormatInt(p.min, 10) +
			" and " + strconv.FormatInt(p.max, 10) + " inclusive")
	}
	return nil
}

func (p *param) formatNumber(n int64) string {
	switch {
	case p.flags&percent != 0 && n < 0:
		return strconv.FormatInt(-n, 10) + "%"
	case p.kind == kindMemory:
		return strconv.FormatUint(uint64(n), 10)
	case p.flags&octal != 0:
		return strconv.FormatUint(uint64(n), 8)
	}
	return strconv.FormatInt(n, 10)
}

func (p *param) enumValue(i int) int64 {
	if p.enumVals != nil {
		return p.enumVals[i]
	}
	return int64(i)
}

// parseEnum matches words against the options without regard to case. A
// multiArg enum is a set of flags and ORs the words' values.
func (p *param) parseEnum(args []string) (int64, bool) {
	if len(args) == 0 || (p.flags&multiArg == 0 && len(args) != 1) {
		return 0, false
	}
	var n int64
	for _, a := range args {
		found := false
		for i, opt := range p.enum {
			if equalFold(a, opt) {
				n |= p.enumValue(i)
				found = true
			}
		}
		if !found {
			return 0, false
		}
	}
	return n, true
}

// enumName renders an enum value: the first word with exactly that value,
// else (for flag sets) the words whose bits make it up, else "unknown".
func (p *param) enumName(n int64) string {
	var names []string
	rest := n
	for i, opt := range p.enum {
		v := p.enumValue(i)
		if v == n {
			return opt
		}
		if p.flags&multiArg != 0 && v != 0 && v == rest&v {
			names = append(names, opt)
			rest &^= v
		}
	}
	if names == nil || rest != 0 {
		return "unknown"
	}
	return strings.Join(names, " ")
}

// splitSpaces splits a CONFIG SET value of a multiArg parameter on single
// spaces, like sdssplitlen: "" gives no words, "a  b" gives an empty one.
func splitSpaces(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}

// Validators of string and enum values.

func checkDBFilename(v *value) error {
	if !isBaseName(v.str) {
		return reason(msgDBFilename)
	}
	return nil
}

func checkAOFFilename(v *value) error {
	if v.str == "" {
		return reason(msgAOFFilenameEmpty)
	}
	if !isBaseName(v.str) {
		return reason(msgAOFFilenamePath)
	}
	return nil
}

func checkAOFDirname(v *value) error {
	if v.str == "" {
		return reason(msgAOFDirnameEmpty)
	}
	if !isBaseName(v.str) {
		return reason(msgAOFDirnamePath)
	}
	return nil
}

func isBaseName(s string) bool { return !strings.ContainsAny(s, "/\\") }

func checkHostname(v *value) error {
	if len(v.str) >= 256 {
		return reason(msgHostnameLen)
	}
	for i := 0; i < len(v.str); i++ {
		c := v.str[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return reason(msgHostnameChars)
		}
	}
	return nil
}

// checkProcTitle expands the template as Redis validates it: unknown
// variables or an unbalanced brace are errors, and so is a template that
// expands to nothing but spaces when the title, server mode and unix socket
// are empty.
func checkProcTitle(v *value) error {
	s := v.str
	var out strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			out.WriteString(s)
			break
		}
		out.WriteString(s[:i])
		s = s[i+1:]
		if s == "" {
			return reason(msgProcTitle)
		}
		if s[0] == '{' {
			out.WriteByte('{')
			s = s[1:]
			continue
		}
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return reason(msgProcTitle)
		}
		switch s[:j] {
		case "title", "server-mode", "unixsocket":
		case "listen-addr", "port", "tls-port", "config-file":
			out.WriteByte('x')
		default:
			return reason(msgProcTitle)
		}
		s = s[j+1:]
	}
	if strings.Trim(out.String(), " ") == "" {
		return reason(msgProcTitle)
	}
	return nil
}

// Values of the shutdown-on-sigint and shutdown-on-sigterm flags.
const (
	shutdownSave   = 1
	shutdownNoSave = 2
)

func checkShutdownFlags(v *value) error {
	if v.num&shutdownSave != 0 && v.num&shutdownNoSave != 0 {
		return reason(msgShutdownFlags)
	}
	return nil
}

// clampHz keeps hz within what Redis accepts at run time.
func clampHz(n int64, _ bool) int64 { return min(max(n, 1), 500) }

// clampBacklog raises repl-backlog-size to Redis's minimum when CONFIG SET
// changes it (but not when a file sets it, where Redis keeps the value).
func clampBacklog(n int64, loading bool) int64 {
	if loading {
		return n
	}
	return max(n, 16*1024)
}

// checkActiveDefrag refuses to enable active defragmentation, which kvrpcd
// does not do, with the words of a Redis built without it.
func checkActiveDefrag(v *value) error {
	if v.num != 0 {
		return reason("Active defragmentation cannot be enabled: it requires a Redis server " +
			"compiled with a modified Jemalloc like the one shipped by default with the Redis " +
			"source distribution")
	}
	return nil
}

// SavePoint is one "save <seconds> <changes>" condition: snapshot after
// Seconds if at least Changes writes happened.
type SavePoint struct {
	Seconds int64
	Changes int
}

func setSave(args []string, cur *value, c *setContext) (*value, error) {
	reset := false
	if len(args) == 1 && args[0] == "" {
		args, reset = nil, true
	}
	if len(args)%2 != 0 {
		return nil, reason(msgSave)
	}
	for j, a := range args {
		n, rest, _ := strtoll(a, 10)
		if rest != "" || (j%2 == 0 && n < 1) || (j%2 == 1 && n < 0) {
			return nil, reason(msgSave)
		}
	}
	// A configuration file's first save directive replaces the defaults;
	// the following ones add to it.
	var points []SavePoint
	if c.loading {
		if !reset && *c.saveLoaded {
			points = append(points, cur.data.([]SavePoint)...)
		}
		*c.saveLoaded = true
	}
	for j := 0; j < len(args); j += 2 {
		seconds, _, _ := strtoll(args[j], 10)
		changes, _, _ := strtoll(args[j+1], 10)
		points = append(points, SavePoint{Seconds: seconds, Changes: int(int32(changes))})
	}
	words := make([]string, 0, 2*len(points))
	for _, sp := range points {
		words = append(words, strconv.FormatInt(sp.Seconds, 10), strconv.Itoa(sp.Changes))
	}
	return &value{str: strings.Join(words, " "), data: points}, nil
}

// BufferLimit is the output buffer limit of one class of clients: the
// connection is closed past Hard bytes, or past Soft bytes for SoftSeconds.
// Zero means no limit.
type BufferLimit struct {
	Hard, Soft  uint64
	SoftSeconds int64
}

// Classes of client-output-buffer-limit, in the order Redis renders them.
const (
	ClassNormal = iota
	ClassReplica
	ClassPubSub
)

var obufClassNames = [3]string{"normal", "slave", "pubsub"}

func setOutputBufferLimit(args []string, cur *value, _ *setContext) (*value, error) {
	if len(args)%4 != 0 {
		return nil, reason(msgObufArgs)
	}
	limits := cur.data.([3]BufferLimit)
	for j := 0; j < len(args); j += 4 {
		class := -1
		switch {
		case equalFold(args[j], "normal"):
			class = ClassNormal
		case equalFold(args[j], "slave"), equalFold(args[j], "replica"):
			class = ClassReplica
		case equalFold(args[j], "pubsub"):
			class = ClassPubSub
		}
		if class < 0 {
			return nil, reason(msgObufClass)
		}
		hard, okHard := memtoull(args[j+1])
		soft, okSoft := memtoull(args[j+2])
		n, rest, _ := strtoll(args[j+3], 10)
		seconds := int32(n) // Redis keeps it in an int
		if !okHard || !okSoft || seconds < 0 || rest != "" {
			return nil, reason(msgObufValue)
		}
		limits[class] = BufferLimit{Hard: hard, Soft: soft, SoftSeconds: int64(seconds)}
	}
	words := make([]string, 0, 12)
	for i, l := range limits {
		words = append(words, obufClassNames[i], strconv.FormatUint(l.Hard, 10),
			strconv.FormatUint(l.Soft, 10), strconv.FormatInt(l.SoftSeconds, 10))
	}
	return &value{str: strings.Join(words, " "), data: limits}, nil
}

func setOOMScoreAdjValues(args []string, _ *value, _ *setContext) (*value, error) {
	if len(args) != 3 {
		return nil, reason(msgWrongArgs)
	}
	var vals [3]int
	for i, a := range args {
		n, rest, _ := strtoll(a, 10)
		if rest != "" || n < -2000 || n > 2000 {
			return nil, reason(msgOOMValues)
		}
		vals[i] = int(n)
	}
	return &value{
		str:  strconv.Itoa(vals[0]) + " " + strconv.Itoa(vals[1]) + " " + strconv.Itoa(vals[2]),
		data: vals,
	}, nil
}

// Keyspace notification classes, the bits of Int("notify-keyspace-events").
const (
	NotifyKeyspace = 1 << iota // K: __keyspace@<db>__ channels
	NotifyKeyevent             // E: __keyevent@<db>__ channels
	NotifyGeneric              // g: DEL, EXPIRE, RENAME, ...
	NotifyString               // $
	NotifyList                 // l
	NotifySet                  // s
	NotifyHash                 // h
	NotifyZset                 // z
	NotifyExpired              // x
	NotifyEvicted              // e
	NotifyStream               // t
	NotifyKeyMiss              // m
	NotifyLoaded               // module only, never in the configuration
	NotifyModule               // d
	NotifyNew                  // n

	// NotifyAll is what the A class stands for.
	NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash |
		NotifyZset | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule
)

func setNotifyKeyspaceEvents(args []string, _ *value, _ *setContext) (*value, error) {
	if len(args) != 1 {
		return nil, reason(msgWrongArgs)
	}
	var flags int64
	for i := 0; i < len(args[0]); i++ {
		switch args[0][i] {
		case 'A':
			flags |= NotifyAll
		case 'g':
			flags |= NotifyGeneric
		case '$':
			flags |= NotifyString
		case 'l':
			flags |= NotifyList
		case 's':
			flags |= NotifySet
		case 'h':
			flags |= NotifyHash
		case 'z':
			flags |= NotifyZset
		case 'x':
			flags |= NotifyExpired
		case 'e':
			flags |= NotifyEvicted
		case 'K':
			flags |= NotifyKeyspace
		case 'E':
			flags |= NotifyKeyevent
		case 't':
			flags |= NotifyStream
		case 'm':
			flags |= NotifyKeyMiss
		case 'd':
			flags |= NotifyModule
		case 'n':
			flags |= NotifyNew
		default:
			return nil, reason(msgNotify)
		}
	}
	return &value{num: flags, str: formatNotify(flags)}, nil
}

// formatNotify renders event flags as Redis does; note that "A" hides "n".
func formatNotify(flags int64) string {
	var b []byte
	if flags&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, c := range []struct {
			bit  int64
			char byte
		}{
			{NotifyGeneric, 'g'}, {NotifyString, '$'}, {NotifyList, 'l'}, {NotifySet, 's'},
			{NotifyHash, 'h'}, {NotifyZset, 'z'}, {NotifyExpired, 'x'}, {NotifyEvicted, 'e'},
			{NotifyStream, 't'}, {NotifyModule, 'd'}, {NotifyNew, 'n'},
		} {
			if flags&c.bit != 0 {
				b = append(b, c.char)
			}
		}
	}
	if flags&NotifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if flags&NotifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if flags&NotifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

// maxBind is CONFIG_BINDADDR_MAX.
const maxBind = 16

func setBind(args []string, _ *value, _ *setContext) (*value, error) {
	if len(args) > maxBind {
		return nil, reason(msgTooManyBind)
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	addrs := append([]string(nil), args...)
	return &value{str: strings.Join(addrs, " "), data: addrs}, nil
}

func setReplicaof(args []string, _ *value, _ *setContext) (*value, error) {
	if len(args) != 2 {
		return nil, reason(msgWrongArgs)
	}
	if equalFold(args[0], "no") && equalFold(args[1], "one") {
		return &value{}, nil
	}
	port, rest, _ := strtoll(args[1], 10)
	if port < 0 || port > 65535 || rest != "" {
		return nil, reason(msgMasterPort)
	}
	return &value{num: port, str: args[0] + " " + strconv.FormatInt(port, 10)}, nil
}

func setLatencyPercentiles(args []string, _ *value, _ *setContext) (*value, error) {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	ps := make([]float64, 0, len(args))
	words := make([]string, 0, len(args))
	for _, a := range args {
		f, ok := string2d(a)
		if !ok {
			return nil, reason(msgPercentileParse)
		}
		if f > 100 || f < 0 {
			return nil, reason(msgPercentileRange)
		}
		ps = append(ps, f)
		words = append(words, formatPercentile(f))
	}
	return &value{str: strings.Join(words, " "), data: ps}, nil
}

// string2d parses a float as Redis's string2d (strtod, with no leading
// space, no trailing bytes, no NaN, no overflow or underflow).
func string2d(s string) (float64, bool) {
	if s == "" || isSpace(s[0]) || strings.ContainsRune(s, '_') {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	if f == 0 && strings.ContainsAny(mantissa(s), "123456789") {
		return 0, false // underflow: strtod reports ERANGE
	}
	return f, true
}

func mantissa(s string) string {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		if i := strings.IndexAny(s, "pP"); i >= 0 {
			return s[2:i]
		}
		return s[2:]
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		return s[:i]
	}
	return s
}

// formatPercentile is printf("%f") without trailing zeros, like Redis.
func formatPercentile(f float64) string {
	s := strconv.FormatFloat(f, 'f', 6, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// setDir checks that the directory exists. Unlike Redis it does not change
// the process's working directory: a hook registered with OnChange may. A
// relative path is taken relative to the current value.
func setDir(args []string, cur *value, _ *setContext) (*value, error) {
	if len(args) != 1 {
		return nil, reason(msgWrongArgs)
	}
	dir := args[0]
	if dir != "" && !filepath.IsAbs(dir) && cur != nil {
		dir = filepath.Join(cur.str, dir)
	}
	fi, err := os.Stat(dir)
	if dir == "" {
		err = syscall.ENOENT
	}
	if err == nil && !fi.IsDir() {
		err = syscall.ENOTDIR
	}
	if err != nil {
		return nil, reason(strerror(err))
	}
	dir = filepath.Clean(dir)
	return &value{str: dir}, nil
}

// strerror renders an error as C's strerror would: Go's errno texts are
// glibc's with the first letter lowered.
func strerror(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	s := errno.Error()
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
