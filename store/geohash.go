package store

import (
	"math"
	"math/big"
	"slices"
)

// Geo indexes are sorted sets whose scores are 52-bit geohashes, as in Redis: the longitude
// and latitude, each quantised to 26 bits over [-180, 180] and [-85.05112878, 85.05112878],
// interleaved with the latitude in the even bits. The arithmetic below follows Redis's
// geohash.c and geohash_helper.c step by step, so that positions, distances and search
// results are bit-identical.

// Limits of the coordinates a geo index accepts (those of the Web Mercator projection).
const (
	GeoLonMin = -180.0
	GeoLonMax = 180.0
	GeoLatMin = -85.05112878
	GeoLatMax = 85.05112878
)

const (
	geoStepMax   = 26 // bits per coordinate
	earthRadius  = 6372797.560856
	mercatorMax  = 20037726.37
	degToRad     = math.Pi / 180.0
	geoAlphabet  = "0123456789bcdefghjkmnpqrstuvwxyz"
	geoHashChars = 11
)

// geoRange is an interval of one coordinate.
type geoRange struct{ min, max float64 }

var (
	geoLonRange = geoRange{GeoLonMin, GeoLonMax}
	geoLatRange = geoRange{GeoLatMin, GeoLatMax}
)

// geoBits is a geohash of step bits per coordinate.
type geoBits struct {
	bits uint64
	step uint8
}

func (h geoBits) zero() bool { return h.bits == 0 && h.step == 0 }

// align52 shifts a hash to the 52-bit scale of the scores.
func (h geoBits) align52() uint64 { return h.bits << (52 - 2*uint(h.step)) }

// interleave puts the bits of x in the even positions and those of y in the odd ones.
func interleave(x, y uint32) uint64 {
	return spread(x) | spread(y)<<1
}

func spread(v uint32) uint64 {
	x := uint64(v)
	x = (x | x<<16) & 0x0000FFFF0000FFFF
	x = (x | x<<8) & 0x00FF00FF00FF00FF
	x = (x | x<<4) & 0x0F0F0F0F0F0F0F0F
	x = (x | x<<2) & 0x3333333333333333
	x = (x | x<<1) & 0x5555555555555555
	return x
}

func squash(x uint64) uint32 {
	x &= 0x5555555555555555
	x = (x | x>>1) & 0x3333333333333333
	x = (x | x>>2) & 0x0F0F0F0F0F0F0F0F
	x = (x | x>>4) & 0x00FF00FF00FF00FF
	x = (x | x>>8) & 0x0000FFFF0000FFFF
	x = (x | x>>16) & 0x00000000FFFFFFFF
	return uint32(x)
}

// geoEncode is Redis's geohashEncode: false when a coordinate is outside the index's limits
// or outside the given ranges.
func geoEncode(lonR, latR geoRange, lon, lat float64, step uint8) (geoBits, bool) {
	if lon > GeoLonMax || lon < GeoLonMin || lat > GeoLatMax || lat < GeoLatMin {
		return geoBits{}, false
	}
	if lat < latR.min || lat > latR.max || lon < lonR.min || lon > lonR.max {
		return geoBits{step: step}, false
	}
	latOff := (lat - latR.min) / (latR.max - latR.min)
	lonOff := (lon - lonR.min) / (lonR.max - lonR.min)
	latOff *= float64(uint64(1) << step)
	lonOff *= float64(uint64(1) << step)
	return geoBits{bits: interleave(uint32(latOff), uint32(lonOff)), step: step}, true
}

// geoArea is the cell of a hash.
type geoArea struct{ lon, lat geoRange }

// geoDecode is Redis's geohashDecode.
func geoDecode(lonR, latR geoRange, h geoBits) geoArea {
	ilat := squash(h.bits)
	ilon := squash(h.bits >> 1)
	cells := float64(uint64(1) << h.step)
	latScale := latR.max - latR.min
	lonScale := lonR.max - lonR.min
	return geoArea{
		lat: geoRange{latR.min + (float64(ilat)*1.0/cells)*latScale, latR.min + (float64(ilat+1)*1.0/cells)*latScale},
		lon: geoRange{lonR.min + (float64(ilon)*1.0/cells)*lonScale, lonR.min + (float64(ilon+1)*1.0/cells)*lonScale},
	}
}

// centre is Redis's geohashDecodeAreaToLongLat: the middle of the cell, clamped to the limits.
func (a geoArea) centre() (lon, lat float64) {
	lon = (a.lon.min + a.lon.max) / 2
	lon = min(max(lon, GeoLonMin), GeoLonMax)
	lat = (a.lat.min + a.lat.max) / 2
	lat = min(max(lat, GeoLatMin), GeoLatMax)
	return lon, lat
}

// GeoValid reports whether (lon, lat) can be indexed.
func GeoValid(lon, lat float64) bool {
	return lon >= GeoLonMin && lon <= GeoLonMax && lat >= GeoLatMin && lat <= GeoLatMax
}

// GeoEncode returns the score GEOADD gives to (lon, lat), which must be valid (see
// [GeoValid]). As in Redis, the largest longitude or latitude sets a bit above the 52.
func GeoEncode(lon, lat float64) float64 {
	h, _ := geoEncode(geoLonRange, geoLatRange, lon, lat, geoStepMax)
	return float64(h.align52())
}

// geoScoreBits converts a score to a hash as C's (uint64_t) cast does on amd64, so that
// the scores of sorted sets not made by GEOADD decode to the positions Redis reports.
func geoScoreBits(score float64) uint64 {
	const two63 = 9223372036854775808.0
	if !(score >= two63) { // NaN takes this branch too, as comisd's unordered result does
		if score >= -two63 && score < two63 {
			return uint64(int64(score))
		}
		return 1 << 63
	}
	score -= two63
	if score < two63 {
		return uint64(int64(score)) ^ 1<<63
	}
	return 0
}

// GeoDecode returns the position a score stands for: the centre of its cell.
func GeoDecode(score float64) (lon, lat float64) {
	h := geoBits{bits: geoScoreBits(score), step: geoStepMax}
	return geoDecode(geoLonRange, geoLatRange, h).centre()
}

// GeoHash returns the 11-character standard geohash of a score, as GEOHASH reports it: the
// decoded position re-encoded over [-90, 90] latitudes, with a last character of 0.
func GeoHash(score float64) string {
	lon, lat := GeoDecode(score)
	h, _ := geoEncode(geoRange{-180, 180}, geoRange{-90, 90}, lon, lat, geoStepMax)
	var buf [geoHashChars]byte
	for i := range buf {
		idx := 0
		if i < geoHashChars-1 {
			idx = int(h.bits>>(52-(uint(i)+1)*5)) & 0x1f
		}
		buf[i] = geoAlphabet[idx]
	}
	return string(buf[:])
}

func geoLatDistance(lat1, lat2 float64) float64 {
	return earthRadius * math.Abs(lat2*degToRad-lat1*degToRad)
}

// GeoDistance returns the distance in meters between two positions on Redis's sphere
// (haversine, radius 6372797.560856 m).
func GeoDistance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r := lon1 * degToRad
	lon2r := lon2 * degToRad
	v := geoSin((lon2r - lon1r) / 2)
	if v == 0 {
		return geoLatDistance(lat1, lat2)
	}
	lat1r := lat1 * degToRad
	lat2r := lat2 * degToRad
	u := geoSin((lat2r - lat1r) / 2)
	a := u*u + geoCos(lat1r)*geoCos(lat2r)*v*v
	return 2.0 * earthRadius * geoAsin(math.Sqrt(a))
}

// GeoShape is the area of a geo search, in the unit given by Conv (meters per unit): a circle
// of Radius around (Lon, Lat), or with Box a Width × Height rectangle centred there.
type GeoShape struct {
	Lon, Lat      float64
	Box           bool
	Radius        float64
	Width, Height float64
	Conv          float64
}

// GeoMatch is one element found by [ZSet.GeoSearch]: its decoded position and its distance
// in meters from the shape's centre.
type GeoMatch struct {
	Member   string
	Score    float64
	Lon, Lat float64
	Dist     float64
}

// contains is Redis's geoAppendIfWithinShape test, returning the distance.
func (sh *GeoShape) contains(lon, lat float64) (float64, bool) {
	if !sh.Box {
		d := GeoDistance(sh.Lon, sh.Lat, lon, lat)
		return d, d <= sh.Radius*sh.Conv
	}
	w, h := sh.Width*sh.Conv, sh.Height*sh.Conv
	if geoLatDistance(lat, sh.Lat) > h/2 {
		return 0, false
	}
	if GeoDistance(lon, lat, sh.Lon, lat) > w/2 {
		return 0, false
	}
	return GeoDistance(sh.Lon, sh.Lat, lon, lat), true
}

// bounds is Redis's geohashBoundingBox: min lon, min lat, max lon, max lat.
func (sh *GeoShape) bounds() [4]float64 {
	var height, width float64
	if sh.Box {
		height = sh.Conv * (sh.Height / 2)
		width = sh.Conv * (sh.Width / 2)
	} else {
		height = sh.Conv * sh.Radius
		width = sh.Conv * sh.Radius
	}
	latDelta := height / earthRadius / degToRad
	lonDeltaTop := width / earthRadius / geoCos((sh.Lat+latDelta)*degToRad) / degToRad
	lonDeltaBottom := width / earthRadius / geoCos((sh.Lat-latDelta)*degToRad) / degToRad
	var b [4]float64
	if sh.Lat < 0 {
		b[0], b[2] = sh.Lon-lonDeltaBottom, sh.Lon+lonDeltaBottom
	} else {
		b[0], b[2] = sh.Lon-lonDeltaTop, sh.Lon+lonDeltaTop
	}
	b[1], b[3] = sh.Lat-latDelta, sh.Lat+latDelta
	return b
}

// geoSteps is Redis's geohashEstimateStepsByRadius.
func geoSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), 26))
}

func geoMoveX(h *geoBits, d int) {
	x := h.bits & 0xaaaaaaaaaaaaaaaa
	y := h.bits & 0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - 2*uint(h.step))
	if d > 0 {
		x += zz + 1
	} else {
		x |= zz
		x -= zz + 1
	}
	x &= 0xaaaaaaaaaaaaaaaa >> (64 - 2*uint(h.step))
	h.bits = x | y
}

func geoMoveY(h *geoBits, d int) {
	x := h.bits & 0xaaaaaaaaaaaaaaaa
	y := h.bits & 0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - 2*uint(h.step))
	if d > 0 {
		y += zz + 1
	} else {
		y |= zz
		y -= zz + 1
	}
	y &= 0x5555555555555555 >> (64 - 2*uint(h.step))
	h.bits = x | y
}

// Neighbour order of Redis's membersOfAllNeighbors, after the centre cell.
const (
	geoNorth = 1 + iota
	geoSouth
	geoEast
	geoWest
	geoNorthEast
	geoNorthWest
	geoSouthEast
	geoSouthWest
)

// geoMove returns h moved dx cells east and dy north.
func geoMove(h geoBits, dx, dy int) geoBits {
	if dx != 0 {
		geoMoveX(&h, dx)
	}
	if dy != 0 {
		geoMoveY(&h, dy)
	}
	return h
}

// geoCells is Redis's geohashCalculateAreasByShapeWGS84: the centre cell and its eight
// neighbours, the useless ones zeroed, in membersOfAllNeighbors's order.
func (sh *GeoShape) geoCells() [9]geoBits {
	b := sh.bounds()
	minLon, minLat, maxLon, maxLat := b[0], b[1], b[2], b[3]
	var radius float64
	if sh.Box {
		radius = math.Sqrt((sh.Width/2)*(sh.Width/2) + (sh.Height/2)*(sh.Height/2))
	} else {
		radius = sh.Radius
	}
	radius *= sh.Conv
	steps := geoSteps(radius, sh.Lat)

	var cells [9]geoBits
	var area geoArea
	compute := func() {
		h, _ := geoEncode(geoLonRange, geoLatRange, sh.Lon, sh.Lat, steps)
		cells = [9]geoBits{h,
			geoMove(h, 0, 1), geoMove(h, 0, -1), geoMove(h, 1, 0), geoMove(h, -1, 0),
			geoMove(h, 1, 1), geoMove(h, -1, 1), geoMove(h, 1, -1), geoMove(h, -1, -1)}
		area = geoDecode(geoLonRange, geoLatRange, h)
	}
	compute()
	north := geoDecode(geoLonRange, geoLatRange, cells[geoNorth])
	south := geoDecode(geoLonRange, geoLatRange, cells[geoSouth])
	east := geoDecode(geoLonRange, geoLatRange, cells[geoEast])
	west := geoDecode(geoLonRange, geoLatRange, cells[geoWest])
	decrease := north.lat.max < maxLat || south.lat.min > minLat ||
		east.lon.max < maxLon || west.lon.min > minLon
	if steps > 1 && decrease {
		steps--
		compute()
	}
	if steps >= 2 {
		zero := func(idx ...int) {
			for _, i := range idx {
				cells[i] = geoBits{}
			}
		}
		if area.lat.min < minLat {
			zero(geoSouth, geoSouthWest, geoSouthEast)
		}
		if area.lat.max > maxLat {
			zero(geoNorth, geoNorthEast, geoNorthWest)
		}
		if area.lon.min < minLon {
			zero(geoWest, geoSouthWest, geoNorthWest)
		}
		if area.lon.max > maxLon {
			zero(geoEast, geoSouthEast, geoNorthEast)
		}
	}
	return cells
}

// GeoSearch returns the members of z inside shape, in the order Redis finds them (cell by
// cell, by score within a cell). With limit > 0 it stops once it has found at least limit
// members, checking only between cells and after each member, as Redis's ANY does.
func (z *ZSet) GeoSearch(shape *GeoShape, limit int) []GeoMatch {
	var out []GeoMatch
	cells := shape.geoCells()
	last := 0
	for i, c := range cells {
		if c.zero() {
			continue
		}
		if last != 0 && c == cells[last] {
			continue
		}
		if len(out) > 0 && limit > 0 && len(out) >= limit {
			break
		}
		lo := geoBits{bits: c.bits, step: c.step}.align52()
		hi := geoBits{bits: c.bits + 1, step: c.step}.align52()
		first, lastRank := z.ScoreRanks(&ScoreRange{Min: float64(lo), Max: float64(hi), MaxEx: true})
		for r := first; r <= lastRank; r++ {
			m, sc := z.At(r)
			lon, lat := GeoDecode(sc)
			if d, ok := shape.contains(lon, lat); ok {
				out = append(out, GeoMatch{Member: m, Score: sc, Lon: lon, Lat: lat, Dist: d})
				if limit > 0 && len(out) >= limit {
					break
				}
			}
		}
		last = i
	}
	return out
}

// SortGeoMatches orders matches by distance, nearest first or, with desc, farthest first,
// so that the first count (all when count ≤ 0) are in place, as Redis does: a stable sort
// of everything (glibc's qsort is a merge sort) when all are wanted, else Redis's partial
// quicksort, whose order of equal distances this reproduces.
func SortGeoMatches(m []GeoMatch, desc bool, count int) {
	cmp := func(a, b *GeoMatch) int {
		c := 0
		switch {
		case a.Dist > b.Dist:
			c = 1
		case a.Dist == b.Dist:
			c = 0
		default:
			c = -1
		}
		if desc {
			return -c
		}
		return c
	}
	if count <= 0 || count >= len(m) {
		slices.SortStableFunc(m, func(a, b GeoMatch) int { return cmp(&a, &b) })
		return
	}
	PartialSort(m, cmp, 0, count-1)
}

// PartialSort is Redis's partial quicksort (pqsort.c, after NetBSD's qsort): it puts in
// their sorted places at least the elements of indexes lo..hi, leaving the others in an
// order that, for elements that compare equal, is exactly Redis's.
func PartialSort[T any](m []T, cmp func(a, b *T) int, lo, hi int) {
	pqsort(m, 0, len(m), cmp, lo, hi)
}

func pqsort[T any](m []T, a, n int, cmp func(a, b *T) int, lo, hi int) {
	swap := func(i, j int) { m[i], m[j] = m[j], m[i] }
	vecswap := func(i, j, k int) {
		for ; k > 0; k-- {
			swap(i, j)
			i++
			j++
		}
	}
	med3 := func(x, y, z int) int {
		if cmp(&m[x], &m[y]) < 0 {
			switch {
			case cmp(&m[y], &m[z]) < 0:
				return y
			case cmp(&m[x], &m[z]) < 0:
				return z
			}
			return x
		}
		switch {
		case cmp(&m[y], &m[z]) > 0:
			return y
		case cmp(&m[x], &m[z]) < 0:
			return x
		}
		return z
	}
	outside := func(s, k int) bool { // m[s:s+k] holds none of lo..hi
		return lo < s && hi < s || lo > s+k-1 && hi > s+k-1
	}
	for {
		if n < 7 {
			for pm := a + 1; pm < a+n; pm++ {
				for pl := pm; pl > a && cmp(&m[pl-1], &m[pl]) > 0; pl-- {
					swap(pl, pl-1)
				}
			}
			return
		}
		pm := a + n/2
		if n > 7 {
			pl, pn := a, a+n-1
			if n > 40 {
				d := n / 8
				pl = med3(pl, pl+d, pl+2*d)
				pm = med3(pm-d, pm, pm+d)
				pn = med3(pn-2*d, pn-d, pn)
			}
			pm = med3(pl, pm, pn)
		}
		swap(a, pm)
		pa, pb := a+1, a+1
		pc, pd := a+n-1, a+n-1
		for {
			for pb <= pc {
				r := cmp(&m[pb], &m[a])
				if r > 0 {
					break
				}
				if r == 0 {
					swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				r := cmp(&m[pc], &m[a])
				if r < 0 {
					break
				}
				if r == 0 {
					swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			swap(pb, pc)
			pb++
			pc--
		}
		pn := a + n
		r := min(pa-a, pb-pa)
		vecswap(a, pb-r, r)
		r = min(pd-pc, pn-pd-1)
		vecswap(pb, pn-r, r)
		if r = pb - pa; r > 1 && !outside(a, r) {
			pqsort(m, a, r, cmp, lo, hi)
		}
		if r = pd - pc; r > 1 {
			a, n = pn-r, r
			if !outside(a, n) {
				continue
			}
		}
		return
	}
}

// Redis computes distances with the C library's sin, cos and asin, which on glibc return the
// correctly rounded result in all but vanishingly rare cases, while Go's math functions may
// be one unit in the last place away. Distances are visible to 17 digits (the scores of
// GEOSEARCHSTORE STOREDIST), so these functions evaluate in double-double arithmetic and
// round once.

// dd is an unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (x dd) add(y dd) dd {
	s := twoSum(x.hi, y.hi)
	t := twoSum(x.lo, y.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func (x dd) neg() dd { return dd{-x.hi, -x.lo} }

func (x dd) mul(y dd) dd {
	p := twoProd(x.hi, y.hi)
	p.lo += x.hi*y.lo + x.lo*y.hi
	return quickTwoSum(p.hi, p.lo)
}

// div divides by a small integer-valued d.
func (x dd) div(d float64) dd {
	q1 := x.hi / d
	p := twoProd(q1, d)
	r := (x.hi - p.hi - p.lo + x.lo) / d
	return quickTwoSum(q1, r)
}

// piOver2 is π/2 as three doubles.
var piOver2 = func() [3]float64 {
	const digits = "1.57079632679489661923132169163975144209858469968755291048747229615390820314310449931401741267105853399107404326"
	f, _, _ := new(big.Float).SetPrec(400).Parse(digits, 10)
	var p [3]float64
	for i := range p {
		p[i], _ = f.Float64()
		f.Sub(f, new(big.Float).SetFloat64(p[i]))
	}
	return p
}()

// reduce returns x - k·π/2 in double-double and k mod 4, for |x| < 2^20.
func reduce(x float64) (dd, int) {
	k := math.Round(x / piOver2[0])
	r := dd{x, 0}
	r = r.add(twoProd(k, piOver2[0]).neg())
	r = r.add(twoProd(k, piOver2[1]).neg())
	r = r.add(dd{-k * piOver2[2], 0})
	return r, int(int64(k) & 3)
}

// sinDD and cosDD are the Taylor series of sin r and cos r for |r| ≤ π/4, summed until
// the terms no longer matter to a double-double.
func sinDD(r dd) dd {
	r2 := r.mul(r)
	term, sum := r, r
	for n := 1.0; math.Abs(term.hi) > 1e-34; n += 2 {
		term = term.mul(r2).div((n + 1) * (n + 2)).neg()
		sum = sum.add(term)
	}
	return sum
}

func cosDD(r dd) dd {
	r2 := r.mul(r)
	term, sum := dd{1, 0}, dd{1, 0}
	for n := 0.0; math.Abs(term.hi) > 1e-34; n += 2 {
		term = term.mul(r2).div((n + 1) * (n + 2)).neg()
		sum = sum.add(term)
	}
	return sum
}

// sinOrCos returns sin x (or cos x with cos) in double-double.
func sinOrCos(x float64, cos bool) dd {
	r, k := reduce(x)
	if cos {
		k++
	}
	switch k & 3 {
	case 1:
		return cosDD(r)
	case 2:
		return sinDD(r).neg()
	case 3:
		return cosDD(r).neg()
	}
	return sinDD(r)
}

// geoSin is sin(x) correctly rounded (but for ties closer than 2^-100).
func geoSin(x float64) float64 {
	if x == 0 || math.Abs(x) > 1<<20 || math.IsNaN(x) {
		return math.Sin(x)
	}
	s := sinOrCos(x, false)
	return s.hi + s.lo
}

// geoCos is cos(x) correctly rounded.
func geoCos(x float64) float64 {
	if math.Abs(x) > 1<<20 || math.IsNaN(x) {
		return math.Cos(x)
	}
	c := sinOrCos(x, true)
	return c.hi + c.lo
}

// geoAsin is asin(y) correctly rounded: one Newton step on sin from Go's estimate.
func geoAsin(y float64) float64 {
	t := math.Asin(y)
	if y == 0 || math.IsNaN(t) || math.Abs(y) == 1 {
		return t
	}
	// t' = t - (sin t - y) / cos t, with sin t - y exact enough in double-double; the
	// correction is tiny, so cos t needs no more than double precision.
	diff := sinOrCos(t, false).add(dd{-y, 0})
	delta := (diff.hi + diff.lo) / math.Cos(t)
	r := twoSum(t, -delta)
	return r.hi + r.lo
}

// ConvertToSkiplist moves z to the skiplist encoding for good, as Redis's SORT does to every
// sorted set it sorts (it lives here, beside the other sorted-set helpers of commands built
// on sorted sets).
func (z *ZSet) ConvertToSkiplist() {
	if z.sl == nil {
		z.toSkiplist()
	}
}
