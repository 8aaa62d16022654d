package store

import "strings"

// Type is the type of a stored value, as the TYPE command reports it.
type Type uint8

// The value types. TypeNone is the type of an absent key.
const (
	TypeNone Type = iota
	TypeString
	TypeList
	TypeSet
	TypeZSet
	TypeHash
	TypeStream
)

var typeNames = [...]string{
	TypeNone:   "none",
	TypeString: "string",
	TypeList:   "list",
	TypeSet:    "set",
	TypeZSet:   "zset",
	TypeHash:   "hash",
	TypeStream: "stream",
}

// String returns the name TYPE replies with: "none", "string", "list",
// "set", "zset", "hash" or "stream".
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "none"
}

// ParseType returns the type named s, ignoring case, as SCAN's TYPE option
// reads it. It reports false when s names no type.
func ParseType(s string) (Type, bool) {
	for t, name := range typeNames {
		if strings.EqualFold(s, name) {
			return Type(t), true
		}
	}
	return TypeNone, false
}
