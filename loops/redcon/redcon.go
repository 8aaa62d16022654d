// Package redcon serves kvrpcd's command layer with github.com/tidwall/redcon, a well-known
// goroutine-per-connection RESP server: the baseline that the other models are measured
// against. Redcon reads and parses the protocol itself and calls kvrpcd's dispatch for each
// command, so what differs from the net model is redcon's I/O and parser.
//
// Redcon's parser answers malformed input with its own messages and does not enforce
// proto-max-bulk-len or the unauthenticated request limits; every other reply is kvrpcd's.
package redcon

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/tidwall/redcon"

	"github.com/kvrpcd/kvrpcd/rpc"
)

// Server serves an rpc.Server through redcon.
type Server struct {
	srv *rpc.Server

	mu      sync.Mutex
	servers []*redcon.Server
	conns   map[*conn]struct{}
	done    chan struct{}
	once    sync.Once
	shut    bool
}

// New returns a Server for srv.
func New(srv *rpc.Server) *Server {
	return &Server{srv: srv, conns: make(map[*conn]struct{}), done: make(chan struct{})}
}

// conn adapts a redcon connection to rpc.Conn.
type conn struct {
	rc     redcon.Conn
	cl     *rpc.Client
	nc     net.Conn
	remote string
	local  string
	wake   chan struct{} // Wake's signal to a handler waiting in a blocked command
	gone   bool          // the peer left while blocked; the rest of its pipeline is dropped
}

// Wake implements rpc.Conn.
func (c *conn) Wake() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *conn) RemoteAddr() string { return c.remote }
func (c *conn) LocalAddr() string  { return c.local }

// Close closes the socket; redcon's reader then ends the connection. Safe from any goroutine.
func (c *conn) Close() error { return c.nc.Close() }

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	rs := redcon.NewServerNetwork("tcp", ln.Addr().String(), s.command, s.accept, s.closed)
	rs.SetIdleClose(s.srv.IdleTimeout())
	s.mu.Lock()
	if s.shut {
		s.mu.Unlock()
		return nil
	}
	s.servers = append(s.servers, rs)
	s.mu.Unlock()
	return rs.Serve(ln)
}

func (s *Server) accept(rc redcon.Conn) bool {
	nc := rc.NetConn()
	c := &conn{rc: rc, nc: nc, remote: nc.RemoteAddr().String(), local: nc.LocalAddr().String(),
		wake: make(chan struct{}, 1)}
	c.cl = s.srv.Connect(c)
	rc.SetContext(c)
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	if out := c.cl.Output(); len(out) > 0 {
		_, _ = nc.Write(out)
		c.cl.ResetOutput()
	}
	if c.cl.Closing() {
		s.release(c)
		return false
	}
	return true
}

// command executes one parsed command; redcon flushes the replies once per read batch.
func (s *Server) command(rc redcon.Conn, cmd redcon.Command) {
	c := rc.Context().(*conn)
	if c.gone {
		return
	}
	c.cl.Exec(cmd.Args)
	s.write(c)
	if c.cl.Blocked() {
		s.waitBlocked(c)
	}
	if c.cl.Closing() {
		rc.Close()
	}
}

// write hands the client's output to redcon's writer.
func (s *Server) write(c *conn) {
	if out := c.cl.Output(); len(out) > 0 {
		c.rc.WriteRaw(out)
		c.cl.ResetOutput()
	}
}

// waitBlocked holds the connection's goroutine while its client waits in a blocking command:
// redcon runs the rest of the pipeline after this handler returns, and those commands must
// wait, as in Redis. It flushes the replies so far, then resumes the client on every wake,
// and checks every 100 ms that the peer is still connected, so that a client gone away stops
// waiting instead of being served data nobody reads.
func (s *Server) waitBlocked(c *conn) {
	_ = redcon.BaseWriter(c.rc).Flush()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for c.cl.Blocked() {
		select {
		case <-c.wake:
			c.cl.Resume()
			s.write(c)
		case <-tick.C:
			if peerClosed(c.nc) {
				c.gone = true
				c.cl.Release()
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				_ = c.nc.Close()
				return
			}
		}
	}
}

func (s *Server) closed(rc redcon.Conn, err error) {
	if c, ok := rc.Context().(*conn); ok {
		s.release(c)
	}
}

func (s *Server) release(c *conn) {
	s.mu.Lock()
	_, ok := s.conns[c]
	delete(s.conns, c)
	if s.shut && len(s.conns) == 0 {
		s.once.Do(func() { close(s.done) })
	}
	s.mu.Unlock()
	if ok {
		c.cl.Release()
	}
}

// Shutdown stops accepting and closes every connection; redcon has no drain of its own, so a
// connection's batch in progress is cut short.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shut = true
	servers := s.servers
	n := len(s.conns)
	s.mu.Unlock()
	for _, rs := range servers {
		_ = rs.Close()
	}
	if n == 0 {
		return nil
	}
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
