// Package config is kvrpcd's parameter registry: the values behind CONFIG
// GET and CONFIG SET, the redis.conf-style configuration file and the
// daemon's command line ("kvrpcd [file] [--name value ...]", read exactly
// as redis-server reads its own).
//
// # Parameters
//
// Every parameter of Redis 7.0 is declared once, in the table of params.go,
// with its alias if any (slaveof for replicaof, hash-max-ziplist-entries for
// hash-max-listpack-entries, ...), its kind (yes/no, integer with bounds,
// memory value such as "512mb", enumeration, free text, or a special syntax
// such as save and client-output-buffer-limit), its built-in default and
// its flags: immutable (only the file or the command line set it), protected
// (CONFIG SET needs enable-protected-configs), hidden (CONFIG GET lists it
// only by its exact name) and sensitive (never logged). kvrpcd adds loop,
// the connection loop model (net, reactor or redcon), and loops, the number
// of loops (0 for one per CPU); both are immutable.
//
// Values are accepted, refused and rendered as redis-server 7.0 does it,
// with its exact error messages, so that CONFIG SET and CONFIG GET answer
// byte for byte like Redis. Tests replay the same operations against a real
// redis-server when one is installed.
//
// Most parameters only record a value: whatever acts on it (listening on
// port and bind, enforcing maxmemory) registers an OnChange hook or reads
// the value when it needs it. In particular, setting dir checks that the
// directory exists but does not change the working directory.
//
// # Concurrency
//
// A [Registry] is safe for concurrent use. The accessors [Registry.Int],
// [Registry.String] and [Registry.Bool] are lock-free loads meant for hot
// paths. [Registry.Set], the loads and [Registry.OnChange] serialise on a
// mutex, which is held while hooks run: a hook may read the registry but
// must not write to it. Readers running during a multi-parameter Set may
// see some of the new values before others.
//
// # Patterns
//
// [Match] implements Redis's glob matching (stringmatchlen) for CONFIG GET
// here and for KEYS, SCAN MATCH and PSUBSCRIBE elsewhere.
package config
