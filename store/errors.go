package store

import "errors"

// Errors returned by the store. The command layer maps each to its Redis
// error reply.
var (
	// ErrWrongType is returned when a key holds a value of another type.
	ErrWrongType = errors.New("operation against a key holding the wrong kind of value")
	// ErrNotInteger is returned when a string value or argument is not a
	// 64-bit signed integer in canonical decimal form.
	ErrNotInteger = errors.New("value is not an integer or out of range")
	// ErrNotFloat is returned when a string value or argument is not a
	// valid floating point number.
	ErrNotFloat = errors.New("value is not a valid float")
	// ErrOverflow is returned when an integer increment overflows.
	ErrOverflow = errors.New("increment or decrement would overflow")
	// ErrNaN is returned when a float increment yields NaN or infinity.
	ErrNaN = errors.New("increment would produce NaN or Infinity")
	// ErrNoSuchKey is returned when a command needs a key that is absent.
	ErrNoSuchKey = errors.New("no such key")
	// ErrTooLong is returned when a string would exceed the maximum length
	// set with [Store.SetMaxStringLen].
	ErrTooLong = errors.New("string exceeds maximum allowed size")
)
