package integration

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// The differential test sends one seeded random stream of commands of every
// family (strings and keys, lists, hashes, sets, sorted sets, bitmaps, and
// the configuration of encodings) to kvrpcd and to redis-server and compares
// every reply. The families share a small key space, so that each meets the
// others' keys and their WRONGTYPE replies.
//
// Most replies are compared byte for byte. A reply whose order is up to the
// server (a hashtable's iteration order) is compared as a sorted multiset,
// a SCAN-like iteration on such a key as the union of a full iteration on
// each server, and a random pick (SPOP, SRANDMEMBER, HRANDFIELD,
// ZRANDMEMBER) by its length and by the membership of its elements in the
// key as both servers hold it; a set changed by a random SPOP is rebuilt
// alike on both. The log counts, per family, the commands sent and how
// their replies were compared.
//
// KVRPCD_DIFF_SEED and KVRPCD_DIFF_N choose the stream; the seed is printed
// when the test fails, so a failing stream can be replayed exactly.
// KVRPCD_DIFF_TRACE=1 logs every command.

const (
	defaultDiffN  = 12000 // commands in the RESP2 stream; RESP3 gets a quarter
	maxMismatches = 20    // reported in full; the rest are counted
	ttlTolerance  = 2     // seconds, for TTL replies
	pttlTolerance = 2000  // milliseconds, for PTTL replies
	scanMaxCalls  = 1000  // SCAN calls for one full iteration
	diffDBs       = 4     // databases the stream uses (of the default 16)
)

// diffTrace logs every command of the stream with both replies.
var diffTrace = os.Getenv("KVRPCD_DIFF_TRACE") == "1"

// knownDifference is a reported difference from redis-server that awaits
// its fix: a mismatch of a command starting with prefix (upper case, as
// quoted in reports) where kvrpcd replied kv and redis-server ref.
type knownDifference struct {
	prefix, kv, ref, why string
}

// knownDifferences are logged rather than failing the test, and counted in
// the summary. Remove an entry once its difference is fixed.
var knownDifferences = []knownDifference{}

// known returns why a mismatch is a known difference, or "".
func known(cmd []string, kv, ref []byte) string {
	q := strings.ToUpper(quoteCommand(cmd))
	for _, k := range knownDifferences {
		if strings.HasPrefix(q, k.prefix) && string(kv) == k.kv && string(ref) == k.ref {
			return k.why
		}
	}
	return ""
}

func diffConfig(t *testing.T) (seed uint64, n int) {
	t.Helper()
	seed = uint64(time.Now().UnixNano())
	if s := os.Getenv("KVRPCD_DIFF_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("KVRPCD_DIFF_SEED=%q: %v", s, err)
		}
		seed = v
	}
	return seed, envCount(t, "KVRPCD_DIFF_N", defaultDiffN)
}

// envCount returns the count the environment variable name holds, def when it is unset.
func envCount(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		t.Fatalf("%s=%q: not a count", name, s)
	}
	return v
}

func TestDifferential(t *testing.T) {
	seed, n := diffConfig(t)
	ref := startRedis(t)
	forEachLoop(t, func(t *testing.T, addr string) {
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
				runDifferential(t, addr, ref.addr, proto, seed, n)
			})
		}
	})
}

// cmpMode says how the replies to one command are compared.
type cmpMode int

const (
	cmpExact       cmpMode = iota // byte for byte
	cmpNear                       // integers within a tolerance (TTL, PTTL)
	cmpSet                        // as sorted multisets of elements, or of pairs
	cmpScan                       // iterated from cursor 0 to the end on each server, the unions compared
	cmpEncoded                    // exactly if the key's encoding keeps an order, else as cmpSet
	cmpScanEncoded                // exactly if the key's encoding is compact, else as cmpScan
	cmpRandom                     // a random pick: see checkRandom
	cmpShape                      // the reply type and length only (HELLO names each server)
	cmpLex                        // exactly if the sorted set's scores are all equal, else the reply type only
)

// diffCmd is one command of the stream and what its comparison needs.
type diffCmd struct {
	args   []string
	family string
	cmp    cmpMode
	pairs  bool   // the reply's elements come in field-value or member-score pairs
	key    string // cmpEncoded, cmpScanEncoded, cmpRandom: the key the reply depends on
	cursor int    // cmpScan, cmpScanEncoded: the index of the cursor argument
}

// diverges reports whether the command may change the two servers differently: a random
// pick, or a ZREMRANGEBYLEX over mixed scores, whose result Redis leaves unspecified. The
// differential test rebuilds the key afterwards; tests that only watch side effects leave
// such commands out.
func (c diffCmd) diverges() bool {
	return c.cmp == cmpRandom || c.cmp == cmpLex && strings.EqualFold(c.args[0], "ZREMRANGEBYLEX")
}

// exact returns args as a command of family compared byte for byte.
func exact(family string, args ...string) diffCmd {
	return diffCmd{args: args, family: family}
}

// familyStats counts one family's commands and how their replies were
// compared. Helpers are the commands a comparison sends on its own (OBJECT
// ENCODING before an order-dependent reply, the content of a key before a
// random pick, the rebuilding of a set after SPOP); they are compared too.
type familyStats struct {
	sent, exact, sets, member, near, shape, helpers, known int
}

// diffRun is one stream being compared.
type diffRun struct {
	t          *testing.T
	kv, ref    *rawConn
	seed       uint64 // as given: the stream's generator adds the protocol
	n          int    // as given: RESP3 streams are shorter
	proto      int
	sent       int
	db         string // the database selected on both connections
	mismatches int
	reports    []string
	kinds      map[byte]int // redis-server's replies by type, for the log
	families   map[string]*familyStats
}

// runDifferential compares one stream: n commands in RESP2, n/4 in RESP3.
func runDifferential(t *testing.T, kvAddr, refAddr string, proto int, seed uint64, n int) {
	d := &diffRun{t: t, kv: dialRaw(t, kvAddr), ref: dialRaw(t, refAddr), seed: seed, n: n, proto: proto,
		db: "0", kinds: map[byte]int{}, families: map[string]*familyStats{}}
	defer d.finish()
	count := n
	if proto == 3 {
		count = n / 4
	}
	t.Logf("seed %d, %d commands, RESP%d", seed, count, proto)

	if !d.reset() || !d.defaultEncodings() {
		return
	}
	if proto == 3 {
		// The HELLO replies name the server and its version, so only their
		// types are compared.
		kv, ref, ok := d.exchange([]string{"HELLO", "3"})
		if !ok {
			return
		}
		if kv[0] != ref[0] {
			d.mismatch([]string{"HELLO", "3"}, kv, ref)
			return
		}
	}
	g := newCommandGen(seed+uint64(proto), proto)
	for range count {
		if !d.check(g.next()) {
			return
		}
	}
}

// defaultEncodings sets the encoding thresholds the stream changes to their
// defaults on both servers: redis-server serves every loop model in turn.
func (d *diffRun) defaultEncodings() bool {
	for _, p := range encodingParams {
		cmd := []string{"CONFIG", "SET", p.name, p.def}
		kv, ref, ok := d.exchange(cmd)
		if !ok {
			return false
		}
		if !bytes.Equal(kv, ref) || string(ref) != "+OK\r\n" {
			d.mismatch(cmd, kv, ref)
			d.t.Errorf("cannot set %s on both servers: %q and %q", p.name, kv, ref)
			return false
		}
	}
	return true
}

// finish reports the mismatches, with the seed to replay them, and logs
// how the replies of each family were compared.
func (d *diffRun) finish() {
	var kinds []string
	for k, n := range d.kinds {
		kinds = append(kinds, fmt.Sprintf("%q:%d", k, n))
	}
	slices.Sort(kinds)
	var b strings.Builder
	fmt.Fprintf(&b, "%d commands; replies by type: %s\n", d.sent, strings.Join(kinds, " "))
	fmt.Fprintf(&b, "  %-8s %7s %7s %7s %7s %7s %7s %7s %7s\n", "family", "sent", "exact", "sets", "member", "near", "shape", "helpers", "known")
	names := make([]string, 0, len(d.families))
	for name := range d.families {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		s := d.families[name]
		fmt.Fprintf(&b, "  %-8s %7d %7d %7d %7d %7d %7d %7d %7d\n", name, s.sent, s.exact, s.sets, s.member, s.near, s.shape, s.helpers, s.known)
	}
	d.t.Log(b.String())
	if d.mismatches == 0 {
		return
	}
	d.t.Errorf("%d mismatches in %d commands (replay with KVRPCD_DIFF_SEED=%d KVRPCD_DIFF_N=%d); the first %d:\n%s",
		d.mismatches, d.sent, d.seed, d.n, len(d.reports), strings.Join(d.reports, "\n"))
}

// stats returns the counters of a family.
func (d *diffRun) stats(family string) *familyStats {
	s := d.families[family]
	if s == nil {
		s = &familyStats{}
		d.families[family] = s
	}
	return s
}

// reset empties the databases the stream uses on both servers and selects
// database 0.
func (d *diffRun) reset() bool {
	var cmds [][]string
	for db := diffDBs - 1; db >= 0; db-- {
		cmds = append(cmds, []string{"SELECT", strconv.Itoa(db)}, []string{"FLUSHDB"})
	}
	for _, cmd := range cmds {
		kv, ref, ok := d.exchange(cmd)
		if !ok {
			return false
		}
		if !bytes.Equal(kv, ref) {
			d.mismatch(cmd, kv, ref)
			d.t.Errorf("cannot bring the servers to the same state: %q gave %q and %q", cmd, kv, ref)
			return false
		}
	}
	d.db = "0"
	return true
}

// exchange sends cmd to both servers and reads both replies. It reports
// false (after failing the test) when a connection broke.
func (d *diffRun) exchange(cmd []string) (kv, ref []byte, ok bool) {
	d.sent++
	req := encodeCommand(cmd...)
	d.kv.send(req)
	d.ref.send(req)
	_, kv, kvErr := d.kv.readReply(ioTimeout)
	_, ref, refErr := d.ref.readReply(ioTimeout)
	if refErr != nil {
		d.t.Errorf("redis-server: %s: %v", quoteCommand(cmd), refErr)
		return nil, nil, false
	}
	if kvErr != nil {
		d.mismatch(cmd, []byte(kvErr.Error()), ref)
		d.t.Errorf("kvrpcd: %s: %v", quoteCommand(cmd), kvErr)
		return nil, nil, false
	}
	if diffTrace {
		d.t.Logf("#%d %s\n  kvrpcd:       %q\n  redis-server: %q", d.sent, quoteCommand(cmd), clip(kv), clip(ref))
	}
	return kv, ref, true
}

// check runs one command on both servers and compares the replies; after a
// mismatch both servers are emptied, so one difference does not cascade. It
// reports false when the stream cannot go on.
func (d *diffRun) check(c diffCmd) bool {
	st := d.stats(c.family)
	st.sent++
	mode := c.cmp
	switch mode {
	case cmpRandom:
		return d.checkRandom(st, c)
	case cmpLex:
		return d.checkLex(st, c)
	case cmpEncoded, cmpScanEncoded:
		enc, ok, cont := d.encoding(st, c.key)
		if !ok {
			return cont
		}
		switch {
		case !unorderedEncoding(enc):
			mode = cmpExact
		case mode == cmpEncoded:
			mode = cmpSet
		case isCursor(c.args[c.cursor]):
			// Cursors are private to each server: iterate from the start.
			c.args = slices.Clone(c.args)
			c.args[c.cursor] = "0"
			mode = cmpScan
		default:
			mode = cmpExact // a bad cursor: the same error
		}
	}
	if mode == cmpScan {
		return d.checkScan(st, c)
	}
	kv, ref, ok := d.exchange(c.args)
	if !ok {
		return false
	}
	d.kinds[ref[0]]++
	same := bytes.Equal(kv, ref)
	switch mode {
	case cmpExact:
		st.exact++
	case cmpNear:
		st.near++
		if !same {
			tol := int64(ttlTolerance)
			if strings.EqualFold(c.args[0], "PTTL") {
				tol = pttlTolerance
			}
			same = closeInts(kv, ref, tol)
		}
	case cmpSet:
		st.sets++
		if !same {
			same = sameMultisets(kv, ref, c.pairs)
		}
	case cmpShape:
		st.shape++
		same = sameShape(kv, ref)
	}
	if strings.EqualFold(c.args[0], "SELECT") && len(c.args) == 2 && string(ref) == "+OK\r\n" {
		d.db = c.args[1]
	}
	if same {
		return true
	}
	return d.differ(st, c.args, kv, ref)
}

// differ records a mismatch, or logs a known difference, and brings both
// servers to the same state.
func (d *diffRun) differ(st *familyStats, cmd []string, kv, ref []byte) bool {
	if why := known(cmd, kv, ref); why != "" {
		st.known++
		d.t.Logf("known difference (%s): %s\n    kvrpcd:       %q\n    redis-server: %q", why, quoteCommand(cmd), clip(kv), clip(ref))
	} else {
		d.mismatch(cmd, kv, ref)
	}
	return d.resync()
}

// helper runs a command that the comparison of another one needs and
// compares its replies exactly (or as multisets when asSet). It returns
// redis-server's reply; ok is false after a mismatch (the servers are then
// resynchronised) and cont is false when the stream cannot go on.
func (d *diffRun) helper(st *familyStats, cmd []string, asSet, pairs bool) (ref []byte, ok, cont bool) {
	st.helpers++
	kv, ref, good := d.exchange(cmd)
	if !good {
		return nil, false, false
	}
	if bytes.Equal(kv, ref) || (asSet && sameMultisets(kv, ref, pairs)) {
		return ref, true, true
	}
	return nil, false, d.differ(st, cmd, kv, ref)
}

// encoding returns the encoding of key, the same on both servers, or "" when
// there is no such key.
func (d *diffRun) encoding(st *familyStats, key string) (enc string, ok, cont bool) {
	ref, ok, cont := d.helper(st, []string{"OBJECT", "ENCODING", key}, false, false)
	if !ok {
		return "", false, cont
	}
	v, _, err := resp.ParseReply(ref)
	if err != nil || v.Kind != resp.KindBulk {
		return "", true, true
	}
	return string(v.Str), true, true
}

// unorderedEncoding reports whether the elements of a value so encoded come
// out in an order of the server's own making.
func unorderedEncoding(enc string) bool { return enc == "hashtable" || enc == "skiplist" }

// isCursor reports whether redis-server takes s for a cursor: it reads one
// with strtoul, so "" is 0 and "-1" the largest cursor.
func isCursor(s string) bool {
	if s == "" {
		return true
	}
	_, err := strconv.ParseUint(strings.TrimPrefix(s, "-"), 10, 64)
	return err == nil && s[0] != '+' && !strings.HasPrefix(s, "-+") && !strings.HasPrefix(s, "--")
}

// checkScan iterates a SCAN, HSCAN, SSCAN or ZSCAN to its end on each server
// (cursors are private to each) and compares the sets of elements found.
func (d *diffRun) checkScan(st *familyStats, c diffCmd) bool {
	st.sets++
	kvItems, kvErr := d.scanAll(d.kv, c)
	refItems, refErr := d.scanAll(d.ref, c)
	d.sent++
	if diffTrace {
		d.t.Logf("#%d %s (full iteration)\n  kvrpcd:       %v %q\n  redis-server: %v %q", d.sent, quoteCommand(c.args), kvErr, kvItems, refErr, refItems)
	}
	if refErr != nil || kvErr != nil {
		if kvErr != nil && refErr != nil && kvErr.Error() == refErr.Error() {
			return true // the same error reply
		}
		return d.differ(st, c.args, fmt.Appendf(nil, "%v %q", kvErr, kvItems), fmt.Appendf(nil, "%v %q", refErr, refItems))
	}
	if !slices.Equal(kvItems, refItems) {
		return d.differ(st, c.args, fmt.Appendf(nil, "found %q", kvItems), fmt.Appendf(nil, "found %q", refItems))
	}
	return true
}

// scanAll runs a scan from cursor 0 to the end on one connection and
// returns the distinct elements (or pairs) found, rendered and sorted. An
// error reply is returned as an error holding the raw reply.
func (d *diffRun) scanAll(c *rawConn, cmd diffCmd) ([]string, error) {
	seen := map[string]bool{}
	args := slices.Clone(cmd.args)
	args[cmd.cursor] = "0"
	for range scanMaxCalls {
		c.send(encodeCommand(args...))
		v, raw, err := c.readReply(ioTimeout)
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		if raw[0] != '*' || len(v.Elems) != 2 {
			return nil, fmt.Errorf("reply %q", raw)
		}
		items, ok := groupElems(v.Elems[1], cmd.pairs)
		if !ok {
			return nil, fmt.Errorf("reply %q", raw)
		}
		for _, it := range items {
			seen[it] = true
		}
		args[cmd.cursor] = string(v.Elems[0].Str)
		if args[cmd.cursor] == "0" {
			out := make([]string, 0, len(seen))
			for k := range seen {
				out = append(out, k)
			}
			slices.Sort(out)
			return out, nil
		}
	}
	return nil, fmt.Errorf("scan did not end within %d calls", scanMaxCalls)
}

// resync empties both servers after a mismatch and selects the database the
// stream is in.
func (d *diffRun) resync() bool {
	db := d.db
	if !d.reset() {
		return false
	}
	if db == "0" {
		return true
	}
	return d.check(exact("strings", "SELECT", db))
}

func (d *diffRun) mismatch(cmd []string, kv, ref []byte) {
	d.mismatches++
	if len(d.reports) < maxMismatches {
		d.reports = append(d.reports, fmt.Sprintf("  #%d %s\n    kvrpcd:       %q\n    redis-server: %q",
			d.sent, quoteCommand(cmd), clip(kv), clip(ref)))
	}
}

// render returns a canonical text of one reply element: its type, then its
// text, or the rendering of its elements.
func render(v resp.Value) string {
	switch {
	case v.Null:
		return string(v.Kind) + "null"
	case v.Kind == resp.KindInt || v.Kind == resp.KindBool:
		return string(v.Kind) + strconv.FormatInt(v.Int, 10)
	case len(v.Elems) > 0 || v.Kind == resp.KindArray || v.Kind == resp.KindSet || v.Kind == resp.KindMap:
		parts := make([]string, len(v.Elems))
		for i, e := range v.Elems {
			parts[i] = render(e)
		}
		return strings.Join(parts, "\x00")
	default:
		return string(v.Kind) + string(v.Str)
	}
}

// groupElems renders the elements of an aggregate: one by one, or in pairs
// when pairs is true (a RESP2 flat array or a RESP3 map) unless each element
// is already a pair (a RESP3 array of pairs). A nested pair renders like a
// flat one, so that replies of either shape compare.
func groupElems(v resp.Value, pairs bool) ([]string, bool) {
	if v.Null || (v.Kind != resp.KindArray && v.Kind != resp.KindSet && v.Kind != resp.KindMap) {
		return nil, false
	}
	nested := len(v.Elems) > 0 && v.Elems[0].Kind == resp.KindArray
	if v.Kind == resp.KindMap || (pairs && !nested) {
		if len(v.Elems)%2 != 0 {
			return nil, false
		}
		out := make([]string, 0, len(v.Elems)/2)
		for i := 0; i < len(v.Elems); i += 2 {
			out = append(out, render(v.Elems[i])+"\x00"+render(v.Elems[i+1]))
		}
		return out, true
	}
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		out[i] = render(e)
	}
	return out, true
}

// replyItems parses an aggregate reply and renders its elements (see
// groupElems).
func replyItems(raw []byte, pairs bool) (resp.Kind, []string, bool) {
	v, _, err := resp.ParseReply(raw)
	if err != nil {
		return 0, nil, false
	}
	items, ok := groupElems(v, pairs)
	return v.Kind, items, ok
}

// sameMultisets reports whether two aggregate replies of the same type hold
// the same elements (or pairs) in any order.
func sameMultisets(a, b []byte, pairs bool) bool {
	ka, ia, okA := replyItems(a, pairs)
	kb, ib, okB := replyItems(b, pairs)
	if !okA || !okB || ka != kb {
		return false
	}
	slices.Sort(ia)
	slices.Sort(ib)
	return slices.Equal(ia, ib)
}

// sameShape reports whether two replies have the same type and, for
// aggregates, the same number of elements.
func sameShape(a, b []byte) bool {
	va, _, errA := resp.ParseReply(a)
	vb, _, errB := resp.ParseReply(b)
	return errA == nil && errB == nil && va.Kind == vb.Kind && len(va.Elems) == len(vb.Elems)
}

// closeInts reports whether two integer replies are equal, or both
// non-negative and within tol of each other.
func closeInts(a, b []byte, tol int64) bool {
	x, okA := intReply(a)
	y, okB := intReply(b)
	if !okA || !okB {
		return false
	}
	if x < 0 || y < 0 {
		return x == y
	}
	return max(x-y, y-x) <= tol
}

func intReply(raw []byte) (int64, bool) {
	if len(raw) < 3 || raw[0] != ':' {
		return 0, false
	}
	n, err := strconv.ParseInt(string(bytes.TrimSuffix(raw[1:], []byte("\r\n"))), 10, 64)
	return n, err == nil
}

// quoteCommand renders a command for a report.
func quoteCommand(cmd []string) string {
	parts := make([]string, len(cmd))
	for i, a := range cmd {
		if a != "" && !strings.ContainsAny(a, " \"'\\") && strconv.CanBackquote(a) && !strings.ContainsFunc(a, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
			parts[i] = a
		} else {
			parts[i] = strconv.Quote(a)
		}
	}
	return strings.Join(parts, " ")
}

// The key space is small and shared by all families, so that commands keep
// meeting each other's keys, of every type.
var (
	stringKeys = []string{"a", "b", "c", "n", "f", "", "x\x00y"}
	listKeys   = []string{"l0", "l1"}
	hashKeys   = []string{"h0", "h1"}
	setKeys    = []string{"s0", "s1", "s2"}
	zsetKeys   = []string{"z0", "z1"}
	bitmapKeys = []string{"bm0", "bm1"}
)

// encodingParams are the encoding thresholds the stream changes, with their
// defaults and the values it sets.
var encodingParams = []struct {
	name, def string
	values    []string
}{
	{"hash-max-listpack-entries", "128", []string{"0", "1", "3", "128"}},
	{"hash-max-listpack-value", "64", []string{"0", "8", "64"}},
	{"set-max-intset-entries", "512", []string{"0", "3", "8", "512"}},
	{"zset-max-listpack-entries", "128", []string{"0", "3", "128"}},
	{"zset-max-listpack-value", "64", []string{"0", "8", "64"}},
}

// encodingCmd changes an encoding threshold, or asks for the encoding of a
// key: the same value must get the same encoding on both servers.
func (g *commandGen) encodingCmd() diffCmd {
	if g.chance(0.4) {
		p := encodingParams[g.intn(len(encodingParams))]
		return exact("config", g.name("CONFIG"), g.name("SET"), p.name, g.pick(p.values))
	}
	return exact("config", g.name("OBJECT"), g.name("ENCODING"), g.key())
}

// commandGen generates the random command stream.
type commandGen struct {
	r    *rand.Rand
	keys []string
	// Absolute expiry times far from now, and in seconds apart, so that the
	// comparisons of NX/XX/GT/LT do not depend on when each server runs the
	// command; ties among them are exact on both servers.
	unixSec []string
	proto   int // of the stream: HELLO keeps it
}

func newCommandGen(seed uint64, proto int) *commandGen {
	g := &commandGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), proto: proto}
	g.keys = slices.Concat(stringKeys, listKeys, hashKeys, setKeys, zsetKeys, bitmapKeys)
	// Rounded so that a stream replays the same way within a day.
	base := time.Now().Unix()/86400*86400 + 10_000_000
	for i := range 4 {
		g.unixSec = append(g.unixSec, strconv.FormatInt(base+int64(i)*1_000_000, 10))
	}
	return g
}

func (g *commandGen) intn(n int) int { return g.r.IntN(n) }

func (g *commandGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *commandGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *commandGen) key() string {
	if g.chance(0.02) {
		return "other" + strconv.Itoa(g.intn(3)) // rarely a key outside the usual set
	}
	return g.pick(g.keys)
}

func (g *commandGen) keysN(lo, hi int) []string {
	n := lo + g.intn(hi-lo+1)
	out := make([]string, n)
	for i := range out {
		out[i] = g.key()
	}
	return out
}

var edgeValues = []string{
	"", "v", "hello", "0", "1", "-1", "10", "100", "-0", "+1", "007", " 1", "1 ",
	"1e5", "1E5", "3.14", "-3.14", ".5", "5.", "0x10", "inf", "-inf", "nan",
	"9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
	"18446744073709551615", "12345678901234567890", "1.7976931348623157e308", "2e308", "1e-320",
	"\x00", "\xff\xfe", "a\r\nb", "é", strings.Repeat("x", 44), strings.Repeat("y", 45), strings.Repeat("z", 100),
}

func (g *commandGen) value() string {
	switch g.intn(4) {
	case 0:
		return strconv.Itoa(g.intn(2_000_001) - 1_000_000)
	case 1:
		b := make([]byte, g.intn(12))
		for i := range b {
			b[i] = "abcxyz"[g.intn(6)]
		}
		return string(b)
	default:
		return g.pick(edgeValues)
	}
}

var edgeInts = []string{
	"0", "1", "-1", "5", "-5", "100", "-100", "9223372036854775807", "-9223372036854775808",
	"9223372036854775808", "-9223372036854775809", "abc", "1.5", "", "-0", " 1", "+1", "0x10", "1e3",
}

func (g *commandGen) integer() string {
	if g.chance(0.5) {
		return strconv.Itoa(g.intn(201) - 100)
	}
	return g.pick(edgeInts)
}

var edgeFloats = []string{
	"0.1", "0.2", "1.5", "-2.25", "1e3", "3", "-0", "0", "inf", "-inf", "nan", "abc", "1e400",
	"-1e400", "0x10", "", " 1", "1.0e-5", "5e-324", "1.7976931348623157e308", "10.5", ".5", "5.",
}

func (g *commandGen) float() string {
	if g.chance(0.4) {
		return strconv.FormatFloat(float64(g.intn(20001)-10000)/100, 'f', -1, 64)
	}
	return g.pick(edgeFloats)
}

var edgeExpiries = []string{"0", "-1", "-100", "abc", "1.5", "", "9223372036854775807",
	"-9223372036854775808", "9223372036854775", "9223372036854776", "4611686018427387904"}

// relSeconds returns a relative time in seconds. The random ones are spread
// widely, so two of them practically never fall within the time between the
// servers receiving the same command.
func (g *commandGen) relSeconds() string {
	if g.chance(0.15) {
		return g.pick(edgeExpiries)
	}
	return strconv.Itoa(1000 + g.intn(1_000_000))
}

func (g *commandGen) relMillis() string {
	if g.chance(0.15) {
		return g.pick(edgeExpiries)
	}
	return strconv.Itoa(1_000_000 + g.intn(1_000_000_000))
}

// absSeconds returns a unix time in seconds: far in the future, in the past
// when past is true, or not a valid time.
func (g *commandGen) absSeconds(past bool) string {
	switch {
	case past && g.chance(0.1):
		return g.pick([]string{"1", "1000000000"})
	case g.chance(0.1):
		return g.pick(edgeExpiries)
	default:
		return g.pick(g.unixSec)
	}
}

// absMillis is absSeconds in milliseconds.
func (g *commandGen) absMillis(past bool) string {
	s := g.absSeconds(past)
	// Times too large for milliseconds stay as they are: multiplied, they would wrap
	// around to small numbers, a time in the past.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 1_000_000 && n <= math.MaxInt64/1000-1 {
		return strconv.FormatInt(n*1000+int64(g.intn(3))*7, 10)
	}
	return s
}

// name returns a command name, sometimes in mixed case.
func (g *commandGen) name(s string) string {
	if g.chance(0.1) {
		b := []byte(s)
		for i := range b {
			if g.chance(0.5) {
				b[i] ^= 0x20
			}
		}
		return string(b)
	}
	return s
}

// setOptions returns options for SET. Its EXAT and PXAT are never in the
// past: redis-server keeps such a key, already invisible, until its active
// expiry cycle happens to sample it, and DBSIZE counts it until then, which
// no other server can reproduce. (GETEX, EXPIREAT and PEXPIREAT delete the
// key at once instead, so they get past times.)
func (g *commandGen) setOptions() []string {
	var opts []string
	for range g.intn(4) {
		switch g.intn(12) {
		case 0:
			opts = append(opts, "EX", g.relSeconds())
		case 1:
			opts = append(opts, "PX", g.relMillis())
		case 2:
			opts = append(opts, "EXAT", g.absSeconds(false))
		case 3:
			opts = append(opts, "PXAT", g.absMillis(false))
		case 4:
			opts = append(opts, "KEEPTTL")
		case 5, 6:
			opts = append(opts, g.pick([]string{"NX", "XX"}))
		case 7, 8:
			opts = append(opts, "GET")
		case 9:
			// Lower case, and sometimes a value where none belongs.
			switch g.intn(3) {
			case 0:
				opts = append(opts, "ex", g.relSeconds())
			case 1:
				opts = append(opts, "px", g.relMillis())
			default:
				opts = append(opts, g.pick([]string{"nx", "get", "keepttl"}), g.relSeconds())
			}
		case 10:
			opts = append(opts, "EX") // missing its argument
		default:
			opts = append(opts, g.pick([]string{"FOO", "EXX", "PERSIST"}))
		}
	}
	// Most of the time keep only valid-looking combinations, so the server
	// state keeps changing; the rest tests the error replies.
	if g.chance(0.5) && len(opts) > 2 {
		opts = opts[:2]
	}
	return opts
}

func (g *commandGen) expireFlags() []string {
	var flags []string
	for range g.intn(3) {
		if g.chance(0.9) {
			flags = append(flags, g.pick([]string{"NX", "XX", "GT", "LT"}))
		} else {
			flags = append(flags, g.pick([]string{"FOO", "nx", "gt"}))
		}
	}
	if len(flags) == 2 && g.chance(0.6) {
		flags = flags[:1] // combinations are mostly errors: keep them rarer
	}
	return flags
}

func (g *commandGen) db() string {
	if g.chance(0.05) {
		return g.pick([]string{"16", "-1", "abc", "99999999999999999999", ""})
	}
	return strconv.Itoa(g.intn(diffDBs))
}

var keyPatterns = []string{"*", "?", "a*", "*a*", "[ab]", "[^a]*", "[a-c]*", "\\*", "x*y", "x?y",
	"", "n?", "*\x00*", "[", "[a", "a[b-]", "other*", "l?", "[!a]", "*[0-9]", "[hsz][0-9]", "bm*"}

// knownNames are given random arguments. Commands that random arguments
// could make expire a key soon (at a moment that differs between the
// servers), or grow a string to megabytes, are in fewArgsNames instead.
var knownNames = []string{"GET", "SET", "SETNX", "GETSET", "GETDEL", "GETEX",
	"MGET", "MSET", "MSETNX", "APPEND", "STRLEN", "INCR", "DECR", "INCRBY", "DECRBY", "INCRBYFLOAT",
	"GETRANGE", "SUBSTR", "LCS", "DEL", "UNLINK", "EXISTS", "TYPE", "KEYS", "SCAN",
	"RENAME", "RENAMENX", "COPY", "MOVE", "TOUCH", "EXPIREAT", "PEXPIREAT",
	"TTL", "PTTL", "PERSIST", "OBJECT", "DBSIZE", "ECHO", "PING",
	"LLEN", "LINDEX", "HGET", "HLEN", "SCARD", "SISMEMBER", "ZCARD", "ZSCORE", "GETBIT", "BITCOUNT"}

// fewArgsNames only get too few arguments.
var fewArgsNames = []string{"EXPIRE", "PEXPIRE", "SETEX", "PSETEX", "SETRANGE"}

// next returns the next command of the stream: of one family or another,
// each mostly on its own keys.
func (g *commandGen) next() diffCmd {
	switch x := g.intn(1000); {
	case x < 300:
		return g.stringCmd()
	case x < 430:
		return g.listCmd()
	case x < 570:
		return g.hashCmd()
	case x < 710:
		return g.setCmd()
	case x < 850:
		return g.zsetCmd()
	case x < 960:
		return g.bitmapCmd()
	case x < 995:
		return g.encodingCmd()
	default:
		// The reply names the server: only its shape is compared.
		return diffCmd{args: []string{g.name("HELLO"), strconv.Itoa(g.proto)}, family: "conn", cmp: cmpShape}
	}
}

// stringCmd returns a command on strings or keys, or on the connection.
func (g *commandGen) stringCmd() diffCmd {
	args := g.stringArgs()
	c := exact("strings", args...)
	switch strings.ToUpper(args[0]) {
	case "KEYS":
		c.cmp = cmpSet
	case "TTL", "PTTL":
		c.cmp = cmpNear
	case "SCAN":
		if len(args) >= 2 && args[1] == "0" {
			c.cmp, c.cursor = cmpScan, 1
		}
	}
	return c
}

// keyOf returns one of own mostly, else any key of the key space.
func (g *commandGen) keyOf(own []string) string {
	if g.chance(0.8) {
		return g.pick(own)
	}
	return g.key()
}

// stringArgs returns a command on strings or keys.
func (g *commandGen) stringArgs() []string {
	k := g.key
	switch x := g.intn(1000); {
	case x < 90:
		return []string{g.name("GET"), k()}
	case x < 200:
		return append([]string{g.name("SET"), k(), g.value()}, g.setOptions()...)
	case x < 215:
		return []string{g.name("SETNX"), k(), g.value()}
	case x < 230:
		if g.chance(0.5) {
			return []string{g.name("SETEX"), k(), g.relSeconds(), g.value()}
		}
		return []string{g.name("PSETEX"), k(), g.relMillis(), g.value()}
	case x < 245:
		return []string{g.name("GETSET"), k(), g.value()}
	case x < 260:
		return []string{g.name("GETDEL"), k()}
	case x < 285:
		cmd := []string{g.name("GETEX"), k()}
		switch g.intn(7) {
		case 0:
			cmd = append(cmd, "EX", g.relSeconds())
		case 1:
			cmd = append(cmd, "PX", g.relMillis())
		case 2:
			cmd = append(cmd, "EXAT", g.absSeconds(true))
		case 3:
			cmd = append(cmd, "PXAT", g.absMillis(true))
		case 4:
			cmd = append(cmd, "PERSIST")
		case 5:
			cmd = append(cmd, g.pick([]string{"EX", "FOO", "PERSIST"}), g.relSeconds())
		}
		return cmd
	case x < 310:
		return append([]string{g.name("MGET")}, g.keysN(1, 5)...)
	case x < 340:
		cmd := []string{g.name(g.pick([]string{"MSET", "MSET", "MSETNX"}))}
		for range 1 + g.intn(3) {
			cmd = append(cmd, k(), g.value())
		}
		if g.chance(0.05) {
			cmd = cmd[:len(cmd)-1] // an odd number of arguments
		}
		return cmd
	case x < 370:
		return []string{g.name("APPEND"), k(), g.value()}
	case x < 385:
		return []string{g.name("STRLEN"), k()}
	case x < 430:
		return []string{g.name(g.pick([]string{"INCR", "DECR"})), k()}
	case x < 465:
		return []string{g.name(g.pick([]string{"INCRBY", "DECRBY"})), k(), g.integer()}
	case x < 490:
		return []string{g.name("INCRBYFLOAT"), k(), g.float()}
	case x < 510:
		return []string{g.name(g.pick([]string{"GETRANGE", "SUBSTR"})), k(), g.rangeIndex(), g.rangeIndex()}
	case x < 530:
		off := strconv.Itoa(g.intn(40))
		val := g.value()
		switch g.intn(10) {
		case 0:
			off = g.pick([]string{"-1", "abc", "536870912", "9223372036854775807"})
		case 1:
			off, val = "536870911", "" // the largest offset, with nothing to write
		}
		return []string{g.name("SETRANGE"), k(), off, val}
	case x < 540:
		cmd := []string{g.name("LCS"), k(), k()}
		for range g.intn(3) {
			switch g.intn(5) {
			case 0:
				cmd = append(cmd, "LEN")
			case 1, 2:
				cmd = append(cmd, "IDX")
			case 3:
				cmd = append(cmd, "MINMATCHLEN", g.pick([]string{"0", "1", "2", "-1", "abc"}))
			default:
				cmd = append(cmd, "WITHMATCHLEN")
			}
		}
		return cmd
	case x < 575:
		return append([]string{g.name(g.pick([]string{"DEL", "UNLINK", "EXISTS", "TOUCH"}))}, g.keysN(1, 4)...)
	case x < 590:
		return []string{g.name("TYPE"), k()}
	case x < 605:
		return []string{g.name("KEYS"), g.pick(keyPatterns)}
	case x < 620:
		return g.scan()
	case x < 640:
		return []string{g.name(g.pick([]string{"RENAME", "RENAMENX"})), k(), k()}
	case x < 655:
		cmd := []string{g.name("COPY"), k(), k()}
		if g.chance(0.4) {
			cmd = append(cmd, "DB", g.db())
		}
		if g.chance(0.4) {
			cmd = append(cmd, "REPLACE")
		}
		if g.chance(0.05) {
			cmd = append(cmd, "FOO")
		}
		return cmd
	case x < 665:
		return []string{g.name("MOVE"), k(), g.db()}
	case x < 700:
		if g.chance(0.6) {
			return append([]string{g.name("EXPIRE"), k(), g.relSeconds()}, g.expireFlags()...)
		}
		return append([]string{g.name("PEXPIRE"), k(), g.relMillis()}, g.expireFlags()...)
	case x < 720:
		name := g.pick([]string{"EXPIREAT", "PEXPIREAT"})
		ts := g.absSeconds(true)
		if name == "PEXPIREAT" {
			ts = g.absMillis(true)
		}
		return append([]string{g.name(name), k(), ts}, g.expireFlags()...)
	case x < 750:
		return []string{g.name(g.pick([]string{"TTL", "PTTL"})), k()}
	case x < 765:
		return []string{g.name("PERSIST"), k()}
	case x < 785:
		switch g.intn(10) {
		case 0:
			return []string{"OBJECT", g.pick([]string{"FOO", "ENCODING"})}
		default:
			return []string{g.name("OBJECT"), g.name("ENCODING"), k()}
		}
	case x < 795:
		return []string{g.name("DBSIZE")}
	case x < 798:
		cmd := []string{g.name("FLUSHDB")}
		if g.chance(0.3) {
			cmd = append(cmd, g.pick([]string{"ASYNC", "SYNC", "FOO"}))
		}
		return cmd
	case x < 825:
		return []string{g.name("SELECT"), g.db()}
	case x < 835:
		return []string{g.name("SWAPDB"), g.db(), g.db()}
	case x < 850:
		return []string{g.name("ECHO"), g.value()}
	case x < 865:
		if g.chance(0.5) {
			return []string{g.name("PING")}
		}
		return []string{g.name("PING"), g.value()}
	case x < 890:
		// Wrong arity or arguments of a known command.
		cmd := []string{g.name(g.pick(knownNames))}
		for range g.intn(5) {
			cmd = append(cmd, g.value())
		}
		if strings.EqualFold(cmd[0], "SCAN") && len(cmd) > 1 {
			// Where a cursor other than 0 leads is up to each server.
			cmd[1] = "0"
		}
		return cmd
	case x < 900:
		cmd := []string{g.name(g.pick(fewArgsNames))}
		for range g.intn(2) {
			cmd = append(cmd, k())
		}
		return cmd
	case x < 920:
		cmd := []string{g.pick([]string{"FOO", "GETT", "SETX", "XYZZY", "", "G\x00T"})}
		for range g.intn(3) {
			cmd = append(cmd, g.value())
		}
		return cmd
	default:
		return []string{g.name("GET"), k()}
	}
}

func (g *commandGen) rangeIndex() string {
	if g.chance(0.1) {
		return g.pick([]string{"9223372036854775807", "-9223372036854775808", "abc", "100000"})
	}
	return strconv.Itoa(g.intn(61) - 30)
}

// scan returns a SCAN from cursor 0, iterated to its end by the comparison,
// or now and then one with a bad cursor or option.
func (g *commandGen) scan() []string {
	if g.chance(0.1) {
		return []string{g.name("SCAN"), g.pick([]string{"abc", "1.5", "-", "18446744073709551616", "0x10"})}
	}
	cmd := []string{g.name("SCAN"), "0"}
	if g.chance(0.5) {
		cmd = append(cmd, "MATCH", g.pick(keyPatterns))
	}
	if g.chance(0.5) {
		cmd = append(cmd, "COUNT", g.pick([]string{"1", "2", "10", "1000"}))
	}
	if g.chance(0.3) {
		cmd = append(cmd, "TYPE", g.pick([]string{"string", "list", "hash", "set", "zset", "none", "STRING"}))
	}
	if g.chance(0.05) {
		cmd = append(cmd, g.pick([]string{"COUNT", "MATCH", "FOO"}), g.pick([]string{"0", "-1", "x"}))
	}
	return cmd
}
