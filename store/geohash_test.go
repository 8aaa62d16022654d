package store

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// geoPoints were recorded from redis-server 7.0: GEOADD's score, GEOPOS's text and GEOHASH.
var geoPoints = []struct {
	name     string
	lon, lat float64
	score    float64
	pos      [2]string
	hash     string
}{
	{"Palermo", 13.361389, 38.115556, 3479099956230698, [2]string{"13.36138933897018433", "38.11555639549629859"}, "sqc8b49rny0"},
	{"Catania", 15.087269, 37.502669, 3479447370796909, [2]string{"15.08726745843887329", "37.50266842333162032"}, "sqdtr74hyu0"},
	{"origin", 0, 0, 3377699720527872, [2]string{"0.00000268220901489", "0.00000126736058093"}, "s0000000000"},
	{"ne", 180, 85.05112878, 13510798882111488, [2]string{"180", "85.0511287799999991"}, "bp05b5048p0"},
	{"sw", -180, -85.05112878, 0, [2]string{"-179.99999731779098511", "-85.05112751263942528"}, "00bh0hbj200"},
	{"sf", -122.4194, 37.7749, 1367859919124626, [2]string{"-122.41940170526504517", "37.77490001056577995"}, "9q8yyk8ytp0"},
	{"tokyo", 139.6917, 35.6895, 4171231230197045, [2]string{"139.69170123338699341", "35.68950126697937009"}, "xn774c06kt0"},
	{"london", -0.1278, 51.5074, 2163557714755072, [2]string{"-0.12779921293258667", "51.50740077990133159"}, "gcpvj0duq50"},
	{"sydney", 151.2093, -33.8688, 3252046221964352, [2]string{"151.20929986238479614", "-33.86880091934155956"}, "r3gx2f77bj0"},
	{"antim", -179.9, -0.5, 375279039133447, [2]string{"-179.89999920129776001", "-0.50000036325177888"}, "2pbj4kbz610"},
}

// humanCoord formats as Redis's "%.17Lf" without trailing zeros.
func humanCoord(f float64) string {
	s := strconv.FormatFloat(f, 'f', 17, 64)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

func TestGeoEncodeDecode(t *testing.T) {
	for _, p := range geoPoints {
		t.Run(p.name, func(t *testing.T) {
			if !GeoValid(p.lon, p.lat) {
				t.Fatal("not valid")
			}
			score := GeoEncode(p.lon, p.lat)
			if score != p.score {
				t.Errorf("score %v, want %v", score, p.score)
			}
			lon, lat := GeoDecode(score)
			if got := [2]string{humanCoord(lon), humanCoord(lat)}; got != p.pos {
				t.Errorf("position %q, want %q", got, p.pos)
			}
			if h := GeoHash(score); h != p.hash {
				t.Errorf("hash %q, want %q", h, p.hash)
			}
			// Decoding gives the centre of the cell: encoding it again is the same cell.
			if again := GeoEncode(lon, lat); again != score && score < 1<<52 {
				t.Errorf("re-encoded %v", again)
			}
		})
	}
}

func TestGeoValid(t *testing.T) {
	for _, c := range []struct {
		lon, lat float64
		ok       bool
	}{
		{180, 85.05112878, true}, {-180, -85.05112878, true}, {180.0000001, 0, false},
		{0, 85.05112879, false}, {0, -90, false}, {math.Inf(1), 0, false}, {math.NaN(), 0, false},
	} {
		if GeoValid(c.lon, c.lat) != c.ok {
			t.Errorf("GeoValid(%v, %v) = %v", c.lon, c.lat, !c.ok)
		}
	}
}

// TestGeoScoreBits checks scores GEOADD does not make, decoded as redis-server does.
func TestGeoScoreBits(t *testing.T) {
	for _, c := range []struct {
		score float64
		pos   [2]string
	}{
		{-1, [2]string{"180", "85.0511287799999991"}},
		{1e300, [2]string{"-179.99999731779098511", "-85.05112751263942528"}},
		{math.Inf(1), [2]string{"-179.99999731779098511", "-85.05112751263942528"}},
		{1.5, [2]string{"-179.99999731779098511", "-85.05112497791824921"}},
	} {
		lon, lat := GeoDecode(c.score)
		if got := [2]string{humanCoord(lon), humanCoord(lat)}; got != c.pos {
			t.Errorf("GeoDecode(%v) = %q, want %q", c.score, got, c.pos)
		}
	}
}

func TestGeoDistance(t *testing.T) {
	pos := map[string][2]float64{}
	for _, p := range geoPoints {
		lon, lat := GeoDecode(p.score)
		pos[p.name] = [2]float64{lon, lat}
	}
	// GEODIST replies recorded from redis-server 7.0.
	for _, c := range []struct {
		a, b string
		want string
	}{
		{"Palermo", "Catania", "166274.1516"},
		{"sf", "tokyo", "8273047.4024"},
		{"london", "sydney", "16998728.2324"},
		{"ne", "sw", "18919844.5891"},
		{"antim", "sydney", "4778439.7042"},
		{"origin", "antim", "19964019.6600"},
		{"sf", "london", "8618861.6900"},
		{"Palermo", "Palermo", "0.0000"},
	} {
		a, b := pos[c.a], pos[c.b]
		d := GeoDistance(a[0], a[1], b[0], b[1])
		if got := strconv.FormatFloat(math.RoundToEven(d*10000)/10000, 'f', 4, 64); got != c.want {
			t.Errorf("distance %s-%s = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

// TestGeoMath checks the correctly rounded sin, cos and asin against math/big series.
func TestGeoMath(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		x := (r.Float64()*2 - 1) * math.Pi
		if got, want := geoSin(x), math.Sin(x); math.Abs(got-want) > 2e-16*math.Max(1, math.Abs(want)) {
			t.Fatalf("sin(%v) = %v, want about %v", x, got, want)
		}
		if got, want := geoCos(x), math.Cos(x); math.Abs(got-want) > 2e-16 {
			t.Fatalf("cos(%v) = %v, want about %v", x, got, want)
		}
		y := r.Float64()
		if got, want := geoAsin(y), math.Asin(y); math.Abs(got-want) > 1e-15 {
			t.Fatalf("asin(%v) = %v, want about %v", y, got, want)
		}
	}
	// Cases where math.Sin is one unit in the last place off the correctly rounded result.
	for _, c := range []struct{ x, want float64 }{
		{-0x1.c44b8db5cacd7p-02, -0x1.b5bb33126cf75p-02},
		{-0x1.66c0a300c5ca3p+01, -0x1.545e9df4bfc6fp-02},
	} {
		if got := geoSin(c.x); got != c.want {
			t.Errorf("sin(%x) = %x, want %x", c.x, got, c.want)
		}
	}
}

// geoModelSearch is the brute-force model of GeoSearch: every member within the shape.
func geoModelSearch(entries map[string]float64, sh *GeoShape) []string {
	var out []string
	for m, sc := range entries {
		lon, lat := GeoDecode(sc)
		if _, ok := sh.contains(lon, lat); ok {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// TestGeoSearchModel compares GeoSearch with a scan of every member, for random points
// and shapes away from the poles, where the cells Redis searches cover the whole shape
// (near the poles Redis's bounding box is an approximation that can miss members, and
// GeoSearch misses the same ones).
func TestGeoSearchModel(t *testing.T) {
	s := New(1)
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 12 {
		key := []byte("g" + strconv.Itoa(round))
		z, err := s.ZSetForWrite(0, key, 4)
		if err != nil {
			t.Fatal(err)
		}
		entries := map[string]float64{}
		clon, clat := r.Float64()*360-180, r.Float64()*120-60
		for i := range 300 {
			lon := math.Max(-180, math.Min(180, clon+r.NormFloat64()*3))
			lat := math.Max(GeoLatMin, math.Min(GeoLatMax, clat+r.NormFloat64()*3))
			m := "m" + strconv.Itoa(i)
			sc := GeoEncode(lon, lat)
			entries[m] = sc
			z.Add([]byte(m), sc, 0)
		}
		for range 20 {
			sh := &GeoShape{Lon: clon + r.NormFloat64(), Lat: math.Max(-85, math.Min(85, clat+r.NormFloat64())), Conv: 1000}
			sh.Lon = math.Max(-180, math.Min(180, sh.Lon))
			if r.IntN(2) == 0 {
				sh.Radius = r.Float64() * 500
			} else {
				sh.Box, sh.Width, sh.Height = true, r.Float64()*800, r.Float64()*800
			}
			var got []string
			for _, m := range z.GeoSearch(sh, 0) {
				got = append(got, m.Member)
			}
			slices.Sort(got)
			if want := geoModelSearch(entries, sh); !slices.Equal(got, want) {
				t.Fatalf("search %+v: got %d members, want %d", *sh, len(got), len(want))
			}
		}
	}
}

func TestPartialSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		n := 1 + r.IntN(100)
		m := make([]int, n)
		for i := range m {
			m[i] = r.IntN(20)
		}
		lo := r.IntN(n)
		hi := lo + r.IntN(n-lo)
		want := slices.Clone(m)
		slices.Sort(want)
		PartialSort(m, func(a, b *int) int { return *a - *b }, lo, hi)
		if !slices.Equal(m[lo:hi+1], want[lo:hi+1]) {
			t.Fatalf("range %d..%d: %v, want %v", lo, hi, m[lo:hi+1], want[lo:hi+1])
		}
	}
}
