package rpc

import (
	"errors"

	"github.com/kvrpcd/kvrpcd/store"
)

// Canonical error replies of the hash commands (cmd_hash.go), word for word as
// redis-server 7.0 sends them.
const (
	msgHashNotInteger = "ERR hash value is not an integer"
	msgHashNotFloat   = "ERR hash value is not a float"
	msgNotFinite      = "ERR value is NaN or Infinity"
	msgValueRange     = "ERR value is out of range"
	msgLongRange      = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)

// hashErr writes the reply for an error of a hash operation.
func hashErr(c *Client, err error) {
	switch {
	case errors.Is(err, store.ErrHashNotInteger):
		c.Error(msgHashNotInteger)
	case errors.Is(err, store.ErrHashNotFloat):
		c.Error(msgHashNotFloat)
	case errors.Is(err, store.ErrNotFinite):
		c.Error(msgNotFinite)
	default:
		c.storeErr(err)
	}
}
