package rpc

import (
	"math"
	"strconv"
	"testing"

	"github.com/kvrpcd/kvrpcd/store"
)

func TestGeoAppendDistance(t *testing.T) {
	for _, c := range []struct {
		d    float64
		want string
	}{
		{0, "0.0000"},
		{166274.15156960033, "166274.1516"},
		{0.00005, "0.0000"}, // llrint rounds half to even
		{0.00015, "0.0001"}, // 0.00015 * 10000 is 1.4999999999999998
		{1.23456789, "1.2346"},
		{-2.5, "-2.5000"},
		{12345678.99999, "12345679.0000"},
	} {
		if got := string(geoAppendDistance(nil, c.d)); got != c.want {
			t.Errorf("distance %v = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestGeoAppendCoord(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{13.361389338970184, "13.36138933897018433"},
		{180, "180"},
		{math.Copysign(0, -1), "0"},
		{85.05112878, "85.0511287799999991"},
		{0.5, "0.5"},
	} {
		if got := string(geoAppendCoord(nil, c.f)); got != c.want {
			t.Errorf("coord %v = %q, want %q", c.f, got, c.want)
		}
	}
	if got := cFloat(math.Inf(-1)) + "," + cFloat(1.5); got != "-inf,1.500000" {
		t.Errorf("cFloat: %q", got)
	}
}

// TestGeoRadiusStoreTwice checks that GEORADIUS stores into its last STORE key, as Redis
// does, when that key's shard is locked, and refuses otherwise.
func TestGeoRadiusStoreTwice(t *testing.T) {
	c := strClient(t)
	setDo(t, c, "GEOADD", "g", "13.361389", "38.115556", "Palermo")
	first := "a"
	var same, other string
	for i := range 1000 {
		k := "b" + strconv.Itoa(i)
		if store.ShardOf([]byte(k)) == store.ShardOf([]byte(first)) {
			if same == "" {
				same = k
			}
		} else if other == "" {
			other = k
		}
	}
	if same == "" || other == "" {
		t.Skip("no keys in the needed shards")
	}
	if v := setDo(t, c, "GEORADIUS", "g", "13", "38", "100", "km", "STORE", first, "STORE", same); v.Int != 1 {
		t.Fatalf("same shard: %v", v)
	}
	if v := setDo(t, c, "EXISTS", same); v.Int != 1 {
		t.Fatalf("%s not stored", same)
	}
	if v := setDo(t, c, "GEORADIUS", "g", "13", "38", "100", "km", "STORE", first, "STORE", other); string(v.Str) != msgGeoStoreTwice {
		t.Fatalf("other shard: %v", v)
	}
}
