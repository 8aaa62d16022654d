// Package integration holds the end-to-end tests of kvrpcd. It has no API:
// everything lives in its _test.go files.
//
// The tests build ./cmd/kvrpcd once (with -race when the tests themselves run
// with -race), start it on free loopback ports and talk to it over TCP only:
// through go-redis, redis-cli, redis-benchmark and raw connections. The same
// suite runs once per network loop model. Differential tests send the same
// commands to kvrpcd and to a real redis-server and compare every reply.
//
// # Environment
//
//   - KVRPCD_BIN: run the tests against this binary instead of building one.
//   - KVRPCD_DIFF_SEED, KVRPCD_DIFF_N: seed and length of the differential
//     command stream (the seed is printed when a run fails).
//   - KVRPCD_DIFF_MULTI_N: steps of the several-connection differential tests
//     of transactions and pub/sub (the seed is KVRPCD_DIFF_SEED's).
//   - KVRPCD_DIFF_TRACE=1: log every command of the differential stream with
//     both replies.
//   - CI: when set, a missing redis-server, redis-cli or redis-benchmark fails
//     the tests that need it instead of skipping them.
//
// Every process a test starts listens on 127.0.0.1 only, never on port 6379,
// and is stopped by pid when the test ends.
package integration
