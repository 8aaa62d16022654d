//go:build linux

package reactor

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/kvrpcd/kvrpcd/rpc"
)

const (
	// readBufSize is the size of each loop's shared read buffer.
	readBufSize = 64 << 10
	// PauseAt is the queued output at which a connection stops being read until its client
	// catches up: a client that does not read its replies cannot grow the server's memory.
	PauseAt = 1 << 20
	// maxIovecs bounds one writev.
	maxIovecs = 512
	// tick is how often a loop wakes without events, to close idle connections.
	tick = time.Second
)

// Server runs N event loops over one command layer.
type Server struct {
	srv   *rpc.Server
	loops []*Loop
	rr    int // next loop for an accepted connection; used by loop 0 only

	draining  atomic.Bool
	open      atomic.Int64 // connections not yet closed, across loops
	drained   chan struct{}
	closeOnce sync.Once

	mu        sync.Mutex
	started   bool
	listeners []*listener
	stopped   chan struct{} // closed when every loop has exited
	loopsWG   sync.WaitGroup
}

// listener is a listening socket served by loop 0.
type listener struct {
	ln net.Listener
	fd int // our dup of ln's descriptor
}

// New returns a reactor with n loops (0: one per GOMAXPROCS) serving srv.
func New(srv *rpc.Server, n int) (*Server, error) {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	s := &Server{srv: srv, drained: make(chan struct{}), stopped: make(chan struct{})}
	for i := range n {
		l, err := newLoop(s, i)
		if err != nil {
			for _, l := range s.loops {
				l.closeFDs()
			}
			return nil, err
		}
		s.loops = append(s.loops, l)
	}
	srv.SetLoopStats(s.stats)
	return s, nil
}

func (s *Server) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return
	}
	s.started = true
	for _, l := range s.loops {
		s.loopsWG.Add(1)
		go l.run()
	}
	go func() { s.loopsWG.Wait(); close(s.stopped) }()
}

// Serve accepts connections on ln (a TCP listener) until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	sc, ok := ln.(syscall.Conn)
	if !ok {
		return fmt.Errorf("reactor: listener %T has no file descriptor", ln)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	fd := -1
	var dupErr error
	if err := rc.Control(func(sysfd uintptr) { fd, dupErr = unix.Dup(int(sysfd)) }); err != nil {
		return err
	}
	if dupErr != nil {
		return dupErr
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return err
	}
	if s.draining.Load() {
		unix.Close(fd)
		return nil
	}
	s.start()
	lis := &listener{ln: ln, fd: fd}
	s.mu.Lock()
	s.listeners = append(s.listeners, lis)
	s.mu.Unlock()
	acceptor := s.loops[0]
	acceptor.Submit(func() {
		acceptor.listeners[fd] = lis
		if err := acceptor.ctl(unix.EPOLL_CTL_ADD, fd, unix.EPOLLIN); err != nil {
			s.srv.Logger().Error("reactor: cannot watch listener", "err", err)
		}
	})
	<-s.stopped
	return nil
}

// Shutdown stops accepting, writes what each connection has queued, closes the connections
// and stops the loops. Connections still open when ctx is done are closed at once.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	if s.open.Load() == 0 {
		s.closeOnce.Do(func() { close(s.drained) })
	}
	s.mu.Lock()
	started := s.started
	lis := s.listeners
	s.mu.Unlock()
	if !started {
		for _, l := range s.loops {
			l.closeFDs()
		}
		return nil
	}
	acceptor := s.loops[0]
	acceptor.Submit(func() {
		for _, li := range lis {
			delete(acceptor.listeners, li.fd)
			unix.Close(li.fd)
			li.ln.Close()
		}
	})
	for _, l := range s.loops {
		l.Submit(l.drain)
	}
	var err error
	select {
	case <-s.drained:
	case <-ctx.Done():
		err = ctx.Err()
		for _, l := range s.loops {
			l.Submit(l.closeAll)
		}
	}
	for _, l := range s.loops {
		l.Submit(l.stop)
	}
	<-s.stopped
	return err
}

// connClosed counts a closed connection and finishes a drain with the last one.
func (s *Server) connClosed() {
	if s.open.Add(-1) == 0 && s.draining.Load() {
		s.closeOnce.Do(func() { close(s.drained) })
	}
}

// stats reports each loop's figures for INFO.
func (s *Server) stats() []rpc.LoopStats {
	out := make([]rpc.LoopStats, len(s.loops))
	for i, l := range s.loops {
		out[i] = rpc.LoopStats{
			Connections:     l.nconns.Load(),
			Iterations:      l.iterations.Load(),
			IterationMaxUs:  l.iterMaxNs.Load() / 1000,
			IterationBusyUs: l.busyNs.Load() / 1000,
			Queued:          l.queued.Load(),
		}
	}
	return out
}

// Loop is one event loop: an epoll set, its connections and a task queue.
type Loop struct {
	s     *Server
	idx   int
	epfd  int
	efd   int // eventfd for wake-ups
	buf   []byte
	conns []*conn // by descriptor

	listeners map[int]*listener

	mu          sync.Mutex
	tasks       []func()
	spare       []func()
	wakePending atomic.Bool
	quit        bool

	now        time.Time
	nconns     atomic.Int64
	iterations atomic.Int64
	iterMaxNs  atomic.Int64
	busyNs     atomic.Int64
	queued     atomic.Int64 // bytes in the connections' output queues
}

func newLoop(s *Server, idx int) (*Loop, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("reactor: epoll_create1: %w", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("reactor: eventfd: %w", err)
	}
	l := &Loop{s: s, idx: idx, epfd: epfd, efd: efd, buf: make([]byte, readBufSize),
		listeners: make(map[int]*listener)}
	if err := l.ctl(unix.EPOLL_CTL_ADD, efd, unix.EPOLLIN); err != nil {
		l.closeFDs()
		return nil, err
	}
	return l, nil
}

func (l *Loop) closeFDs() {
	unix.Close(l.efd)
	unix.Close(l.epfd)
}

// ctl changes the epoll registration of fd.
func (l *Loop) ctl(op, fd int, events uint32) error {
	ev := unix.EpollEvent{Events: events, Fd: int32(fd)}
	for {
		err := unix.EpollCtl(l.epfd, op, fd, &ev)
		if err != unix.EINTR {
			return err
		}
	}
}

// Submit runs fn on the loop, serialised with its callbacks. It may be called from any
// goroutine; wake-ups are coalesced into one eventfd write per batch.
func (l *Loop) Submit(fn func()) {
	l.mu.Lock()
	l.tasks = append(l.tasks, fn)
	l.mu.Unlock()
	if l.wakePending.CompareAndSwap(false, true) {
		var one = [8]byte{1}
		for {
			_, err := unix.Write(l.efd, one[:])
			if err != unix.EINTR {
				break
			}
		}
	}
}

func (l *Loop) runTasks() {
	var b [8]byte
	for {
		_, err := unix.Read(l.efd, b[:])
		if err != unix.EINTR {
			break
		}
	}
	l.wakePending.Store(false)
	l.mu.Lock()
	tasks := l.tasks
	l.tasks = l.spare[:0]
	l.mu.Unlock()
	for i, fn := range tasks {
		fn()
		tasks[i] = nil
	}
	l.spare = tasks[:0]
}

func (l *Loop) stop() { l.quit = true }

// run is the loop: wait for events, serve them, repeat.
func (l *Loop) run() {
	defer l.s.loopsWG.Done()
	defer l.closeFDs()
	events := make([]unix.EpollEvent, 256)
	lastTick := time.Now()
	for !l.quit {
		n, err := unix.EpollWait(l.epfd, events, int(tick/time.Millisecond))
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			l.s.srv.Logger().Error("reactor: epoll_wait failed", "loop", l.idx, "err", err)
			return
		}
		l.now = time.Now()
		for i := range n {
			ev := &events[i]
			fd := int(ev.Fd)
			switch {
			case fd == l.efd:
				l.runTasks()
			case l.listeners[fd] != nil:
				l.accept(fd)
			default:
				if fd >= len(l.conns) || l.conns[fd] == nil {
					continue
				}
				c := l.conns[fd]
				if ev.Events&unix.EPOLLOUT != 0 {
					if !l.writeQueued(c) {
						continue
					}
				}
				if ev.Events&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) != 0 && !c.paused {
					l.read(c)
				}
			}
		}
		if l.now.Sub(lastTick) >= tick {
			lastTick = l.now
			l.sweep()
		}
		if n > 0 {
			busy := time.Since(l.now).Nanoseconds()
			l.iterations.Add(1)
			l.busyNs.Add(busy)
			if busy > l.iterMaxNs.Load() {
				l.iterMaxNs.Store(busy)
			}
		}
	}
	l.closeAll()
}

// accept takes every pending connection of a listener and hands them to the loops in turn.
func (l *Loop) accept(lfd int) {
	for range 256 {
		nfd, sa, err := unix.Accept4(lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err != nil {
			switch err {
			case unix.EINTR, unix.ECONNABORTED:
				continue
			case unix.EAGAIN:
				return
			case unix.EMFILE, unix.ENFILE:
				// Stop watching the listener for a moment, or level-triggered epoll spins.
				l.s.srv.Logger().Warn("reactor: accept: out of file descriptors", "err", err)
				_ = l.ctl(unix.EPOLL_CTL_DEL, lfd, 0)
				time.AfterFunc(100*time.Millisecond, func() {
					l.Submit(func() {
						if l.listeners[lfd] != nil {
							_ = l.ctl(unix.EPOLL_CTL_ADD, lfd, unix.EPOLLIN)
						}
					})
				})
				return
			default:
				l.s.srv.Logger().Error("reactor: accept failed", "err", err)
				return
			}
		}
		_ = unix.SetsockoptInt(nfd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		remote := sockaddrString(sa)
		local := ""
		if lsa, err := unix.Getsockname(nfd); err == nil {
			local = sockaddrString(lsa)
		}
		target := l.s.loops[l.s.rr%len(l.s.loops)]
		l.s.rr++
		l.s.open.Add(1)
		if target == l {
			l.register(nfd, remote, local)
		} else {
			target.Submit(func() { target.register(nfd, remote, local) })
		}
	}
}

func sockaddrString(sa unix.Sockaddr) string {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), fmt.Sprint(a.Port))
	case *unix.SockaddrInet6:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), fmt.Sprint(a.Port))
	case *unix.SockaddrUnix:
		return a.Name
	}
	return ""
}

// register adopts an accepted connection.
func (l *Loop) register(fd int, remote, local string) {
	if l.s.draining.Load() {
		unix.Close(fd)
		l.s.connClosed()
		return
	}
	c := &conn{loop: l, fd: fd, remote: remote, local: local, lastRead: l.now}
	for fd >= len(l.conns) {
		l.conns = append(l.conns, make([]*conn, len(l.conns)+64)...)
	}
	l.conns[fd] = c
	l.nconns.Add(1)
	if err := l.ctl(unix.EPOLL_CTL_ADD, fd, unix.EPOLLIN); err != nil {
		l.s.srv.Logger().Error("reactor: cannot watch connection", "err", err)
		l.close(c)
		return
	}
	c.cl = l.s.srv.Connect(c)
	l.flush(c)
}

// sweep closes idle connections and enforces the output limits' soft seconds.
func (l *Loop) sweep() {
	idle := l.s.srv.IdleTimeout()
	for _, c := range l.conns {
		if c == nil {
			continue
		}
		if idle > 0 && l.now.Sub(c.lastRead) > idle && c.queued == 0 && !c.cl.Blocked() {
			l.close(c)
		}
	}
}

// drain closes every connection once its queued output is written.
func (l *Loop) drain() {
	for _, c := range l.conns {
		if c == nil {
			continue
		}
		if c.queued == 0 {
			l.close(c)
		} else {
			c.closeAfterWrite = true
			l.pause(c)
		}
	}
}

func (l *Loop) closeAll() {
	for _, c := range l.conns {
		if c != nil {
			l.close(c)
		}
	}
}
