// Package reactor is kvrpcd's event-loop model: its own epoll loops (one per core by default)
// over non-blocking sockets, in the manner of the single-process asynchronous servers.
//
// # Loops
//
// Each loop is one goroutine that owns an epoll set, a shared 64 KiB read buffer and the
// connections assigned to it; every callback of a connection runs on its loop, so a
// connection's client is never driven concurrently. Loop 0 also accepts, and hands each new
// connection to the loops in turn (round-robin). Epoll is level-triggered.
//
// # Reading and writing
//
// A readable connection is read into the loop's buffer and its complete commands are executed
// in place; only an incomplete tail is copied into a buffer of the connection's own. Replies are
// written straight after each batch; only when the socket would block is the rest queued and
// EPOLLOUT armed, and the queue is written with writev. While a connection has more than
// [PauseAt] bytes queued, or more than the soft limit of client-output-buffer-limit (class
// normal), its loop stops reading from it (backpressure); a connection over the hard limit is
// closed.
//
// # Wake-ups
//
// Other goroutines hand work to a loop through a queue and an eventfd ([Loop.Submit]); a
// coalescing flag keeps it to one eventfd write per batch of tasks.
//
// The reactor is Linux-only; elsewhere [New] returns an error and kvrpcd uses the net model.
package reactor
