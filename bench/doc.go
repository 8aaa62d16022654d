// Command bench compares the loop models of kvrpcd with redis-server using redis-benchmark.
//
// Usage:
//
//	go run ./bench [--quick] [--rounds N] [--out DIR] [--memory-only | --no-memory]
//
// It builds kvrpcd, starts it once per loop model (net, reactor, redcon) and a redis-server,
// each on its own loopback port, and runs the same redis-benchmark workloads against each of
// them over several rounds: strings first, then lists, hashes, sets and sorted sets. The
// order of the servers alternates every round (A B C D, then D C B A) so that a slow drift
// of the machine does not favour one of them, and every ratio to redis-server is taken
// between runs of the same round before the median over rounds.
//
// # Fairness
//
// When the machine has two CPUs or more and taskset(1) is installed, every server runs on
// CPU 0 and redis-benchmark on CPU 1; kvrpcd runs with GOMAXPROCS=1 and --loops 1, so each
// server has exactly one core, as redis-server's single command thread has. The CPU time a
// server spends during a run is read from /proc/<pid>/stat, which gives the requests served
// per CPU-second: a server that is faster only because it burns more cores shows it there.
//
// # Memory
//
// A memory report follows (--no-memory skips it, --memory-only runs it alone): a million
// small strings, then a hundred thousand small hashes, lists, sets and sorted sets, each
// loaded into a fresh kvrpcd (reactor loop model) and a fresh redis-server, one server at a
// time, by a pipelined loader of its own. It gives the bytes per key of the heap (INFO
// memory used_memory, for kvrpcd the Go heap) and of the RSS, less the empty server's.
//
// # Output
//
// The table and the summary are printed on standard output (progress goes to standard
// error) and written to DIR/results.md with a bar chart DIR/results.svg (DIR defaults to
// docs/bench in the module root). --memory-only replaces only the memory section of
// DIR/results.md. Every process the command starts is stopped by its pid before it
// returns, also after an error or an interrupt.
package main
