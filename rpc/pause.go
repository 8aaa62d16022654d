package rpc

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// CLIENT PAUSE suspends clients without holding up a loop, the way blocking commands wait: a
// client whose next command is paused keeps a copy of it (and the loop keeps the rest of its
// input, since the client reports [Client.Blocked]), and joins the pause's waiting list. When
// the pause ends (its timer, CLIENT UNPAUSE) or becomes less strict (ALL to WRITE), every
// waiting client is woken through [Conn.Wake] and its [Client.Resume] dispatches the kept
// command again: it runs, or waits once more under the new pause. As in Redis, the pause is
// checked after authentication and the pub/sub context, before MULTI queueing, so a queued
// write waits too.
//
// Redis also stops expiring keys during a pause. kvrpcd stops its active expiry; a read of
// an expired key answers as if the key were gone, as Redis's does, but the store deletes
// such a key at that read where Redis keeps it until the pause ends.

// Pause kinds, in increasing strictness (pauseState.kind).
const (
	pauseOff int32 = iota
	pauseWrite
	pauseAll
)

// pauseState is the server's client pause.
type pauseState struct {
	kind atomic.Int32 // pauseOff, pauseWrite or pauseAll; read on the hot path

	mu      sync.Mutex
	end     int64 // unix ms at which the pause ends
	timer   *time.Timer
	waiting []*Client // clients whose command waits for the pause to end or ease

	postponed    atomic.Int64 // clients waiting, counted by INFO's blocked_clients
	expireWanted atomic.Bool  // active expiry as DEBUG SET-ACTIVE-EXPIRE left it
	expireSet    atomic.Bool  // expireWanted has been set (it starts on)
}

// mayReplicate names the commands that are not writes but that Redis flags as possibly
// replicating something, so a WRITE pause stops them too.
func mayReplicate(cmd *Command) bool {
	switch cmd.Name {
	case "publish", "spublish", "pfcount", "eval", "evalsha", "fcall":
		return true
	}
	return false
}

// pausedBy reports whether the current pause stops cmd for this client.
func (c *Client) pausedBy(cmd *Command) bool {
	switch c.srv.pause.kind.Load() {
	case pauseAll:
		return true
	case pauseWrite:
		if cmd.Flags&Write != 0 || mayReplicate(cmd) {
			return true
		}
		if cmd.Name == "exec" && c.multi {
			for _, q := range c.queued {
				if q.cmd.Flags&Write != 0 || mayReplicate(q.cmd) {
					return true
				}
			}
		}
	}
	return false
}

// pauseGate postpones cmd if the pause applies to it, and reports whether it did. The caller
// has seen a pause in force (one atomic load on the hot path).
func (c *Client) pauseGate(cmd *Command, args [][]byte) bool {
	s := c.srv
	s.pause.mu.Lock()
	defer s.pause.mu.Unlock()
	if !c.pausedBy(cmd) {
		return false // the pause ended meanwhile
	}
	kept := make([][]byte, len(args))
	for i, a := range args {
		kept[i] = append([]byte(nil), a...)
	}
	c.postponed = kept
	c.isPostponed.Store(true)
	c.argvMem.Store(argsBytes(kept))
	c.pauseReleased.Store(false)
	s.pause.waiting = append(s.pause.waiting, c)
	s.pause.postponed.Add(1)
	if c.lastCmd.Load() != cmd {
		c.lastCmd.Store(cmd) // CLIENT LIST shows the command the client waits in, as Redis
	}
	return true
}

// resumePostponed dispatches the command a paused client kept, once the pause that stopped
// it has ended or eased. It runs on the client's goroutine, from Resume.
func (c *Client) resumePostponed() {
	if !c.pauseReleased.Load() {
		return // woken for something else (a pub/sub message)
	}
	args := c.postponed
	c.postponed = nil
	c.isPostponed.Store(false)
	c.argvMem.Store(0)
	c.dispatch(args)
}

// leavePause takes a departing client off the waiting list.
func (c *Client) leavePause() {
	if c.postponed == nil {
		return
	}
	p := &c.srv.pause
	p.mu.Lock()
	for i, w := range p.waiting {
		if w == c {
			p.waiting = append(p.waiting[:i], p.waiting[i+1:]...)
			p.postponed.Add(-1)
			break
		}
	}
	p.mu.Unlock()
	c.postponed = nil
	c.isPostponed.Store(false)
}

// releaseWaiting wakes every waiting client; the caller holds p.mu. Clients still paused by
// a pause in force wait again.
func (s *Server) releaseWaiting() {
	p := &s.pause
	for _, w := range p.waiting {
		w.pauseReleased.Store(true)
		p.postponed.Add(-1)
		w.wake()
	}
	clear(p.waiting)
	p.waiting = p.waiting[:0]
}

// pauseClients starts or extends a pause of kind until end (unix ms), as Redis's
// pauseClients: the latest kind replaces the former, the end is the later of the two. A
// pause that eases wakes the waiting clients.
func (s *Server) pauseClients(kind int32, end int64) {
	p := &s.pause
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now().UnixMilli()
	if p.kind.Load() == pauseOff || p.end < end {
		p.end = end
	}
	if p.end <= now {
		s.endPauseLocked()
		return
	}
	old := p.kind.Swap(kind)
	if old == pauseOff {
		s.store.SetActiveExpire(false)
	}
	if kind < old {
		s.releaseWaiting()
	}
	wait := time.Duration(p.end-now) * time.Millisecond
	if p.timer == nil {
		p.timer = time.AfterFunc(wait, s.pauseTimer)
	} else {
		p.timer.Reset(wait)
	}
}

// pauseTimer ends the pause when its end time has come.
func (s *Server) pauseTimer() {
	p := &s.pause
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.kind.Load() == pauseOff {
		return
	}
	if now := time.Now().UnixMilli(); now < p.end {
		p.timer.Reset(time.Duration(p.end-now) * time.Millisecond)
		return
	}
	s.endPauseLocked()
}

// unpauseClients ends the pause at once (CLIENT UNPAUSE).
func (s *Server) unpauseClients() {
	s.pause.mu.Lock()
	s.endPauseLocked()
	s.pause.mu.Unlock()
}

// endPauseLocked ends the pause and wakes every waiting client; the caller holds mu.
func (s *Server) endPauseLocked() {
	p := &s.pause
	if p.timer != nil {
		p.timer.Stop()
	}
	p.end = 0
	if p.kind.Swap(pauseOff) != pauseOff {
		s.store.SetActiveExpire(!p.expireSet.Load() || p.expireWanted.Load())
	}
	s.releaseWaiting()
}

// setActiveExpire records DEBUG SET-ACTIVE-EXPIRE's choice and applies it unless a pause
// holds expiry off; the end of the pause applies it then.
func (s *Server) setActiveExpire(on bool) {
	p := &s.pause
	p.mu.Lock()
	p.expireWanted.Store(on)
	p.expireSet.Store(true)
	if p.kind.Load() == pauseOff {
		s.store.SetActiveExpire(on)
	}
	p.mu.Unlock()
}

// pausedClients returns how many clients wait for a pause to end (INFO blocked_clients
// counts them, as Redis does).
func (s *Server) pausedClients() int64 { return s.pause.postponed.Load() }

// clientPause: CLIENT PAUSE timeout [WRITE|ALL]. The mode is checked before the timeout, as
// in Redis; a timeout that overflows the clock ends at once, as Redis's arithmetic makes it.
func clientPause(c *Client, args [][]byte) {
	if len(args) > 4 {
		c.Error(subcommandSyntax(args))
		return
	}
	kind := pauseAll
	if len(args) == 4 {
		switch {
		case is(args[3], "write"):
			kind = pauseWrite
		case is(args[3], "all"):
		default:
			c.Error("ERR CLIENT PAUSE mode must be WRITE or ALL")
			return
		}
	}
	ms, err := parseInt(args[2])
	if err != nil {
		c.Error("ERR timeout is not an integer or out of range")
		return
	}
	if ms < 0 {
		c.Error("ERR timeout is negative")
		return
	}
	end := int64(0)
	if now := time.Now().UnixMilli(); ms > 0 && ms <= math.MaxInt64-now {
		end = now + ms
	}
	c.srv.pauseClients(kind, end)
	c.w.Raw(replyOK)
}

func clientUnpause(c *Client, _ [][]byte) {
	c.srv.unpauseClients()
	c.w.Raw(replyOK)
}
