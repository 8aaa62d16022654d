package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kvrpcd/kvrpcd/resp"
)

// maxIncludeDepth stops include cycles, which would make redis-server
// recurse until it crashes.
const maxIncludeDepth = 32

// Load applies the daemon's command line, os.Args[1:], exactly as
// redis-server reads its own: an optional configuration file first (any
// first argument not starting with '-'), then "--name value..." options
// that override it. See [Registry.LoadFile] and [Registry.LoadArgs].
func (r *Registry) Load(args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if err := r.LoadFile(args[0]); err != nil {
			return err
		}
		args = args[1:]
	}
	return r.LoadArgs(args)
}

// LoadFile applies a redis.conf-style file and remembers its absolute path
// (see [Registry.ConfigFile]). The syntax is redis-server's: one directive
// per line, lines starting with '#' ignored, arguments split as
// sdssplitargs does ("double quotes" with \n, \xff escapes, 'single quotes'),
// "include path" (a glob pattern may include several files, or none),
// multi-word directives such as "save 3600 1 300 100". Directives kvrpcd
// does not implement (rename-command, user, loadmodule, sentinel) are
// errors. Relative paths are taken from the working directory, as in Redis.
//
// Directives are applied in order and OnChange hooks run as values change;
// on error, the directives before the faulty one stay applied. Errors are
// *[LoadError], naming the file and line, e.g.
// "kvrpcd.conf:3: Bad directive or wrong number of arguments".
func (r *Registry) LoadFile(path string) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: can't open config file: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.file = abs
	if err := r.loadText(string(text), path, false, 0); err != nil {
		return err
	}
	return r.checkLoaded()
}

// LoadString applies configuration text with the syntax of
// [Registry.LoadFile]; errors name the line ("line 3: ...").
func (r *Registry) LoadString(text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.loadText(text, "", false, 0); err != nil {
		return err
	}
	return r.checkLoaded()
}

// LoadArgs applies command-line options, those after the optional
// configuration file, with redis-server's rules: "--name" starts a
// directive, and the following arguments are its words up to the next
// argument starting with "--" ("--save 900 1 --port 7000"). An option may
// carry its words in one argument ("--port 7000"). A "--name" that still
// lacks a value takes the next argument even if it starts with "--", except
// that "--save" followed by another option (or last) means save "". A lone
// "-" first or last asked redis-server to read standard input: LoadArgs
// returns [ErrStdin]. Errors are *[LoadError] naming the option.
func (r *Registry) LoadArgs(args []string) error {
	text, err := argsToConfig(args)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.loadText(text, "", true, 0); err != nil {
		return err
	}
	return r.checkLoaded()
}

// argsToConfig turns options into configuration text, one directive per
// line, as redis-server's main does.
func argsToConfig(args []string) (string, error) {
	var b strings.Builder
	handled := true // the last option has its value
	for j, a := range args {
		last := j == len(args)-1
		switch {
		case a == "-" && (j == 0 || last):
			return "", ErrStdin
		case handled && strings.HasPrefix(a, "--"):
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(a[2:])
			b.WriteByte(' ')
			words, _ := splitArgs(a)
			if len(words) != 1 {
				break // "--port 7000" in one argument
			}
			handled = false
			nextIsOption := !last && strings.HasPrefix(args[j+1], "--")
			switch {
			case equalFold(a, "--save") && (nextIsOption || last):
				b.WriteString(`""`)
				handled = true
			case equalFold(a, "--sentinel") && nextIsOption:
				handled = true
			}
		default:
			b.WriteString(quote(a))
			b.WriteByte(' ')
			handled = true
		}
	}
	return b.String(), nil
}

// quote renders s in double quotes with escapes, as sdscatrepr does, so
// that splitArgs gives s back.
func quote(s string) string { return string(resp.AppendRepr(nil, []byte(s))) }

// loadText applies configuration text; source names it in errors ("" for
// a string). r.mu is held.
func (r *Registry) loadText(text, source string, fromArgs bool, depth int) error {
	if i := strings.IndexByte(text, 0); i >= 0 {
		text = text[:i] // C reads the text as a NUL-terminated string
	}
	for i, line := range strings.Split(text, "\n") {
		line = strings.Trim(line, " \t\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		args, ok := splitArgs(line)
		fail := func(msg string, err error) error {
			le := &LoadError{File: source, Line: i + 1, Msg: msg, Err: err}
			if len(args) > 0 {
				le.Directive = args[0]
			} else if fields := strings.Fields(line); len(fields) > 0 {
				le.Directive = fields[0]
			}
			if fromArgs {
				le.File, le.Line = "", 0
			}
			return le
		}
		if !ok {
			return fail(msgUnbalanced, nil)
		}
		if len(args) == 0 {
			continue
		}
		name := strings.ToLower(args[0])
		if ref := r.byName[name]; ref != nil {
			p := ref.e.p
			if p.flags&multiArg == 0 && len(args) != 2 {
				return fail(msgWrongArgs, nil)
			}
			words := args[1:]
			if p.flags&multiArg != 0 && len(words) == 1 && words[0] != "" {
				// Redis splits a lone argument of a multi-word directive,
				// so that "--save '900 1 300 10'" works. Unbalanced
				// quotes in it give no words at all.
				words, _ = splitArgs(words[0])
			}
			old := ref.e.v.Load()
			v, err := p.parse(words, old, &setContext{loading: true, saveLoaded: &r.saveLoaded})
			if err != nil {
				return fail(err.Error(), nil)
			}
			ref.e.v.Store(v)
			if changed(old, v) {
				if err := ref.e.runHooks(v.str); err != nil {
					return fail(err.Error(), err)
				}
			}
			continue
		}
		switch {
		case len(args) == 2 && (name == "list-max-ziplist-entries" ||
			name == "list-max-ziplist-value" || name == "lua-replicate-commands"):
			// Deprecated; Redis 7.0 accepts and ignores them.
		case name == "include" && len(args) == 2:
			if err := r.include(args[1], depth+1); err != nil {
				if _, ok := err.(*LoadError); ok {
					return err
				}
				return fail(err.Error(), err)
			}
		case name == "rename-command" && len(args) == 3,
			name == "user" && len(args) >= 2,
			name == "loadmodule" && len(args) >= 2:
			return fail(errUnsupported(name), nil)
		case strings.Contains(name, "."):
			if len(args) != 2 {
				return fail(msgModuleNoValue, nil)
			}
			return fail(errUnsupported(name), nil)
		case name == "sentinel":
			return fail(msgSentinel, nil)
		default:
			return fail(msgBadDirective, nil)
		}
	}
	return nil
}

// include loads another file, or every file a glob pattern names.
func (r *Registry) include(path string, depth int) error {
	if depth > maxIncludeDepth {
		return fmt.Errorf("includes nested deeper than %d files", maxIncludeDepth)
	}
	files := []string{path}
	if strings.ContainsAny(path, "*?[") {
		files, _ = filepath.Glob(path) // no match includes nothing, as in Redis
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("can't open config file '%s': %s", f, strerror(err))
		}
		if err := r.loadText(string(text), f, false, depth); err != nil {
			return err
		}
	}
	return nil
}

// checkLoaded runs the sanity checks redis-server makes after reading its
// configuration. r.mu is held.
func (r *Registry) checkLoaded() error {
	if r.must("cluster-enabled").v.Load().num != 0 && r.must("replicaof").v.Load().str != "" {
		return &Error{Msg: msgReplicaofCluster}
	}
	return nil
}

// splitArgs splits a line into words as Redis's sdssplitargs does. ok is
// false for unbalanced quotes, or a closing quote followed by something
// other than a space.
func splitArgs(line string) (args []string, ok bool) {
	p := 0
	at := func(i int) byte {
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	for {
		for p < len(line) && isSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, true
		}
		var cur []byte
		inq, insq := false, false
		for done := false; !done; {
			c := at(p)
			switch {
			case inq:
				switch {
				case c == '\\' && at(p+1) == 'x' && isHex(at(p+2)) && isHex(at(p+3)):
					cur = append(cur, unhex(at(p+2))<<4|unhex(at(p+3)))
					p += 3
				case c == '\\' && at(p+1) != 0:
					p++
					switch e := line[p]; e {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, e)
					}
				case c == '"':
					if n := at(p + 1); n != 0 && !isSpace(n) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			case insq:
				switch {
				case c == '\\' && at(p+1) == '\'':
					p++
					cur = append(cur, '\'')
				case c == '\'':
					if n := at(p + 1); n != 0 && !isSpace(n) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					cur = append(cur, c)
				}
			}
			if p < len(line) {
				p++
			}
		}
		args = append(args, string(cur))
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
