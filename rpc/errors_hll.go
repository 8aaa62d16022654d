package rpc

import (
	"errors"

	"github.com/kvrpcd/kvrpcd/store"
)

// Canonical error replies of the HyperLogLog commands (cmd_hll.go), word for word as
// redis-server 7.0 sends them.
const (
	msgNotHLL     = "WRONGTYPE Key is not a valid HyperLogLog string value."
	msgInvalidHLL = "INVALIDOBJ Corrupted HLL object detected"
)

// hllErr writes the reply for a store error of a HyperLogLog command.
func (c *Client) hllErr(err error) {
	switch {
	case errors.Is(err, store.ErrNotHLL):
		c.Error(msgNotHLL)
	case errors.Is(err, store.ErrInvalidHLL):
		c.Error(msgInvalidHLL)
	default:
		c.storeErr(err)
	}
}
