//go:build linux

package reactor

import (
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/kvrpcd/kvrpcd/rpc"
)

// conn is one connection, owned by its loop: only the loop touches its fields, except
// closeReq, which Close sets from any goroutine.
type conn struct {
	loop          *Loop
	fd            int
	cl            *rpc.Client
	remote, local string

	in              []byte       // an incomplete command kept between reads
	out             [][]byte     // output the socket did not take yet
	queued          int          // bytes in out
	shownQueued     atomic.Int64 // queued, for CLIENT LIST on other goroutines
	writing         bool         // EPOLLOUT armed
	paused          bool         // not reading: too much output queued, or closing
	closeAfterWrite bool
	closed          bool
	lastRead        time.Time

	closeReq atomic.Bool
}

// RemoteAddr implements rpc.Conn.
func (c *conn) RemoteAddr() string { return c.remote }

// QueuedOutput implements rpc.OutputQueue: the output the socket has not taken yet.
func (c *conn) QueuedOutput() int64 { return c.shownQueued.Load() }

// LocalAddr implements rpc.Conn.
func (c *conn) LocalAddr() string { return c.local }

// Close implements rpc.Conn: it asks the loop to close the connection (CLIENT KILL).
func (c *conn) Close() error {
	if c.closeReq.CompareAndSwap(false, true) {
		c.loop.Submit(func() { c.loop.close(c) })
	}
	return nil
}

// Wake implements rpc.Conn: the loop resumes the client (a blocked command may be served).
func (c *conn) Wake() {
	c.loop.Submit(func() { c.loop.wakeUp(c) })
}

// wakeUp serves a wake-up: the client retries its blocked command or times out, its output
// is written, and the input kept while it was blocked is executed.
func (l *Loop) wakeUp(c *conn) {
	if c.closed || c.cl == nil {
		return
	}
	c.cl.Resume()
	if !l.flush(c) || c.cl.Blocked() || c.paused || len(c.in) == 0 {
		return
	}
	if rest, ok := l.process(c, c.in); ok {
		l.keep(c, rest)
	}
}

// read reads what the socket has and executes the complete commands.
func (l *Loop) read(c *conn) {
	n, err := readRetry(c.fd, l.buf)
	if err == unix.EAGAIN {
		return
	}
	if n <= 0 || err != nil {
		l.close(c)
		return
	}
	c.lastRead = l.now
	data := l.buf[:n]
	if len(c.in) > 0 {
		c.in = append(c.in, data...)
		data = c.in
	}
	rest, ok := l.process(c, data)
	if !ok {
		return
	}
	l.keep(c, rest)
}

// keep saves an unexecuted tail of input, which aliases either the loop's buffer or c.in.
func (l *Loop) keep(c *conn, rest []byte) {
	if len(rest) == 0 {
		if cap(c.in) > 4*readBufSize {
			c.in = nil
		} else {
			c.in = c.in[:0]
		}
		return
	}
	if len(c.in) > 0 && &rest[len(rest)-1] == &c.in[len(c.in)-1] {
		c.in = c.in[:copy(c.in, rest)]
		return
	}
	c.in = append(c.in[:0], rest...)
}

// process executes the complete commands in data and writes their replies. It returns the
// unexecuted rest, and false when the connection was closed or is closing.
func (l *Loop) process(c *conn, data []byte) ([]byte, bool) {
	for len(data) > 0 && !c.paused {
		used := c.cl.Process(data)
		data = data[used:]
		if !l.flush(c) {
			return nil, false
		}
		if used == 0 {
			break
		}
	}
	return data, true
}

// flush writes the client's output, queueing what the socket does not take. It returns false
// when the connection is closed or closing.
func (l *Loop) flush(c *conn) bool {
	if c.closed {
		return false
	}
	out := c.cl.Output()
	if len(out) > 0 {
		if c.queued == 0 {
			n, err := writeRetry(c.fd, out)
			if err != nil && err != unix.EAGAIN {
				c.cl.ResetOutput()
				l.close(c)
				return false
			}
			out = out[max(n, 0):]
		}
		if len(out) > 0 {
			c.out = append(c.out, append([]byte(nil), out...))
			c.queued += len(out)
			c.shownQueued.Store(int64(c.queued))
			l.queued.Add(int64(len(out)))
			if !c.writing {
				c.writing = true
				l.watch(c)
			}
		}
		c.cl.ResetOutput()
		if hard := c.cl.OutputLimit(); hard > 0 && int64(c.queued) > hard {
			l.close(c)
			return false
		}
		if pauseAt := l.s.srv.OutputSoftLimit(); c.queued > PauseAt || pauseAt > 0 && int64(c.queued) > pauseAt {
			l.pause(c)
		}
	}
	if c.cl.Closing() {
		if c.queued == 0 {
			l.close(c)
		} else {
			c.closeAfterWrite = true
			l.pause(c)
		}
		return false
	}
	return true
}

// writeQueued writes queued output when the socket is writable again. It returns false when
// the connection was closed.
func (l *Loop) writeQueued(c *conn) bool {
	for c.queued > 0 {
		iov := c.out
		if len(iov) > maxIovecs {
			iov = iov[:maxIovecs]
		}
		n, err := writevRetry(c.fd, iov)
		if err == unix.EAGAIN {
			return true
		}
		if err != nil {
			l.close(c)
			return false
		}
		c.queued -= n
		c.shownQueued.Store(int64(c.queued))
		l.queued.Add(int64(-n))
		for n > 0 {
			if n >= len(c.out[0]) {
				n -= len(c.out[0])
				c.out[0] = nil
				c.out = c.out[1:]
			} else {
				c.out[0] = c.out[0][n:]
				n = 0
			}
		}
	}
	c.out = nil
	c.writing = false
	if c.closeAfterWrite {
		l.close(c)
		return false
	}
	l.watch(c)
	if c.paused {
		l.resume(c)
	}
	return !c.closed
}

// watch sets the epoll events for c's state.
func (l *Loop) watch(c *conn) {
	var ev uint32
	if !c.paused {
		ev |= unix.EPOLLIN
	}
	if c.writing {
		ev |= unix.EPOLLOUT
	}
	_ = l.ctl(unix.EPOLL_CTL_MOD, c.fd, ev)
}

func (l *Loop) pause(c *conn) {
	if !c.paused {
		c.paused = true
		l.watch(c)
	}
}

// resume reads again from a paused connection, first executing the input it kept.
func (l *Loop) resume(c *conn) {
	c.paused = false
	l.watch(c)
	if len(c.in) > 0 {
		rest, ok := l.process(c, c.in)
		if ok {
			l.keep(c, rest)
		}
	}
}

// close closes the connection and releases its client.
func (l *Loop) close(c *conn) {
	if c.closed {
		return
	}
	c.closed = true
	unix.Close(c.fd)
	if l.conns[c.fd] == c {
		l.conns[c.fd] = nil
	}
	c.in, c.out = nil, nil
	l.queued.Add(int64(-c.queued))
	c.queued = 0
	c.shownQueued.Store(0)
	l.nconns.Add(-1)
	if c.cl != nil {
		c.cl.Release()
	}
	l.s.connClosed()
}

// The sockets are non-blocking, so read and write never wait: they go through RawSyscall,
// which skips the scheduler's entersyscall/exitsyscall bookkeeping of a call that may block.

func rawRead(fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func rawWrite(fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func readRetry(fd int, b []byte) (int, error) {
	for {
		n, err := rawRead(fd, b)
		if err != unix.EINTR {
			return n, err
		}
	}
}

func writeRetry(fd int, b []byte) (int, error) {
	written := 0
	for written < len(b) {
		n, err := rawWrite(fd, b[written:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return written, err
		}
		written += n
	}
	return written, nil
}

func writevRetry(fd int, iov [][]byte) (int, error) {
	for {
		n, err := unix.Writev(fd, iov)
		if err != unix.EINTR {
			return n, err
		}
	}
}
