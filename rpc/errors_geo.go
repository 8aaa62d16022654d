package rpc

// Error replies of the geo commands and SORT, as redis-server 7.0 words them.
const (
	msgGeoInvalidPair     = "ERR invalid longitude,latitude pair "
	msgGeoUnit            = "ERR unsupported unit provided. please use M, KM, FT, MI"
	msgGeoMember          = "ERR could not decode requested zset member"
	msgGeoRadius          = "ERR need numeric radius"
	msgGeoRadiusNeg       = "ERR radius cannot be negative"
	msgGeoWidth           = "ERR need numeric width"
	msgGeoHeight          = "ERR need numeric height"
	msgGeoBoxNeg          = "ERR height or width cannot be negative"
	msgGeoCount           = "ERR COUNT must be > 0"
	msgGeoAny             = "ERR the ANY argument requires COUNT argument"
	msgGeoStoreWithSearch = "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	msgGeoStoreWithRadius = "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	msgGeoFrom            = "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
	msgGeoBy              = "ERR exactly one of BYRADIUS and BYBOX can be specified for "
	// msgGeoStoreTwice is kvrpcd's own: a GEORADIUS that names several STORE or STOREDIST
	// keys stores into the last one, whose shard the key specs (which find the first) may
	// not have locked.
	msgGeoStoreTwice = "ERR only one STORE or STOREDIST key is supported"

	msgSortScore = "ERR One or more scores can't be converted into double"
)
