package rpc

import (
	"fmt"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/resp"
)

// peerConn is a Conn with chosen addresses that records CLIENT KILL's Close.
type peerConn struct {
	remote, local string
	closed        atomic.Bool
}

func (p *peerConn) RemoteAddr() string { return p.remote }
func (p *peerConn) LocalAddr() string  { return p.local }
func (p *peerConn) Wake()              {}
func (p *peerConn) Close() error       { p.closed.Store(true); return nil }

// newConnServer returns an in-process server whose configuration is loaded from conf, in
// redis.conf syntax ("enable-debug-command yes\nrequirepass secret"), with opts's other
// fields.
func newConnServer(t *testing.T, conf string, opts Options) *Server {
	t.Helper()
	cfg := config.New()
	if err := cfg.LoadString(conf); err != nil {
		t.Fatal(err)
	}
	opts.Config = cfg
	if opts.LoopModel == "" {
		opts.LoopModel = "test"
	}
	srv, err := NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// connSession is one client of an in-process server, driven by a test.
type connSession struct {
	t    *testing.T
	c    *Client
	conn *peerConn
}

var nextTestPort atomic.Int32

// newConnSession connects a new client from a loopback address of its own.
func newConnSession(t *testing.T, srv *Server) *connSession {
	t.Helper()
	port := 40000 + nextTestPort.Add(1)
	conn := &peerConn{remote: "127.0.0.1:" + strconv.Itoa(int(port)), local: "127.0.0.1:6379"}
	return &connSession{t: t, c: srv.Connect(conn), conn: conn}
}

// respCommand encodes args as a RESP array.
func respCommand(args ...string) []byte {
	out := fmt.Appendf(nil, "*%d\r\n", len(args))
	for _, a := range args {
		out = fmt.Appendf(out, "$%d\r\n%s\r\n", len(a), a)
	}
	return out
}

// doAll runs one command and returns every reply it wrote (a push message and its reply
// are two).
func (s *connSession) doAll(args ...string) []resp.Value {
	s.t.Helper()
	in := respCommand(args...)
	if n := s.c.Process(in); n != len(in) {
		s.t.Fatalf("%q: Process consumed %d of %d bytes", args, n, len(in))
	}
	out := append([]byte(nil), s.c.Output()...)
	s.c.ResetOutput()
	var vals []resp.Value
	for len(out) > 0 {
		v, n, err := resp.ParseReply(out)
		if err != nil || n == 0 {
			s.t.Fatalf("%q: bad reply %q: %v", args, out, err)
		}
		vals = append(vals, v)
		out = out[n:]
	}
	return vals
}

// do runs one command and returns its single reply.
func (s *connSession) do(args ...string) resp.Value {
	s.t.Helper()
	vals := s.doAll(args...)
	if len(vals) != 1 {
		s.t.Fatalf("%q: %d replies, want 1", args, len(vals))
	}
	return vals[0]
}

// str runs one command and returns its reply rendered as redis-cli does.
func (s *connSession) str(args ...string) string {
	s.t.Helper()
	return s.do(args...).String()
}

// oracleConn is a connection to a real redis-server for oracle tests.
type oracleConn struct {
	t    *testing.T
	conn net.Conn
	buf  []byte
}

func dialOracle(t *testing.T, addr string) *oracleConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &oracleConn{t: t, conn: c}
}

func (r *oracleConn) do(args ...string) resp.Value {
	r.t.Helper()
	if _, err := r.conn.Write(respCommand(args...)); err != nil {
		r.t.Fatal(err)
	}
	_ = r.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	tmp := make([]byte, 64<<10)
	for {
		if len(r.buf) > 0 {
			v, n, err := resp.ParseReply(r.buf)
			if err != nil {
				r.t.Fatalf("bad reply from redis-server: %v", err)
			}
			if n > 0 {
				// Keep v valid: it aliases r.buf, which the next read appends to.
				v = deepCopyValue(v)
				r.buf = r.buf[n:]
				return v
			}
		}
		m, err := r.conn.Read(tmp)
		if err != nil {
			r.t.Fatalf("%q: %v", args, err)
		}
		r.buf = append(r.buf, tmp[:m]...)
	}
}

// deepCopyValue deep-copies v so that it no longer aliases a read buffer.
func deepCopyValue(v resp.Value) resp.Value {
	if v.Str != nil {
		v.Str = append([]byte(nil), v.Str...)
	}
	if v.Elems != nil {
		elems := make([]resp.Value, len(v.Elems))
		for i, e := range v.Elems {
			elems[i] = deepCopyValue(e)
		}
		v.Elems = elems
	}
	return v
}
