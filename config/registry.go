package config

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry holds every parameter's current value. Safe for concurrent use.
//
// Readers ([Registry.Int], [Registry.String], [Registry.Bool], [Registry.Get])
// never block: each parameter's value is an immutable snapshot behind an
// atomic pointer. Writers ([Registry.Set], the loads, [Registry.OnChange])
// are serialised by a mutex that is held while OnChange hooks run.
type Registry struct {
	mu         sync.Mutex // serialises writers and guards the hooks
	entries    []*entry   // one per parameter, in table order
	byName     map[string]*nameRef
	names      []*nameRef // every name and alias, sorted
	file       string     // absolute path of the configuration file, if any
	startDir   string     // default of dir: the working directory at New
	saveLoaded bool       // a load already replaced the default save points
}

// entry is one parameter's state.
type entry struct {
	p     *param
	v     atomic.Pointer[value]
	hooks []func(string) error // guarded by Registry.mu
}

// nameRef is one name under which a parameter is known.
type nameRef struct {
	name string // the parameter's name, or its alias
	e    *entry
}

// Pair is a parameter name and its value, as CONFIG GET returns them.
type Pair struct {
	Name, Value string
}

// New returns a registry with every parameter of Redis 7.0 at its default,
// plus kvrpcd's own (loop: "net", enum net|reactor|redcon; loops: 0 meaning
// one per core). The default of dir is the process's working directory.
func New() *Registry {
	r := &Registry{byName: make(map[string]*nameRef, 2*len(params))}
	for i := range params {
		p := &params[i]
		e := &entry{p: p}
		def := p.def
		if p.name == "dir" {
			wd, err := os.Getwd()
			if err != nil {
				wd = string(filepath.Separator)
			}
			r.startDir, def = wd, wd
		}
		v, err := p.parse(p.defaultWords(def), &value{data: [3]BufferLimit{}}, &setContext{})
		if err != nil {
			panic("config: bad default for " + p.name + ": " + err.Error())
		}
		e.v.Store(v)
		r.entries = append(r.entries, e)
		for _, name := range []string{p.name, p.alias} {
			if name == "" {
				continue
			}
			ref := &nameRef{name: name, e: e}
			r.byName[name] = ref
			r.names = append(r.names, ref)
		}
	}
	sort.Slice(r.names, func(i, j int) bool { return r.names[i].name < r.names[j].name })
	return r
}

// defaultWords splits a default as CONFIG SET would split the same text.
func (p *param) defaultWords(def string) []string {
	if p.name == "replicaof" && def == "" {
		return []string{"no", "one"}
	}
	if p.flags&multiArg != 0 {
		return splitSpaces(def)
	}
	return []string{def}
}

// lookup finds a parameter by name or alias, without regard to case.
func (r *Registry) lookup(name string) *nameRef {
	if ref, ok := r.byName[name]; ok {
		return ref
	}
	return r.byName[strings.ToLower(name)]
}

// must is lookup for accessors, which treat an unknown name as a bug.
func (r *Registry) must(name string) *entry {
	ref := r.lookup(name)
	if ref == nil {
		panic("config: unknown parameter " + name)
	}
	return ref.e
}

// Get returns name/value pairs for every parameter whose name (or alias)
// matches one of the glob patterns (Redis stringmatch semantics,
// case-insensitive), each name at most once, sorted by name.
//
// As in Redis, a pattern without glob characters ('*', '?', '[') is looked
// up directly: it finds hidden parameters too, and the pair carries the name
// as the caller spelled it. Patterns never match hidden parameters.
func (r *Registry) Get(patterns ...string) []Pair {
	var out []Pair
	seen := make(map[*nameRef]bool)
	for _, pat := range patterns {
		if !strings.ContainsAny(pat, "[*?") {
			if ref := r.lookup(pat); ref != nil && !seen[ref] {
				seen[ref] = true
				out = append(out, Pair{Name: pat, Value: ref.e.v.Load().str})
			}
			continue
		}
		for _, ref := range r.names {
			if ref.e.p.flags&hidden != 0 || seen[ref] {
				continue
			}
			if Match([]byte(pat), []byte(ref.name), true) {
				seen[ref] = true
				out = append(out, Pair{Name: ref.name, Value: ref.e.v.Load().str})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Set sets several parameters at once, atomically, as CONFIG SET does in
// Redis 7.0. args alternate name and value; a parameter that takes several
// words (save, client-output-buffer-limit, bind, ...) has them separated by
// single spaces in its value.
//
// All names and values are validated first, and any error leaves every
// parameter unchanged. The error is an *[Error] with Redis's text, e.g.
// "Unknown option or number of arguments for CONFIG SET - 'foo'" or
// "CONFIG SET failed (possibly related to argument 'maxmemory') - argument
// must be a memory value". The first problem found is reported, unknown
// names and refused parameters (immutable, protected, given twice) before
// bad values.
//
// Set then runs the OnChange hooks of the parameters whose value changed, in
// argument order. If a hook fails, every parameter is restored, the hooks
// that already ran are run again with the old values, and Set returns
// "CONFIG SET failed (possibly related to argument 'x') - <hook error>".
//
// Fewer than two arguments give Redis's arity error, an odd number "syntax
// error".
//
// Set acts for a remote client: protected parameters (dir, dbfilename) are
// refused unless enable-protected-configs is "yes". See [Registry.SetLocal].
func (r *Registry) Set(args ...string) error {
	return r.set(false, args)
}

// SetLocal is [Registry.Set] for a client connected over the loopback or a
// unix socket, which may also set protected parameters when
// enable-protected-configs is "local".
func (r *Registry) SetLocal(args ...string) error {
	return r.set(true, args)
}

func (r *Registry) set(local bool, args []string) error {
	if len(args) < 2 {
		return &Error{Msg: msgArity}
	}
	if len(args)%2 != 0 {
		return &Error{Msg: msgSyntax}
	}
	r.mu.Lock()
	defer r.mu.Unlock()

	n := len(args) / 2
	refs := make([]*nameRef, n)
	for i := range n {
		name := args[2*i]
		ref := r.lookup(name)
		if ref == nil {
			return errUnknown(name)
		}
		p := ref.e.p
		switch {
		case p.flags&immutable != 0:
			return errFailed(name, msgImmutable)
		case p.flags&protected != 0 && !r.protectedAllowed(local):
			return errFailed(name, msgProtected)
		}
		// As in Redis, a name and its alias are not duplicates of each
		// other: the later one wins.
		for _, prev := range refs[:i] {
			if prev == ref {
				return errFailed(name, msgDuplicate)
			}
		}
		refs[i] = ref
	}

	olds := make([]*value, n)
	news := make([]*value, n)
	for i, ref := range refs {
		p := ref.e.p
		words := []string{args[2*i+1]}
		if p.flags&multiArg != 0 {
			words = splitSpaces(args[2*i+1])
		}
		olds[i] = ref.e.v.Load()
		v, err := p.parse(words, olds[i], &setContext{})
		if err != nil {
			return errFailed(ref.name, err.Error())
		}
		news[i] = v
	}

	for i, ref := range refs {
		ref.e.v.Store(news[i])
	}
	var ran []int
	for i, ref := range refs {
		if !changed(olds[i], news[i]) || len(ref.e.hooks) == 0 {
			continue
		}
		ran = append(ran, i)
		if err := ref.e.runHooks(news[i].str); err != nil {
			for k, ref := range refs {
				ref.e.v.Store(olds[k])
			}
			for _, k := range ran {
				_ = refs[k].e.runHooks(olds[k].str) // best effort, as Redis does
			}
			return errFailed(ref.name, err.Error())
		}
	}
	return nil
}

// protectedAllowed reports whether enable-protected-configs lets a client
// (local or not) set protected parameters.
func (r *Registry) protectedAllowed(local bool) bool {
	switch r.must("enable-protected-configs").v.Load().num {
	case protectedYes:
		return true
	case protectedLocal:
		return local
	}
	return false
}

func changed(old, new *value) bool {
	return old.num != new.num || old.str != new.str
}

func (e *entry) runHooks(v string) error {
	for _, fn := range e.hooks {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

// OnChange registers fn to run whenever name changes (through Set or a
// load), with the new value rendered as CONFIG GET renders it. An alias
// names the same parameter. fn runs with the registry's write lock held: it
// may read parameters but must not call Set, a load or OnChange. An error
// from fn makes Set roll back, or the load fail.
func (r *Registry) OnChange(name string, fn func(value string) error) {
	e := r.must(name)
	r.mu.Lock()
	defer r.mu.Unlock()
	e.hooks = append(e.hooks, fn)
}

// Int returns the value of a numeric or memory parameter ("512mb" gives
// 536870912). Memory values above math.MaxInt64 (only maxmemory and
// cluster-link-sendbuf-limit allow them) come back negative: convert them
// with uint64. A percentage (maxmemory-clients "10%") comes back negated
// (-10), as Redis keeps it. Int also gives a bool as 0 or 1, an enum as the
// position of its word (or the OR of the flags, for shutdown-on-sig*), and
// notify-keyspace-events as Notify* bits. It panics on an unknown name or on
// a parameter with none of these kinds.
func (r *Registry) Int(name string) int64 {
	e := r.must(name)
	if e.p.kind == kindString || (e.p.kind == kindSpecial && e.p.name != "notify-keyspace-events") {
		panic("config: " + name + " is not a number")
	}
	return e.v.Load().num
}

// String returns a parameter's value as CONFIG GET renders it. It panics on
// an unknown name.
func (r *Registry) String(name string) string {
	return r.must(name).v.Load().str
}

// Bool returns the value of a yes/no parameter. It panics on an unknown name
// or a parameter of another kind.
func (r *Registry) Bool(name string) bool {
	e := r.must(name)
	if e.p.kind != kindBool {
		panic("config: " + name + " is not a yes/no parameter")
	}
	return e.v.Load().num != 0
}

// Save returns the snapshot conditions of the save parameter.
func (r *Registry) Save() []SavePoint {
	return append([]SavePoint(nil), r.must("save").v.Load().data.([]SavePoint)...)
}

// OutputBufferLimits returns client-output-buffer-limit, indexed by
// ClassNormal, ClassReplica and ClassPubSub.
func (r *Registry) OutputBufferLimits() [3]BufferLimit {
	return r.must("client-output-buffer-limit").v.Load().data.([3]BufferLimit)
}

// Bind returns the addresses of the bind parameter; a leading '-' marks an
// address that may be unavailable.
func (r *Registry) Bind() []string {
	return append([]string(nil), r.must("bind").v.Load().data.([]string)...)
}

// LatencyPercentiles returns latency-tracking-info-percentiles.
func (r *Registry) LatencyPercentiles() []float64 {
	return append([]float64(nil), r.must("latency-tracking-info-percentiles").v.Load().data.([]float64)...)
}

// Names returns every parameter name, aliases and hidden parameters
// included, sorted.
func (r *Registry) Names() []string {
	out := make([]string, len(r.names))
	for i, ref := range r.names {
		out[i] = ref.name
	}
	return out
}

// Has reports whether name (or an alias) is a parameter, without regard to
// case.
func (r *Registry) Has(name string) bool { return r.lookup(name) != nil }

// Immutable reports whether CONFIG SET refuses to change the parameter.
func (r *Registry) Immutable(name string) bool {
	return r.must(name).p.flags&immutable != 0
}

// Sensitive reports whether the parameter's value is a secret that must not
// show in logs, the slow log or MONITOR (masterauth, requirepass, ...).
func (r *Registry) Sensitive(name string) bool {
	return r.must(name).p.flags&sensitive != 0
}

// Default returns the built-in default of a parameter, rendered as CONFIG
// GET would.
func (r *Registry) Default(name string) string {
	p := r.must(name).p
	if p.name == "dir" {
		return r.startDir
	}
	return p.def
}

// ConfigFile returns the absolute path of the configuration file given to
// [Registry.Load] or [Registry.LoadFile], or "" if there was none.
func (r *Registry) ConfigFile() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.file
}
