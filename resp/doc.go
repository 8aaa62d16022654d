// Package resp implements the Redis serialization protocol (RESP2 and RESP3)
// as spoken by kvrpcd: it parses pipelined client commands, both RESP arrays
// and inline commands, and appends replies to a caller-owned buffer. It knows
// nothing of commands; names, arity and meaning belong to the caller.
//
// [ParseCommand] reads one command from the start of an input buffer and
// [Writer] appends replies. [ParseReply], [AppendValue] and [Value.String]
// are the client side of the protocol, used by tests and by code that
// forwards commands to another server.
//
// # Buffer lifetimes
//
// The arguments returned by [ParseCommand] alias the input buffer: they are
// valid until the caller reuses or overwrites that buffer, which in practice
// means for the duration of one command. Anything that must outlive the
// command has to be copied. Inline commands that use quotes or escapes are
// unescaped in place, so the bytes of a consumed inline command are
// rewritten and the same bytes must not be parsed twice.
//
// [Writer] never allocates once its buffer has room, and never flushes: the
// caller owns [Writer.Buf], writes it out, and resets it with Buf = Buf[:0].
//
// The strings of a [Value] returned by [ParseReply] alias the buffer given
// to it in the same way.
//
// # Compatibility
//
// Request parsing follows redis-server 7.0 byte for byte, including its
// quirks: the two bytes after a line's '\r' are skipped whatever they are, a
// NUL byte hides a line end that follows it, and inline arguments are split
// as by sdssplitargs. The error texts are those of Redis; a caller replies
// "-ERR " followed by the error text and closes the connection.
package resp
