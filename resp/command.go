package resp

import (
	"bytes"
	"math"
)

// Limits bound what [ParseCommand] accepts. A zero MaxBulkLen or MaxInline
// stands for the value in [DefaultLimits].
type Limits struct {
	MaxBulkLen      int64 // proto-max-bulk-len, default 512 MiB
	MaxInline       int   // inline request and count-line limit, 64 KiB (PROTO_INLINE_MAX_SIZE)
	Unauthenticated bool  // when true: multibulk count > 10 and bulk len > 16384 are refused, as Redis does for unauthenticated clients
}

// DefaultLimits are the limits of a default redis-server configuration for
// an authenticated client.
var DefaultLimits = Limits{MaxBulkLen: 512 << 20, MaxInline: 64 << 10}

// Limits Redis applies to clients that have not authenticated yet.
const (
	unauthMaxMultibulk = 10
	unauthMaxBulk      = 16384
)

// ParseCommand parses one command (RESP multibulk array or inline) at the start of buf.
// It appends the arguments to args[:0] and returns them, plus the number of bytes consumed.
// n == 0 and err == nil: buf holds an incomplete command, read more and call again with the
// bytes kept. A command with zero args and n > 0 (empty inline line, "*0\r\n", "*-1\r\n")
// is to be skipped by the caller. Arguments alias buf (inline arguments with quotes/escapes
// are unescaped in place inside buf) and are valid until buf is reused.
// Must not allocate once args has enough capacity (AllocsPerRun test = 0).
//
// On error n is 0 and err is a [*ProtocolError]; the connection cannot be
// resynchronised and should be closed after the error is sent. A nil lim
// means [DefaultLimits].
//
// The decisions depend only on the bytes, never on how they were split into
// reads: a line limit is exceeded when no line end shows up within the first
// MaxInline+1 bytes of the line, which is what redis-server does when the
// bytes arrive one at a time.
//
// ParseCommand keeps no state between calls, so an incomplete command is
// parsed again from its start on the next call; a caller receiving a large
// command should read more than a little before calling again.
func ParseCommand(buf []byte, args [][]byte, lim *Limits) (argv [][]byte, n int, err error) {
	args = args[:0]
	if len(buf) == 0 {
		return args, 0, nil
	}
	if lim == nil {
		lim = &DefaultLimits
	}
	maxInline := lim.MaxInline
	if maxInline <= 0 {
		maxInline = DefaultLimits.MaxInline
	}
	if buf[0] != '*' {
		return parseInline(buf, args, maxInline)
	}
	maxBulk := lim.MaxBulkLen
	if maxBulk <= 0 {
		maxBulk = DefaultLimits.MaxBulkLen
	}
	return parseMultibulk(buf, args, maxInline, maxBulk, lim.Unauthenticated)
}

// parseInline parses an inline command: one line split into arguments.
func parseInline(buf []byte, args [][]byte, maxInline int) ([][]byte, int, error) {
	nl := lineEnd(buf, '\n', maxInline)
	if nl < 0 {
		if len(buf) > maxInline {
			return args, 0, errTooBigInline
		}
		return args, 0, nil
	}
	end := nl
	if end > 0 && buf[end-1] == '\r' {
		end--
	}
	args, ok := splitInline(buf[:end], args)
	if !ok {
		return args[:0], 0, errUnbalancedQuotes
	}
	return args, nl + 1, nil
}

// parseMultibulk parses "*<count>\r\n" followed by count "$<len>\r\n<bytes>\r\n".
// Like Redis, a line ends at its first '\r' and the byte after it is skipped
// unchecked, as are the two bytes after a bulk payload.
func parseMultibulk(buf []byte, args [][]byte, maxInline int, maxBulk int64, unauth bool) ([][]byte, int, error) {
	cr := lineEnd(buf, '\r', maxInline)
	if cr < 0 {
		if len(buf) > maxInline {
			return args, 0, errTooBigMbulkCount
		}
		return args, 0, nil
	}
	if cr+2 > len(buf) {
		return args, 0, nil
	}
	count, ok := string2ll(buf[1:cr])
	if !ok || count > math.MaxInt32 {
		return args, 0, errInvalidMbulkLen
	}
	if unauth && count > unauthMaxMultibulk {
		return args, 0, errUnauthMbulkLen
	}
	pos := cr + 2
	for ; count > 0; count-- {
		rest := buf[pos:]
		cr := lineEnd(rest, '\r', maxInline)
		if cr < 0 {
			if len(rest) > maxInline {
				return args[:0], 0, errTooBigBulkCount
			}
			return args[:0], 0, nil
		}
		if cr+2 > len(rest) {
			return args[:0], 0, nil
		}
		if rest[0] != '$' {
			return args[:0], 0, errExpectedDollar(rest[0])
		}
		size, ok := string2ll(rest[1:cr])
		if !ok || size < 0 || size > maxBulk {
			return args[:0], 0, errInvalidBulkLen
		}
		if unauth && size > unauthMaxBulk {
			return args[:0], 0, errUnauthBulkLen
		}
		pos += cr + 2
		if int64(len(buf)-pos) < size+2 {
			return args[:0], 0, nil
		}
		end := pos + int(size)
		args = append(args, buf[pos:end:end])
		pos = end + 2
	}
	return args, pos, nil
}

// lineEnd returns the index of the first c in buf, looking at no more than
// max+1 bytes, or -1. A NUL byte before c hides it, because Redis looks for
// line ends with strchr.
func lineEnd(buf []byte, c byte, max int) int {
	if len(buf) > max+1 {
		buf = buf[:max+1]
	}
	i := bytes.IndexByte(buf, c)
	if i < 0 || bytes.IndexByte(buf[:i], 0) >= 0 {
		return -1
	}
	return i
}

// string2ll parses a decimal int64 the way Redis's string2ll does: no sign
// other than a leading '-', no leading zeros, no "-0", fewer than 21 bytes.
func string2ll(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) >= 21 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := false
	if b[0] == '-' {
		neg = true
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		d := uint64(c - '0')
		if v > math.MaxUint64-d {
			return 0, false
		}
		v += d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}
