package store

// KeyEvent is something that happens to a key inside the store rather than by a command's
// own doing, which the command layer turns into keyspace notifications and client-side
// caching invalidations.
type KeyEvent uint8

const (
	// KeyAdded: a key was created (Redis's "new" event). It fires for every key added to a
	// database: SET of an absent key, the destination of RENAME, MOVE and COPY, the first
	// push to a list, and so on.
	KeyAdded KeyEvent = iota + 1
	// KeyExpired: a key was deleted because its TTL passed, lazily on access or by active
	// expiry ("expired").
	KeyExpired
)

// KeyEventFunc receives the store's key events. It runs with the key's shard locked (from a
// command's goroutine or from active expiry), so it must be quick, must not call back into
// the store and must not take shard locks. key is valid for the call only.
type KeyEventFunc func(ev KeyEvent, db int, key string)

// OnKeyEvent sets the function that receives key events; nil stops them. Call it before the
// store is used concurrently.
func (s *Store) OnKeyEvent(fn KeyEventFunc) { s.onEvent = fn }

// event reports ev for key of the database d belongs to.
func (s *Store) event(ev KeyEvent, d *shardDB, key string) {
	if s.onEvent != nil {
		s.onEvent(ev, d.db, key)
	}
}
