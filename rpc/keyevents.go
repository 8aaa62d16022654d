package rpc

import (
	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// A command that changes the keyspace reports each change twice, as Redis's handlers do:
// signalModified for every key it modified (client-side caches are invalidated), and notify
// with the event's class and name (keyspace notifications). signalModified also marks the
// key's watchers (WATCH): it costs two atomic loads when nobody watches or tracks keys, and
// notify one when notify-keyspace-events is empty. Keys the store adds or expires by itself
// arrive through onKeyEvent.

// signalModified reports that the current command modified key in the client's database
// (Redis's signalModifiedKey).
func (c *Client) signalModified(key []byte) {
	s := c.srv
	if s.nwatching.Load() > 0 {
		touchWatchedKey(s, c.db, key)
	}
	if s.ntracking.Load() > 0 {
		s.keyModified(c, c.db, string(key))
	}
}

// notify publishes the keyspace notification event of class (a config.NotifyXxx flag) for
// key in the client's database, when notify-keyspace-events enables the class.
func (c *Client) notify(class int64, event string, key []byte) {
	if c.srv.notifyFlags.Load()&class != 0 {
		c.srv.notifyKeyspace(c, class, event, string(key), c.db)
	}
}

// onKeyEvent receives the store's own key events: keys added ("new") and keys expired. It
// runs with the key's shard locked.
func (s *Server) onKeyEvent(ev store.KeyEvent, db int, key string) {
	switch ev {
	case store.KeyAdded:
		if s.notifyFlags.Load()&config.NotifyNew != 0 {
			s.notifyKeyspace(nil, config.NotifyNew, "new", key, db)
		}
	case store.KeyExpired:
		if s.notifyFlags.Load()&config.NotifyExpired != 0 {
			s.notifyKeyspace(nil, config.NotifyExpired, "expired", key, db)
		}
		if s.nwatching.Load() > 0 {
			touchWatchedKey(s, db, key)
		}
		if s.ntracking.Load() > 0 {
			s.keyModified(nil, db, key)
		}
	}
}
