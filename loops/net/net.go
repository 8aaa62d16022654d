// Package net is kvrpcd's thread-per-connection model: one goroutine per connection on Go's
// net package, which parks it in the runtime's netpoller between reads. Each read batch is
// executed and its replies are written with one write.
package net

import (
	"context"
	"errors"
	gonet "net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kvrpcd/kvrpcd/rpc"
)

// readSize is the initial read buffer of a connection; it grows for large requests.
const readSize = 16 << 10

// Server serves an rpc.Server with one goroutine per connection.
type Server struct {
	srv *rpc.Server

	mu       sync.Mutex
	lns      []gonet.Listener
	conns    map[*conn]struct{}
	shutdown bool
	draining atomic.Bool
	wg       sync.WaitGroup
}

// New returns a Server for srv.
func New(srv *rpc.Server) *Server {
	return &Server{srv: srv, conns: make(map[*conn]struct{})}
}

// conn adapts a net.Conn to rpc.Conn.
type conn struct {
	gonet.Conn
	remote, local string
	woken         atomic.Bool // Wake was called; the reader interrupts its Read to serve it
}

// Wake implements rpc.Conn: it interrupts the connection's pending Read with a deadline in the
// past, and the connection's goroutine then resumes the client.
func (c *conn) Wake() {
	c.woken.Store(true)
	_ = c.SetReadDeadline(time.Now())
}

func (c *conn) RemoteAddr() string { return c.remote }
func (c *conn) LocalAddr() string  { return c.local }

// Serve accepts connections on ln until Shutdown. It may run for several listeners at once.
func (s *Server) Serve(ln gonet.Listener) error {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		return nil
	}
	s.lns = append(s.lns, ln)
	s.mu.Unlock()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			done := s.shutdown
			s.mu.Unlock()
			if done {
				return nil
			}
			var ne gonet.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, errTooManyFiles) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.srv.Logger().Warn("accept failed; retrying", "err", err, "backoff", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := &conn{Conn: nc, remote: nc.RemoteAddr().String(), local: nc.LocalAddr().String()}
		s.mu.Lock()
		if s.shutdown {
			s.mu.Unlock()
			nc.Close()
			return nil
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveConn(c)
	}
}

// serveConn runs one connection: read, execute, write, until either side closes.
func (s *Server) serveConn(c *conn) {
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.wg.Done()
	}()
	cl := s.srv.Connect(c)
	defer cl.Release()
	if !s.flush(c, cl) {
		return
	}
	buf := make([]byte, readSize)
	start, end := 0, 0
	for {
		idle := s.srv.IdleTimeout()
		if cl.Blocked() {
			idle = 0 // Redis does not time blocked clients out
		}
		var deadline time.Time
		switch {
		case s.draining.Load():
		case idle > 0:
			deadline = time.Now().Add(idle)
			_ = c.SetReadDeadline(deadline)
		default:
			_ = c.SetReadDeadline(time.Time{})
		}
		var n int
		var err error
		if !c.woken.Load() {
			n, err = c.Read(buf[end:])
			end += n
		}
		woken := c.woken.Swap(false)
		if woken && !s.draining.Load() {
			// A wake: resume the client, then go on with the input kept.
			cl.Resume()
			if !s.flush(c, cl) {
				return
			}
		}
		if isTimeout(err) && !s.draining.Load() && (deadline.IsZero() || time.Now().Before(deadline)) {
			// Not the idle timeout: a wake's deadline, or a late one from a wake already
			// served (Wake sets the flag before the deadline, so the flag can be consumed
			// first). Go on reading.
			err = nil
		}
		for start < end && !cl.Blocked() {
			used := cl.Process(buf[start:end])
			start += used
			if !s.flush(c, cl) {
				return
			}
			if used == 0 {
				break
			}
		}
		if err != nil {
			return
		}
		switch {
		case start == end:
			start, end = 0, 0
		case end == len(buf) && start > 0:
			end = copy(buf, buf[start:end])
			start = 0
		case end == len(buf):
			buf = append(buf, make([]byte, len(buf))...)
		}
	}
}

// isTimeout reports whether err is a read deadline's expiry.
func isTimeout(err error) bool {
	var ne gonet.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// flush writes the client's pending output and reports whether the connection stays open.
func (s *Server) flush(c *conn, cl *rpc.Client) bool {
	if out := cl.Output(); len(out) > 0 {
		_, err := c.Write(out)
		cl.ResetOutput()
		if err != nil {
			return false
		}
	}
	return !cl.Closing()
}

// Shutdown stops accepting and closes idle connections: a connection that is executing a
// batch finishes it and writes its replies first.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	s.draining.Store(true)
	for _, ln := range s.lns {
		ln.Close()
	}
	for c := range s.conns {
		_ = c.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		<-done
		return ctx.Err()
	}
}
