package rpc

import (
	"math"
	"slices"
	"strconv"

	"github.com/kvrpcd/kvrpcd/config"
	"github.com/kvrpcd/kvrpcd/store"
)

// geoCommands declares the geo commands, as redis-server 7.0 describes them. A geo index is
// a sorted set whose scores are 52-bit geohashes (see the store's GeoEncode).
func geoCommands() []*Command {
	return []*Command{
		{Name: "geoadd", Arity: -5, Flags: Write | DenyOOM, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRW | KeyUpdate, BeginIndex: 1, KeyStep: 1}}, Run: geoaddCommand,
			Doc: Doc{Summary: "Add one or more geospatial items in the geospatial index represented using a sorted set",
				Since:      "3.2.0",
				Complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
				History:    [][2]string{{"6.2.0", "Added the `CH`, `NX` and `XX` options."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "condition", Type: ArgOneOf, Optional: true, Since: "6.2.0", Args: []Arg{{Name: "nx", Type: ArgPureToken, Token: "NX"}, {Name: "xx", Type: ArgPureToken, Token: "XX"}}},
					{Name: "change", Type: ArgPureToken, Token: "CH", Optional: true, Since: "6.2.0"},
					{Name: "longitude_latitude_member", Type: ArgBlock, Multiple: true, Args: []Arg{{Name: "longitude", Type: ArgDouble}, {Name: "latitude", Type: ArgDouble}, {Name: "member", Type: ArgString}}},
				}},
		},
		{Name: "geopos", Arity: -2, Flags: ReadOnly, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: geoposCommand,
			Doc: Doc{Summary: "Returns longitude and latitude of members of a geospatial index",
				Since:      "3.2.0",
				Complexity: "O(N) where N is the number of members requested.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString, Multiple: true},
				}},
		},
		{Name: "geodist", Arity: -4, Flags: ReadOnly, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: geodistCommand,
			Doc: Doc{Summary: "Returns the distance between two members of a geospatial index",
				Since:      "3.2.0",
				Complexity: "O(log(N))",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member1", Type: ArgString},
					{Name: "member2", Type: ArgString},
					{Name: "unit", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}},
				}},
		},
		{Name: "geohash", Arity: -2, Flags: ReadOnly, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: geohashCommand,
			Doc: Doc{Summary: "Returns members of a geospatial index as standard geohash strings",
				Since:      "3.2.0",
				Complexity: "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString, Multiple: true},
				}},
		},
		{Name: "geosearch", Arity: -7, Flags: ReadOnly, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: geosearchCommand,
			Doc: Doc{Summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
				Since:      "6.2.0",
				Complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
				History:    [][2]string{{"7.0.0", "Added support for uppercase unit names."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "from", Type: ArgOneOf, Args: []Arg{{Name: "member", Type: ArgString, Token: "FROMMEMBER"}, {Name: "longitude_latitude", Type: ArgBlock, Token: "FROMLONLAT", Args: []Arg{{Name: "longitude", Type: ArgDouble}, {Name: "latitude", Type: ArgDouble}}}}},
					{Name: "by", Type: ArgOneOf, Args: []Arg{{Name: "circle", Type: ArgBlock, Args: []Arg{{Name: "radius", Type: ArgDouble, Token: "BYRADIUS"}, {Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}}}}, {Name: "box", Type: ArgBlock, Args: []Arg{{Name: "width", Type: ArgDouble, Token: "BYBOX"}, {Name: "height", Type: ArgDouble}, {Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}}}}}},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
					{Name: "count", Type: ArgBlock, Optional: true, Args: []Arg{{Name: "count", Type: ArgInteger, Token: "COUNT"}, {Name: "any", Type: ArgPureToken, Token: "ANY", Optional: true}}},
					{Name: "withcoord", Type: ArgPureToken, Token: "WITHCOORD", Optional: true},
					{Name: "withdist", Type: ArgPureToken, Token: "WITHDIST", Optional: true},
					{Name: "withhash", Type: ArgPureToken, Token: "WITHHASH", Optional: true},
				}},
		},
		{Name: "geosearchstore", Arity: -8, Flags: Write | DenyOOM, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyOW | KeyUpdate, BeginIndex: 1, KeyStep: 1}, {Flags: KeyRO | KeyAccess, BeginIndex: 2, KeyStep: 1}}, Run: geosearchstoreCommand,
			Doc: Doc{Summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
				Since:      "6.2.0",
				Complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
				History:    [][2]string{{"7.0.0", "Added support for uppercase unit names."}},
				Args: []Arg{
					{Name: "destination", Type: ArgKey},
					{Name: "source", Type: ArgKey, KeySpec: 1},
					{Name: "from", Type: ArgOneOf, Args: []Arg{{Name: "member", Type: ArgString, Token: "FROMMEMBER"}, {Name: "longitude_latitude", Type: ArgBlock, Token: "FROMLONLAT", Args: []Arg{{Name: "longitude", Type: ArgDouble}, {Name: "latitude", Type: ArgDouble}}}}},
					{Name: "by", Type: ArgOneOf, Args: []Arg{{Name: "circle", Type: ArgBlock, Args: []Arg{{Name: "radius", Type: ArgDouble, Token: "BYRADIUS"}, {Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}}}}, {Name: "box", Type: ArgBlock, Args: []Arg{{Name: "width", Type: ArgDouble, Token: "BYBOX"}, {Name: "height", Type: ArgDouble}, {Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}}}}}},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
					{Name: "count", Type: ArgBlock, Optional: true, Args: []Arg{{Name: "count", Type: ArgInteger, Token: "COUNT"}, {Name: "any", Type: ArgPureToken, Token: "ANY", Optional: true}}},
					{Name: "storedist", Type: ArgPureToken, Token: "STOREDIST", Optional: true},
				}},
		},
		{Name: "georadius", Arity: -6, Flags: Write | DenyOOM, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}, {Flags: KeyOW | KeyUpdate, BeginIndex: 6, Keyword: "STORE", KeyStep: 1}, {Flags: KeyOW | KeyUpdate, BeginIndex: 6, Keyword: "STOREDIST", KeyStep: 1}}, Run: georadiusCommand,
			Doc: Doc{Summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
				Since:           "3.2.0",
				Complexity:      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument",
				History:         [][2]string{{"6.2.0", "Added the `ANY` option for `COUNT`."}, {"7.0.0", "Added support for uppercase unit names."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "longitude", Type: ArgDouble},
					{Name: "latitude", Type: ArgDouble},
					{Name: "radius", Type: ArgDouble},
					{Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}},
					{Name: "withcoord", Type: ArgPureToken, Token: "WITHCOORD", Optional: true},
					{Name: "withdist", Type: ArgPureToken, Token: "WITHDIST", Optional: true},
					{Name: "withhash", Type: ArgPureToken, Token: "WITHHASH", Optional: true},
					{Name: "count", Type: ArgBlock, Optional: true, Args: []Arg{{Name: "count", Type: ArgInteger, Token: "COUNT"}, {Name: "any", Type: ArgPureToken, Token: "ANY", Optional: true, Since: "6.2.0"}}},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
					{Name: "key", Type: ArgKey, Token: "STORE", KeySpec: 1, Optional: true},
					{Name: "key", Type: ArgKey, Token: "STOREDIST", KeySpec: 2, Optional: true},
				}},
		},
		{Name: "georadiusbymember", Arity: -5, Flags: Write | DenyOOM, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}, {Flags: KeyOW | KeyUpdate, BeginIndex: 5, Keyword: "STORE", KeyStep: 1}, {Flags: KeyOW | KeyUpdate, BeginIndex: 5, Keyword: "STOREDIST", KeyStep: 1}}, Run: georadiusbymemberCommand,
			Doc: Doc{Summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
				Since:           "3.2.0",
				Complexity:      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments",
				History:         [][2]string{{"7.0.0", "Added support for uppercase unit names."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString},
					{Name: "radius", Type: ArgDouble},
					{Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}},
					{Name: "withcoord", Type: ArgPureToken, Token: "WITHCOORD", Optional: true},
					{Name: "withdist", Type: ArgPureToken, Token: "WITHDIST", Optional: true},
					{Name: "withhash", Type: ArgPureToken, Token: "WITHHASH", Optional: true},
					{Name: "count", Type: ArgBlock, Optional: true, Args: []Arg{{Name: "count", Type: ArgInteger, Token: "COUNT"}, {Name: "any", Type: ArgPureToken, Token: "ANY", Optional: true}}},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
					{Name: "key", Type: ArgKey, Token: "STORE", KeySpec: 1, Optional: true},
					{Name: "key", Type: ArgKey, Token: "STOREDIST", KeySpec: 2, Optional: true},
				}},
		},
		{Name: "georadius_ro", Arity: -6, Flags: ReadOnly, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: georadiusROCommand,
			Doc: Doc{Summary: "A read-only variant for GEORADIUS",
				Since:           "3.2.10",
				Complexity:      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`GEOSEARCH` with the `BYRADIUS` argument",
				History:         [][2]string{{"6.2.0", "Added the `ANY` option for `COUNT`."}},
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "longitude", Type: ArgDouble},
					{Name: "latitude", Type: ArgDouble},
					{Name: "radius", Type: ArgDouble},
					{Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}},
					{Name: "withcoord", Type: ArgPureToken, Token: "WITHCOORD", Optional: true},
					{Name: "withdist", Type: ArgPureToken, Token: "WITHDIST", Optional: true},
					{Name: "withhash", Type: ArgPureToken, Token: "WITHHASH", Optional: true},
					{Name: "count", Type: ArgBlock, Optional: true, Args: []Arg{{Name: "count", Type: ArgInteger, Token: "COUNT"}, {Name: "any", Type: ArgPureToken, Token: "ANY", Optional: true, Since: "6.2.0"}}},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
				}},
		},
		{Name: "georadiusbymember_ro", Arity: -5, Flags: ReadOnly, Group: GroupGeo,
			Keys: []KeySpec{{Flags: KeyRO | KeyAccess, BeginIndex: 1, KeyStep: 1}}, Run: georadiusbymemberROCommand,
			Doc: Doc{Summary: "A read-only variant for GEORADIUSBYMEMBER",
				Since:           "3.2.10",
				Complexity:      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
				DeprecatedSince: "6.2.0",
				ReplacedBy:      "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments",
				Args: []Arg{
					{Name: "key", Type: ArgKey},
					{Name: "member", Type: ArgString},
					{Name: "radius", Type: ArgDouble},
					{Name: "unit", Type: ArgOneOf, Args: []Arg{{Name: "m", Type: ArgPureToken, Token: "M"}, {Name: "km", Type: ArgPureToken, Token: "KM"}, {Name: "ft", Type: ArgPureToken, Token: "FT"}, {Name: "mi", Type: ArgPureToken, Token: "MI"}}},
					{Name: "withcoord", Type: ArgPureToken, Token: "WITHCOORD", Optional: true},
					{Name: "withdist", Type: ArgPureToken, Token: "WITHDIST", Optional: true},
					{Name: "withhash", Type: ArgPureToken, Token: "WITHHASH", Optional: true},
					{Name: "count", Type: ArgBlock, Optional: true, Args: []Arg{{Name: "count", Type: ArgInteger, Token: "COUNT"}, {Name: "any", Type: ArgPureToken, Token: "ANY", Optional: true}}},
					{Name: "order", Type: ArgOneOf, Optional: true, Args: []Arg{{Name: "asc", Type: ArgPureToken, Token: "ASC"}, {Name: "desc", Type: ArgPureToken, Token: "DESC"}}},
				}},
		},
	}
}

// geoParseCoords parses a longitude and a latitude as Redis's extractLongLatOrReply,
// writing the error reply.
func geoParseCoords(c *Client, lonArg, latArg []byte) (lon, lat float64, ok bool) {
	lon, ok1 := zParseScore(lonArg)
	if !ok1 {
		c.Error(msgNotFloat)
		return 0, 0, false
	}
	lat, ok2 := zParseScore(latArg)
	if !ok2 {
		c.Error(msgNotFloat)
		return 0, 0, false
	}
	if !store.GeoValid(lon, lat) {
		c.Error(msgGeoInvalidPair + cFloat(lon) + "," + cFloat(lat))
		return 0, 0, false
	}
	return lon, lat, true
}

// cFloat formats f as C's "%f".
func cFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}

// geoUnit returns the meters per unit of a unit argument, as Redis's extractUnitOrReply,
// writing the error reply.
func geoUnit(c *Client, b []byte) (float64, bool) {
	b = cString(b)
	switch {
	case is(b, "m"):
		return 1, true
	case is(b, "km"):
		return 1000, true
	case is(b, "ft"):
		return 0.3048, true
	case is(b, "mi"):
		return 1609.34, true
	}
	c.Error(msgGeoUnit)
	return 0, false
}

// geoNumber parses a distance argument, writing the error msg when it is not a number.
func geoNumber(c *Client, b []byte, msg string) (float64, bool) {
	f, ok := zParseScore(b)
	if !ok {
		c.Error(msg)
	}
	return f, ok
}

// geoMemberPos returns the position of member in z.
func geoMemberPos(z *store.ZSet, member []byte) (lon, lat float64, ok bool) {
	sc, ok := z.Score(member)
	if !ok {
		return 0, 0, false
	}
	lon, lat = store.GeoDecode(sc)
	return lon, lat, true
}

// geoAppendCoord formats a coordinate as Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf"
// of the exact value, without trailing zeros.
func geoAppendCoord(dst []byte, f float64) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', 17, 64)
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

// geoWriteCoord writes a coordinate as addReplyHumanLongDouble: a bulk string in RESP2, a
// double in RESP3.
func geoWriteCoord(c *Client, f float64) {
	var tmp [48]byte
	text := geoAppendCoord(tmp[:0], f)
	if c.w.Proto == 3 {
		c.w.Raw([]byte{','})
		c.w.Raw(text)
		c.w.Raw([]byte("\r\n"))
		return
	}
	c.w.Bulk(text)
}

// geoWriteDistance writes a distance as Redis's addReplyDoubleDistance: a bulk string with
// four decimals, rounded as llrint(d * 10000).
func geoWriteDistance(c *Client, d float64) {
	var tmp [48]byte
	c.w.Bulk(geoAppendDistance(tmp[:0], d))
}

func geoAppendDistance(dst []byte, d float64) []byte {
	if d == 0 {
		return append(dst, "0.0000"...)
	}
	v := math.RoundToEven(d * 10000)
	var u uint64
	if v < 0 {
		dst = append(dst, '-')
		u = uint64(-v)
	} else {
		u = uint64(v)
	}
	dst = strconv.AppendUint(dst, u/10000, 10)
	frac := u % 10000
	return append(dst, '.', byte('0'+frac/1000), byte('0'+frac/100%10), byte('0'+frac/10%10), byte('0'+frac%10))
}

// geoaddCommand is GEOADD: it turns its arguments into ZADD's, as Redis does.
func geoaddCommand(c *Client, args [][]byte) {
	xx, nx := false, false
	longIdx := 2
loop:
	for ; longIdx < len(args); longIdx++ {
		opt := cString(args[longIdx])
		switch {
		case is(opt, "nx"):
			nx = true
		case is(opt, "xx"):
			xx = true
		case is(opt, "ch"):
		default:
			break loop
		}
	}
	if (len(args)-longIdx)%3 != 0 || xx && nx {
		c.Error(msgSyntax)
		return
	}
	elements := (len(args) - longIdx) / 3
	zargs := make([][]byte, longIdx, longIdx+2*elements)
	copy(zargs, args[:longIdx])
	for i := range elements {
		p := longIdx + 3*i
		lon, lat, ok := geoParseCoords(c, args[p], args[p+1])
		if !ok {
			return
		}
		score := strconv.AppendUint(nil, uint64(store.GeoEncode(lon, lat)), 10)
		zargs = append(zargs, score, args[p+2])
	}
	zaddGeneric(c, zargs, 0)
}

func geoposCommand(c *Client, args [][]byte) {
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	c.w.Array(len(args) - 2)
	for _, m := range args[2:] {
		if z == nil {
			c.w.NullArray()
			continue
		}
		lon, lat, found := geoMemberPos(z, m)
		if !found {
			c.w.NullArray()
			continue
		}
		c.w.Array(2)
		geoWriteCoord(c, lon)
		geoWriteCoord(c, lat)
	}
}

func geodistCommand(c *Client, args [][]byte) {
	conv := 1.0
	if len(args) == 5 {
		var ok bool
		if conv, ok = geoUnit(c, args[4]); !ok {
			return
		}
	} else if len(args) > 5 {
		c.Error(msgSyntax)
		return
	}
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	if z == nil {
		c.w.Null()
		return
	}
	lon1, lat1, ok1 := geoMemberPos(z, args[2])
	lon2, lat2, ok2 := geoMemberPos(z, args[3])
	if !ok1 || !ok2 {
		c.w.Null()
		return
	}
	geoWriteDistance(c, store.GeoDistance(lon1, lat1, lon2, lat2)/conv)
}

func geohashCommand(c *Client, args [][]byte) {
	z, ok := readZSetMiss(c, args[1])
	if !ok {
		return
	}
	c.w.Array(len(args) - 2)
	for _, m := range args[2:] {
		if z == nil {
			c.w.Null()
			continue
		}
		sc, found := z.Score(m)
		if !found {
			c.w.Null()
			continue
		}
		c.w.BulkString(store.GeoHash(sc))
	}
}

// Variants of Redis's georadiusGeneric.
const (
	geoByCoords    = 1 << iota // GEORADIUS: centre given as longitude and latitude
	geoByMember                // GEORADIUSBYMEMBER: centre given as a member
	geoNoStore                 // the _RO variants: no STORE or STOREDIST
	geoSearch                  // GEOSEARCH's syntax
	geoSearchStore             // GEOSEARCHSTORE
)

func georadiusCommand(c *Client, args [][]byte)         { geoGeneric(c, args, 1, geoByCoords) }
func georadiusbymemberCommand(c *Client, args [][]byte) { geoGeneric(c, args, 1, geoByMember) }
func georadiusROCommand(c *Client, args [][]byte) {
	geoGeneric(c, args, 1, geoByCoords|geoNoStore)
}
func georadiusbymemberROCommand(c *Client, args [][]byte) {
	geoGeneric(c, args, 1, geoByMember|geoNoStore)
}
func geosearchCommand(c *Client, args [][]byte) { geoGeneric(c, args, 1, geoSearch) }
func geosearchstoreCommand(c *Client, args [][]byte) {
	geoGeneric(c, args, 2, geoSearch|geoSearchStore)
}

// geoLocked reports whether the shard of key is locked for the current command. GEORADIUS's
// key specs find the first STORE or STOREDIST keyword while Redis stores into the last one.
func (c *Client) geoLocked(key []byte) bool {
	return slices.Contains(c.shards, store.ShardOf(key))
}

// geoGeneric is Redis's georadiusGeneric: the option parsing, checks, search and reply of
// every geo search command, in Redis's order.
func geoGeneric(c *Client, args [][]byte, srcIdx int, flags int) {
	z, ok := readZSetMiss(c, args[srcIdx])
	if !ok {
		return
	}
	var storeKey []byte
	storeDist := false
	var shape store.GeoShape
	var base int
	switch {
	case flags&geoByCoords != 0:
		base = 6
		if shape.Lon, shape.Lat, ok = geoParseCoords(c, args[2], args[3]); !ok {
			return
		}
		if !geoRadiusArgs(c, args[4], args[5], &shape) {
			return
		}
	case flags&geoByMember != 0 && z == nil:
		base = 5
	case flags&geoByMember != 0:
		base = 5
		if shape.Lon, shape.Lat, ok = geoMemberPos(z, args[2]); !ok {
			c.Error(msgGeoMember)
			return
		}
		if !geoRadiusArgs(c, args[3], args[4], &shape) {
			return
		}
	default:
		base = 2
		if flags&geoSearchStore != 0 {
			base = 3
			storeKey = args[1]
		}
	}
	withDist, withHash, withCoord := false, false, false
	fromMember, fromLoc, byRadius, byBox := false, false, false, false
	sort := 0 // 1 ascending, -1 descending
	anyMatch := false
	var count int64
	search := flags&geoSearch != 0
	storeOK := flags&(geoNoStore|geoSearch) == 0
	rest := args[base:]
	for i := 0; i < len(rest); i++ {
		arg := cString(rest[i])
		left := len(rest) - i - 1 // arguments after this one
		switch {
		case is(arg, "withdist"):
			withDist = true
		case is(arg, "withhash"):
			withHash = true
		case is(arg, "withcoord"):
			withCoord = true
		case is(arg, "any"):
			anyMatch = true
		case is(arg, "asc"):
			sort = 1
		case is(arg, "desc"):
			sort = -1
		case is(arg, "count") && left >= 1:
			n, err := parseInt(rest[i+1])
			if err != nil {
				c.Error(msgNotInteger)
				return
			}
			if n <= 0 {
				c.Error(msgGeoCount)
				return
			}
			count = n
			i++
		case (is(arg, "store") || is(arg, "storedist")) && left >= 1 && storeOK:
			storeKey = rest[i+1]
			storeDist = is(arg, "storedist")
			i++
		case is(arg, "storedist") && flags&geoSearchStore != 0:
			storeDist = true
		case is(arg, "frommember") && left >= 1 && search && !fromLoc:
			if z != nil {
				if shape.Lon, shape.Lat, ok = geoMemberPos(z, rest[i+1]); !ok {
					c.Error(msgGeoMember)
					return
				}
			}
			fromMember = true
			i++
		case is(arg, "fromlonlat") && left >= 2 && search && !fromMember:
			if shape.Lon, shape.Lat, ok = geoParseCoords(c, rest[i+1], rest[i+2]); !ok {
				return
			}
			fromLoc = true
			i += 2
		case is(arg, "byradius") && left >= 2 && search && !byBox:
			if !geoRadiusArgs(c, rest[i+1], rest[i+2], &shape) {
				return
			}
			shape.Box = false
			byRadius = true
			i += 2
		case is(arg, "bybox") && left >= 3 && search && !byRadius:
			if !geoBoxArgs(c, rest[i+1], rest[i+2], rest[i+3], &shape) {
				return
			}
			shape.Box = true
			byBox = true
			i += 3
		default:
			c.Error(msgSyntax)
			return
		}
	}
	if storeKey != nil && (withDist || withHash || withCoord) {
		if flags&geoSearchStore != 0 {
			c.Error(msgGeoStoreWithSearch)
		} else {
			c.Error(msgGeoStoreWithRadius)
		}
		return
	}
	if search && !fromMember && !fromLoc {
		c.Error(msgGeoFrom + string(args[0]))
		return
	}
	if search && !byRadius && !byBox {
		c.Error(msgGeoBy + string(args[0]))
		return
	}
	if anyMatch && count == 0 {
		c.Error(msgGeoAny)
		return
	}
	if storeKey != nil && !c.geoLocked(storeKey) {
		c.Error(msgGeoStoreTwice)
		return
	}
	s := c.srv.store
	if z == nil {
		if storeKey != nil {
			if s.Delete(c.db, storeKey) {
				c.changed(storeKey, config.NotifyGeneric, "del")
			}
			c.w.Raw(replyZero)
		} else {
			c.w.Array(0)
		}
		return
	}
	if count != 0 && sort == 0 && !anyMatch {
		sort = 1
	}
	limit := 0
	if anyMatch {
		limit = int(min(count, math.MaxInt32))
	}
	matches := z.GeoSearch(&shape, limit)
	if len(matches) == 0 && storeKey == nil {
		c.w.Array(0)
		return
	}
	if sort != 0 {
		store.SortGeoMatches(matches, sort < 0, int(min(count, int64(len(matches)))))
	}
	if count != 0 && int64(len(matches)) > count {
		matches = matches[:count]
	}
	if storeKey == nil {
		options := 0
		for _, on := range []bool{withDist, withHash, withCoord} {
			if on {
				options++
			}
		}
		c.w.Array(len(matches))
		for i := range matches {
			m := &matches[i]
			if options > 0 {
				c.w.Array(options + 1)
			}
			c.w.BulkString(m.Member)
			if withDist {
				geoWriteDistance(c, m.Dist/shape.Conv)
			}
			if withHash {
				c.w.Int(int64(m.Score))
			}
			if withCoord {
				c.w.Array(2)
				geoWriteCoord(c, m.Lon)
				geoWriteCoord(c, m.Lat)
			}
		}
		return
	}
	entries := make([]store.ZEntry, len(matches))
	for i, m := range matches {
		entries[i] = store.ZEntry{Member: m.Member, Score: m.Score}
		if storeDist {
			entries[i].Score = m.Dist / shape.Conv
		}
	}
	existed := len(entries) == 0 && s.Exists(c.db, storeKey)
	s.SetZSet(c.db, storeKey, entries)
	switch {
	case len(entries) > 0 && search:
		c.changed(storeKey, config.NotifyZset, "geosearchstore")
	case len(entries) > 0:
		c.changed(storeKey, config.NotifyZset, "georadiusstore")
	case existed:
		c.changed(storeKey, config.NotifyGeneric, "del")
	}
	c.w.Int(int64(len(entries)))
}

// geoRadiusArgs parses a radius and its unit as Redis's extractDistanceOrReply.
func geoRadiusArgs(c *Client, radius, unit []byte, shape *store.GeoShape) bool {
	r, ok := geoNumber(c, radius, msgGeoRadius)
	if !ok {
		return false
	}
	if r < 0 {
		c.Error(msgGeoRadiusNeg)
		return false
	}
	shape.Radius = r
	shape.Conv, ok = geoUnit(c, unit)
	return ok
}

// geoBoxArgs parses a box's width, height and unit as Redis's extractBoxOrReply.
func geoBoxArgs(c *Client, width, height, unit []byte, shape *store.GeoShape) bool {
	w, ok := geoNumber(c, width, msgGeoWidth)
	if !ok {
		return false
	}
	h, ok := geoNumber(c, height, msgGeoHeight)
	if !ok {
		return false
	}
	if h < 0 || w < 0 {
		c.Error(msgGeoBoxNeg)
		return false
	}
	shape.Width, shape.Height = w, h
	shape.Conv, ok = geoUnit(c, unit)
	return ok
}
