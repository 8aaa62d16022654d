// Command kvrpcd is a Redis-protocol compatible in-memory server.
//
// Usage:
//
//	kvrpcd [/path/to/kvrpcd.conf] [--name value ...]
//
// It takes a redis.conf-style file and "--name value" options exactly as redis-server does:
//
//	kvrpcd --port 7000 --requirepass secret
//	kvrpcd kvrpcd.conf --loglevel debug
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/loops"
	netloop "github.com/kvrpcd/kvrpcd/loops/net"
	"github.com/kvrpcd/kvrpcd/loops/reactor"
	redconloop "github.com/kvrpcd/kvrpcd/loops/redcon"
	"github.com/kvrpcd/kvrpcd/rpc"
	"github.com/kvrpcd/kvrpcd/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "kvrpcd:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "-v", "--version":
			fmt.Printf("kvrpcd v=%s redis_compat=7.0.15 go=%s %s/%s\n", rpc.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		case "-h", "--help":
			fmt.Println("Usage: kvrpcd [/path/to/kvrpcd.conf] [--name value ...]")
			fmt.Println("       kvrpcd --version")
			fmt.Println("Options are the configuration parameters of redis.conf, e.g. --port 7000 --loglevel debug.")
			return nil
		}
	}
	cfg := config.New()
	if len(args) > 0 && !strings.HasPrefix(args[0], "--") {
		if err := cfg.LoadFile(args[0]); err != nil {
			return err
		}
		args = args[1:]
	}
	if err := cfg.LoadArgs(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel(cfg.String("loglevel"))}))
	slog.SetDefault(log)

	st := store.New(int(cfg.Int("databases")))
	st.StartActiveExpire(func() int { return int(cfg.Int("hz")) })
	srv, err := rpc.NewServer(rpc.Options{Config: cfg, Store: st, Logger: log, LoopModel: cfg.String("loop")})
	if err != nil {
		return err
	}
	defer srv.Close()

	var loop loops.Server
	switch model := cfg.String("loop"); model {
	case "net":
		loop = netloop.New(srv)
	case "reactor":
		r, err := reactor.New(srv, int(cfg.Int("loops")))
		if err != nil {
			log.Warn("the reactor is not available; serving with the net model", "err", err)
			loop = netloop.New(srv)
			break
		}
		loop = r
	case "redcon":
		loop = redconloop.New(srv)
	default:
		return fmt.Errorf("unknown loop model %q (net, reactor or redcon)", model)
	}

	listeners, err := listen(cfg.String("bind"), int(cfg.Int("port")))
	if err != nil {
		return err
	}
	errc := make(chan error, len(listeners))
	for _, ln := range listeners {
		log.Info("ready to accept connections", "addr", ln.Addr().String(), "loop", cfg.String("loop"), "version", rpc.Version)
		go func() { errc <- loop.Serve(ln) }()
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		log.Info("shutting down", "signal", s.String())
	case err := <-errc:
		if err != nil {
			log.Error("listener failed", "err", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := loop.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	log.Info("bye")
	return nil
}

// listen opens a TCP listener per bind address. As in redis.conf, an address with a leading
// '-' is optional: kvrpcd starts without it when it is not available.
func listen(bind string, port int) ([]net.Listener, error) {
	if port == 0 {
		return nil, errors.New("port 0 (no TCP listener) is not supported")
	}
	var out []net.Listener
	for _, addr := range strings.Fields(bind) {
		optional := strings.HasPrefix(addr, "-")
		addr = strings.TrimPrefix(addr, "-")
		if addr == "*" {
			addr = "0.0.0.0"
		}
		if addr == "::*" {
			addr = "::"
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(port)))
		if err != nil {
			if optional {
				continue
			}
			for _, l := range out {
				l.Close()
			}
			return nil, err
		}
		out = append(out, ln)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no address to listen on in bind %q", bind)
	}
	return out, nil
}

func logLevel(s string) slog.Level {
	switch s {
	case "debug", "verbose":
		return slog.LevelDebug
	case "warning":
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
