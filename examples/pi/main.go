// Command pi is an RPC service spoken in RESP: kvrpcd's command layer with one command of
// its own, PI, which computes π from n terms of the Leibniz series. Every Redis client can
// call it; with go-redis:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:7777"})
//	pi, err := rdb.Do(ctx, "PI", 1000000).Float64()
//
// The server still answers every Redis command (PING, SET, INFO, COMMAND DOCS pi, ...).
package main

import (
	"flag"
	"log"
	"net"
	"strconv"

	netloop "github.com/kvrpcd/kvrpcd/loops/net"
	"github.com/kvrpcd/kvrpcd/rpc"
)

// maxTerms bounds the work of one call, so that a request cannot occupy a core for long.
const maxTerms = 100_000_000

// piCommand declares PI once: arity, flags and documentation, from which COMMAND INFO and
// COMMAND DOCS answer and arity errors are derived.
var piCommand = &rpc.Command{
	Name:  "pi",
	Arity: 2,
	Flags: rpc.ReadOnly | rpc.Loading | rpc.Stale,
	Run:   pi,
	Doc: rpc.Doc{
		Summary:    "Returns pi computed from the first n terms of the Leibniz series.",
		Since:      "0.1.0",
		Complexity: "O(N) where N is the number of terms.",
		Args:       []rpc.Arg{{Name: "terms", Type: rpc.ArgInteger}},
	},
}

// pi is the handler: it parses its argument, computes, and writes one reply.
func pi(c *rpc.Client, args [][]byte) {
	n, err := strconv.ParseInt(string(args[1]), 10, 64)
	if err != nil || n < 1 || n > maxTerms {
		c.Error("ERR terms must be an integer between 1 and " + strconv.Itoa(maxTerms))
		return
	}
	// A bulk string, as INCRBYFLOAT replies: every client reads it in RESP2 and RESP3 alike.
	var buf [32]byte
	c.Writer().Bulk(strconv.AppendFloat(buf[:0], leibniz(n), 'g', 17, 64))
}

// leibniz returns 4 * Σ (-1)^k / (2k+1) for k < n, summed from the smallest term up to keep
// the rounding error low.
func leibniz(n int64) float64 {
	sum := 0.0
	for k := n - 1; k >= 0; k-- {
		term := 1 / float64(2*k+1)
		if k%2 == 1 {
			term = -term
		}
		sum += term
	}
	return 4 * sum
}

// newServer returns the command layer with PI registered beside Redis's commands.
func newServer() (*rpc.Server, error) {
	return rpc.NewServer(rpc.Options{Commands: []*rpc.Command{piCommand}, LoopModel: "net"})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7777", "address to listen on")
	flag.Parse()
	srv, err := newServer()
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("pi service listening on %s", ln.Addr())
	log.Fatal(netloop.New(srv).Serve(ln))
}
