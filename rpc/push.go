package rpc

import "sync"

// Out-of-band output: messages that other goroutines address to a client (pub/sub messages,
// client-tracking invalidations, MONITOR lines). A producer appends a pre-encoded message to the
// client's push buffer with [Client.push] and wakes the client's loop; the loop's next
// [Client.Resume] moves the buffer into the client's output, on the client's own goroutine,
// so replies and messages never interleave inside a reply.

// pushBuffer is a client's queue of out-of-band output.
type pushBuffer struct {
	mu  sync.Mutex
	buf []byte
}

// push queues msg, encoded for the client's protocol, and wakes its loop. A client whose
// queue passes limit (bytes; 0 for none: the caller passes its class's limit) is
// disconnected, as Redis does with client-output-buffer-limit, so a slow subscriber or
// monitor cannot grow the server's memory.
func (c *Client) push(msg []byte, limit int64) {
	c.pushes.mu.Lock()
	over := limit > 0 && int64(len(c.pushes.buf)+len(msg)) > limit
	if !over {
		c.pushes.buf = append(c.pushes.buf, msg...)
	}
	c.pushes.mu.Unlock()
	if over {
		class := "normal" // monitors and RESP3 tracking clients, as Redis's getClientType
		if c.Subscribed() {
			class = "pubsub"
		}
		c.srv.log.Warn("client closed for overcoming of output buffer limits", "id", c.id, "class", class)
		c.kill()
		return
	}
	c.conn.Wake()
}

// drainPushes moves the queued out-of-band output into the client's output.
func (c *Client) drainPushes() {
	c.pushes.mu.Lock()
	if len(c.pushes.buf) > 0 {
		c.w.Buf = append(c.w.Buf, c.pushes.buf...)
		if cap(c.pushes.buf) > 4*flushThreshold {
			c.pushes.buf = nil
		} else {
			c.pushes.buf = c.pushes.buf[:0]
		}
	}
	c.pushes.mu.Unlock()
}

// Subscribed reports whether the client has pub/sub subscriptions, so that messages may
// arrive for it at any time. Loops that buffer replies across commands flush them for such
// a client after every command.
func (c *Client) Subscribed() bool { return c.subscriptions.Load() > 0 }
