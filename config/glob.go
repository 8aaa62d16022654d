package config

// maxGlobNesting bounds the recursion on '*' so that an abusive pattern
// cannot exhaust the stack; deeper patterns simply do not match, as in Redis.
const maxGlobNesting = 1000

// Match reports whether s matches the glob-style pattern, with the exact
// semantics of Redis's stringmatchlen (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE):
//
//   - "*" matches any sequence of bytes, including none;
//   - "?" matches exactly one byte;
//   - "[abc]" matches one byte of the set, "[^abc]" one byte not in it;
//   - "[a-z]" matches one byte of the range (its ends in either order);
//   - a backslash makes the next byte literal, also inside a set.
//
// A set left open at the end of the pattern ("[abc") is closed implicitly.
// With nocase, ASCII letters compare without regard to case. Both arguments
// are treated as bytes, not runes, and are not retained.
//
// Like stringmatchlen, Match("*", "") is false: KEYS and SCAN treat the
// pattern "*" as matching everything before they call it.
func Match(pattern, s []byte, nocase bool) bool {
	skipLonger := false
	return match(pattern, s, nocase, &skipLonger, 0)
}

// at returns p[i], or 0 past the end: the C original reads the terminating
// NUL of its strings in a few places and relies on it not matching.
func at(p []byte, i int) byte {
	if i < len(p) {
		return p[i]
	}
	return 0
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func match(pattern, s []byte, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > maxGlobNesting {
		return false
	}
	p := 0 // index into pattern
	i := 0 // index into s
	for p < len(pattern) && i < len(s) {
		switch pattern[p] {
		case '*':
			for p+1 < len(pattern) && pattern[p+1] == '*' {
				p++
			}
			if p == len(pattern)-1 {
				return true
			}
			for i < len(s) {
				if match(pattern[p+1:], s[i:], nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				i++
			}
			// The rest of the pattern matches nowhere in the rest of s, so
			// no earlier '*' can help by consuming more: give up early.
			*skipLonger = true
			return false
		case '?':
			i++
		case '[':
			p++
			not := at(pattern, p) == '^'
			if not {
				p++
			}
			matched := false
			for {
				if at(pattern, p) == '\\' && len(pattern)-p >= 2 {
					p++
					if pattern[p] == s[i] {
						matched = true
					}
				} else if at(pattern, p) == ']' {
					break
				} else if p >= len(pattern) {
					p--
					break
				} else if len(pattern)-p >= 3 && pattern[p+1] == '-' {
					start, end, c := pattern[p], pattern[p+2], s[i]
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, c = lower(start), lower(end), lower(c)
					}
					p += 2
					if c >= start && c <= end {
						matched = true
					}
				} else if nocase {
					if lower(pattern[p]) == lower(s[i]) {
						matched = true
					}
				} else if pattern[p] == s[i] {
					matched = true
				}
				p++
			}
			if not {
				matched = !matched
			}
			if !matched {
				return false
			}
			i++
		default:
			if pattern[p] == '\\' && len(pattern)-p >= 2 {
				p++
			}
			if nocase {
				if lower(pattern[p]) != lower(s[i]) {
					return false
				}
			} else if pattern[p] != s[i] {
				return false
			}
			i++
		}
		p++
		if i == len(s) {
			for at(pattern, p) == '*' {
				p++
			}
			break
		}
	}
	return p >= len(pattern) && i == len(s)
}
