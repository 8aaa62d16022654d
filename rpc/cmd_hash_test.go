package rpc

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/kvrpcd/kvrpcd/resp"
)

// bigHash fills key with n fields f<i> = v<i>, enough to be a hashtable, and returns them.
func bigHash(k *keysTester, key string, n int) map[string]string {
	want := map[string]string{}
	args := []string{"HSET", key}
	for i := range n {
		f, v := "f"+strconv.Itoa(i), "v"+strconv.Itoa(i)
		want[f] = v
		args = append(args, f, v)
	}
	k.want("(integer) "+strconv.Itoa(n), args...)
	return want
}

// flatPairs reads a flat field-value array.
func flatPairs(t *testing.T, elems []resp.Value) map[string]string {
	t.Helper()
	if len(elems)%2 != 0 {
		t.Fatalf("odd flat reply of %d elements", len(elems))
	}
	out := map[string]string{}
	for i := 0; i < len(elems); i += 2 {
		out[string(elems[i].Str)] = string(elems[i+1].Str)
	}
	return out
}

func TestHashTableReplies(t *testing.T) {
	k := newKeysTester(t)
	k.want(`OK`, "CONFIG", "SET", "hash-max-listpack-entries", "16")
	want := bigHash(k, "h", 300)
	k.want(`"hashtable"`, "OBJECT", "ENCODING", "h")
	if got := flatPairs(t, k.do("HGETALL", "h").Elems); !maps.Equal(got, want) {
		t.Errorf("HGETALL differs: %d fields", len(got))
	}
	keys := strs(k.do("HKEYS", "h"))
	vals := strs(k.do("HVALS", "h"))
	if len(keys) != 300 || len(vals) != 300 {
		t.Fatalf("HKEYS/HVALS lengths %d, %d", len(keys), len(vals))
	}
	for i := range keys {
		if want[keys[i]] != vals[i] {
			t.Fatalf("HKEYS and HVALS disagree at %d: %s, %s", i, keys[i], vals[i])
		}
	}

	// A full HSCAN returns every field, with small counts taking several calls.
	seen := map[string]string{}
	cursor, calls := "0", 0
	for {
		v := k.do("HSCAN", "h", cursor, "COUNT", "7")
		cursor = string(v.Elems[0].Str)
		maps.Copy(seen, flatPairs(t, v.Elems[1].Elems))
		calls++
		if cursor == "0" {
			break
		}
	}
	if !maps.Equal(seen, want) || calls < 10 {
		t.Errorf("HSCAN saw %d fields in %d calls", len(seen), calls)
	}
	v := k.do("HSCAN", "h", "0", "MATCH", "f1?", "COUNT", "1000")
	if got := flatPairs(t, v.Elems[1].Elems); len(got) != 10 || got["f15"] != "v15" || string(v.Elems[0].Str) != "0" {
		t.Errorf("HSCAN MATCH f1? = %v", got)
	}

	// HRANDFIELD with a positive count returns distinct fields.
	for _, count := range []int{2, 50, 150, 299, 300, 400} {
		v := k.do("HRANDFIELD", "h", strconv.Itoa(count), "WITHVALUES")
		got := flatPairs(t, v.Elems)
		if len(got) != min(count, 300) || len(v.Elems) != 2*min(count, 300) {
			t.Errorf("HRANDFIELD %d: %d distinct of %d", count, len(got), len(v.Elems)/2)
		}
		for f, val := range got {
			if want[f] != val {
				t.Errorf("HRANDFIELD %d: %s = %s", count, f, val)
			}
		}
	}
	if n := len(k.do("HRANDFIELD", "h", "-1000").Elems); n != 1000 {
		t.Errorf("HRANDFIELD -1000 returned %d", n)
	}
	if f := string(k.do("HRANDFIELD", "h").Str); want[f] == "" {
		t.Errorf("HRANDFIELD = %q", f)
	}

	// RESP3: pairs are nested arrays, HGETALL a map.
	k.do("HELLO", "3")
	v = k.do("HRANDFIELD", "h", "-5", "WITHVALUES")
	if len(v.Elems) != 5 || len(v.Elems[0].Elems) != 2 || want[string(v.Elems[0].Elems[0].Str)] != string(v.Elems[0].Elems[1].Str) {
		t.Errorf("RESP3 HRANDFIELD WITHVALUES = %s", v)
	}
	if v := k.do("HGETALL", "h"); v.Kind != resp.KindMap || len(v.Elems) != 600 {
		t.Errorf("RESP3 HGETALL kind %c, %d elements", v.Kind, len(v.Elems))
	}
}

func TestHashDeleteAll(t *testing.T) {
	k := newKeysTester(t)
	k.want(`OK`, "CONFIG", "SET", "hash-max-listpack-entries", "4")
	want := bigHash(k, "h", 20)
	args := append([]string{"HDEL", "h"}, slices.Collect(maps.Keys(want))...)
	k.want("(integer) 20", append(args, "nofield")...)
	k.want("(integer) 0", "EXISTS", "h")
}

func TestHashCommandsTable(t *testing.T) {
	names := map[string]bool{}
	for _, cmd := range hashCommands() {
		names[cmd.Name] = true
		if err := cmd.validate(); err != nil {
			t.Error(err)
		}
		if cmd.Group != GroupHash || len(cmd.Keys) != 1 {
			t.Errorf("%s: group %v, %d key specs", cmd.Name, cmd.Group, len(cmd.Keys))
		}
	}
	for _, name := range []string{"hset", "hsetnx", "hget", "hmget", "hmset", "hdel", "hlen", "hstrlen",
		"hexists", "hkeys", "hvals", "hgetall", "hincrby", "hincrbyfloat", "hrandfield", "hscan"} {
		if !names[name] {
			t.Errorf("%s is not declared", name)
		}
	}
}
