package rpc

import (
	"strconv"

	"github.com/kvrpcd/kvrpcd/config"
)

// Keyspace notifications (notify-keyspace-events), as Redis's notify.c: an event of an
// enabled class is published on two ordinary pub/sub channels, __keyspace@<db>__:<key> with
// the event as payload (class K) and __keyevent@<db>__:<event> with the key as payload
// (class E). The 'e' class (evicted) is accepted but never fires: kvrpcd does not evict.
//
// Notifications are published while the command holds its shard locks; publishing takes
// only the server and pub/sub locks, never a shard lock, so it cannot deadlock with other
// commands. A subscriber that is itself the client running the command gets the message
// straight in its output at the point the handler reports the event, interleaved with the
// reply as Redis 7.0 does.

// notifyKeyspace publishes event of class for key in db, when notify-keyspace-events
// enables the class. from is the client whose command caused it, nil for the store's own
// events (expiry).
func (s *Server) notifyKeyspace(from *Client, class int64, event, key string, db int) {
	flags := s.notifyFlags.Load()
	if flags&class == 0 || flags&(config.NotifyKeyspace|config.NotifyKeyevent) == 0 {
		return
	}
	var buf [64]byte
	if flags&config.NotifyKeyspace != 0 {
		ch := keyspaceChannel(buf[:0], "__keyspace@", db, key)
		s.publish(from, subChannel, ch, []byte(event))
	}
	if flags&config.NotifyKeyevent != 0 {
		ch := keyspaceChannel(buf[:0], "__keyevent@", db, event)
		s.publish(from, subChannel, ch, []byte(key))
	}
}

// keyspaceChannel appends prefix, db, "__:" and name to dst.
func keyspaceChannel(dst []byte, prefix string, db int, name string) []byte {
	dst = append(dst, prefix...)
	dst = strconv.AppendInt(dst, int64(db), 10)
	dst = append(dst, "__:"...)
	return append(dst, name...)
}

// applyNotify copies notify-keyspace-events into the flags the command path reads.
func (s *Server) applyNotify() {
	s.notifyFlags.Store(s.cfg.Int("notify-keyspace-events"))
}

// changed reports that the current command modified key: client-side caches are
// invalidated and event of class is notified, in that order, as Redis's handlers call
// signalModifiedKey and then notifyKeyspaceEvent.
func (c *Client) changed(key []byte, class int64, event string) {
	c.signalModified(key)
	c.notify(class, event, key)
}

// keyMiss reports that a read of key found nothing: the "keymiss" event that Redis's
// lookupKeyRead emits (commands that look keys up without it, such as EXISTS and TYPE, do
// not call this).
func (c *Client) keyMiss(key []byte) {
	c.notify(config.NotifyKeyMiss, "keymiss", key)
}

// signalModifiedIn is signalModified for a key of database db, which commands such as MOVE
// and COPY reach besides the client's own.
func (c *Client) signalModifiedIn(db int, key []byte) {
	if c.srv.nwatching.Load() > 0 {
		touchWatchedKey(c.srv, db, key)
	}
	if c.srv.ntracking.Load() > 0 {
		c.srv.keyModified(c, db, string(key))
	}
}

// notifyIn is notify for a key of database db.
func (c *Client) notifyIn(db int, class int64, event string, key []byte) {
	if c.srv.notifyFlags.Load()&class != 0 {
		c.srv.notifyKeyspace(c, class, event, string(key), db)
	}
}

// deleteIfEmpty deletes key when its collection has no elements left, as Redis does after a
// command removes elements, and reports the "del" event when it did.
func (c *Client) deleteIfEmpty(key []byte) {
	if c.srv.store.DeleteIfEmpty(c.db, key) {
		c.notify(config.NotifyGeneric, "del", key)
	}
}
