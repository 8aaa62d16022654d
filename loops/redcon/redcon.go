// Package redcon serves kvrpcd's command layer with github.com/tidwall/redcon, a well-known
// goroutine-per-connection RESP server: the baseline that the other models are measured
// against. Redcon reads and parses the protocol itself and calls kvrpcd's dispatch for each
// command, so what differs from the net model is redcon's I/O and parser.
//
// Redcon's parser answers malformed input with its own messages and does not enforce
// proto-max-bulk-len or the unauthenticated request limits; every other reply is kvrpcd's.
//
// Redcon owns each connection's goroutine, so wake-ups (a blocked command that may be
// served, pub/sub messages) are served by a second goroutine per connection; a mutex keeps
// the two from driving the client at the same time.
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
	nc     net.Conn
	remote string
	local  string

	mu        sync.Mutex // held while the client is driven
	cl        *rpc.Client
	released  bool          // the client is gone; guarded by mu
	wake      chan struct{} // Wake's signal to the delivery goroutine
	unblocked chan struct{} // the delivery goroutine's signal that a blocked command was served
	closed    chan struct{} // closed on release: the delivery goroutine ends
}

func (c *conn) RemoteAddr() string { return c.remote }
func (c *conn) LocalAddr() string  { return c.local }

// Close closes the socket; redcon's reader then ends the connection. Safe from any goroutine.
func (c *conn) Close() error { return c.nc.Close() }

// Wake implements rpc.Conn.
func (c *conn) Wake() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

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
		wake: make(chan struct{}, 1), unblocked: make(chan struct{}, 1), closed: make(chan struct{})}
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
	go s.deliver(c)
	return true
}

// command executes one parsed command; redcon flushes the replies once per read batch.
func (s *Server) command(rc redcon.Conn, cmd redcon.Command) {
	c := rc.Context().(*conn)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.released {
		return
	}
	c.cl.Exec(cmd.Args)
	if out := c.cl.Output(); len(out) > 0 {
		rc.WriteRaw(out)
		c.cl.ResetOutput()
	}
	if c.cl.Blocked() || c.cl.Subscribed() {
		// Later output comes from the delivery goroutine, straight to the socket: what redcon
		// holds must go first.
		_ = redcon.BaseWriter(rc).Flush()
	}
	if c.cl.Blocked() {
		s.waitBlocked(c)
	}
	if !c.released && c.cl.Closing() {
		rc.Close()
	}
}

// waitBlocked holds the connection's goroutine, with c.mu released, while its client waits in
// a blocking command: redcon runs the rest of the pipeline after this handler returns, and
// those commands must wait, as in Redis. Every 100 ms it checks that the peer is still
// connected, so that a client gone away stops waiting instead of being served data nobody
// reads.
func (s *Server) waitBlocked(c *conn) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !c.released && c.cl.Blocked() {
		c.mu.Unlock()
		select {
		case <-c.unblocked:
		case <-tick.C:
			if peerClosed(c.nc) {
				c.mu.Lock()
				s.release(c)
				_ = c.nc.Close()
				return
			}
		}
		c.mu.Lock()
	}
}

// deliver serves the connection's wake-ups: it resumes the client and writes what that
// produced (a served blocked command, pub/sub messages) straight to the socket.
func (s *Server) deliver(c *conn) {
	for {
		select {
		case <-c.closed:
			return
		case <-c.wake:
		}
		c.mu.Lock()
		if c.released {
			c.mu.Unlock()
			return
		}
		wasBlocked := c.cl.Blocked()
		c.cl.Resume()
		if out := c.cl.Output(); len(out) > 0 {
			_, _ = c.nc.Write(out)
			c.cl.ResetOutput()
		}
		if wasBlocked && !c.cl.Blocked() {
			select {
			case c.unblocked <- struct{}{}:
			default:
			}
		}
		if c.cl.Closing() {
			_ = c.nc.Close()
		}
		c.mu.Unlock()
	}
}

func (s *Server) closed(rc redcon.Conn, err error) {
	if c, ok := rc.Context().(*conn); ok {
		c.mu.Lock()
		s.release(c)
		c.mu.Unlock()
	}
}

// release lets the client go, once; the caller holds c.mu.
func (s *Server) release(c *conn) {
	if c.released {
		return
	}
	c.released = true
	close(c.closed)
	c.cl.Release()
	s.mu.Lock()
	delete(s.conns, c)
	if s.shut && len(s.conns) == 0 {
		s.once.Do(func() { close(s.done) })
	}
	s.mu.Unlock()
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
