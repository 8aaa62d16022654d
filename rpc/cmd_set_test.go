package rpc

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/kvrpcd/kvrpcd/resp"
)

// setDo runs one command and returns its parsed reply.
func setDo(t *testing.T, c *Client, args ...string) resp.Value {
	t.Helper()
	in := strEncode(nil, args...)
	if n := c.Process(in); n != len(in) {
		t.Fatalf("%q: Process consumed %d of %d bytes", args, n, len(in))
	}
	out := c.Output()
	v, n, err := resp.ParseReply(out)
	if err != nil || n != len(out) {
		t.Fatalf("%q: bad reply %q (%v)", args, out, err)
	}
	c.ResetOutput()
	return v
}

// setStrings returns the elements of an array or set reply.
func setStrings(v resp.Value) []string {
	out := make([]string, 0, len(v.Elems))
	for _, e := range v.Elems {
		out = append(out, string(e.Str))
	}
	return out
}

// setSorted returns the elements of an array or set reply, sorted.
func setSorted(v resp.Value) []string {
	out := setStrings(v)
	slices.Sort(out)
	return out
}

// setFill adds members prefix0..prefix(n-1) to key.
func setFill(t *testing.T, c *Client, key, prefix string, n int) []string {
	args := []string{"SADD", key}
	for i := range n {
		args = append(args, prefix+strconv.Itoa(i))
	}
	setDo(t, c, args...)
	members := args[2:]
	slices.Sort(members)
	return members
}

// TestSetHashtableReplies checks, as sets, the replies whose order Redis leaves to its hash
// table.
func TestSetHashtableReplies(t *testing.T) {
	c := strClient(t)
	a := setFill(t, c, "a", "m", 30)
	setFill(t, c, "b", "m", 10)
	b := a[:0:0]
	for i := range 10 {
		b = append(b, "m"+strconv.Itoa(i))
	}
	slices.Sort(b)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"SMEMBERS", "a"}, a},
		{[]string{"SINTER", "a", "b"}, b},
		{[]string{"SINTER", "b", "a"}, b},
		{[]string{"SUNION", "a", "b"}, a},
		{[]string{"SDIFF", "b", "a"}, nil},
		{[]string{"SRANDMEMBER", "a", "30"}, a},
		{[]string{"SRANDMEMBER", "a", "100"}, a},
	}
	for _, tt := range tests {
		if got := setSorted(setDo(t, c, tt.args...)); !slices.Equal(got, tt.want) {
			t.Errorf("%q = %q, want %q", tt.args, got, tt.want)
		}
	}
	diff := setSorted(setDo(t, c, "SDIFF", "a", "b"))
	if len(diff) != 20 || slices.ContainsFunc(diff, func(m string) bool { return slices.Contains(b, m) }) {
		t.Errorf("SDIFF a b = %q", diff)
	}
}

func TestSetRandomReplies(t *testing.T) {
	c := strClient(t)
	all := setFill(t, c, "h", "x", 20)
	setFill(t, c, "i", "", 20)
	member := func(m string) bool { _, ok := slices.BinarySearch(all, m); return ok }
	for _, key := range []string{"h", "i"} {
		v := setDo(t, c, "SRANDMEMBER", key, "7")
		got := setStrings(v)
		if len(got) != 7 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 7 {
			t.Errorf("SRANDMEMBER %s 7 = %q: want 7 distinct members", key, got)
		}
		if n := len(setDo(t, c, "SRANDMEMBER", key, "-50").Elems); n != 50 {
			t.Errorf("SRANDMEMBER %s -50 returned %d members", key, n)
		}
	}
	for _, m := range setStrings(setDo(t, c, "SRANDMEMBER", "h", "-50")) {
		if !member(m) {
			t.Fatalf("SRANDMEMBER returned %q", m)
		}
	}
	popped := map[string]bool{}
	for len(popped) < 20 {
		v := setDo(t, c, "SPOP", "h", "3")
		if len(v.Elems) == 0 {
			t.Fatalf("SPOP returned nothing after %d members", len(popped))
		}
		for _, m := range setStrings(v) {
			if !member(m) || popped[m] {
				t.Fatalf("SPOP returned %q twice or not a member", m)
			}
			popped[m] = true
		}
		card := setDo(t, c, "SCARD", "h").Int
		if int(card) != 20-len(popped) {
			t.Fatalf("SCARD %d after %d pops", card, len(popped))
		}
	}
	if setDo(t, c, "EXISTS", "h").Int != 0 {
		t.Fatal("set not deleted once empty")
	}
}

// TestSetSScanFull checks that a full SSCAN iteration of a hashtable returns every member.
func TestSetSScanFull(t *testing.T) {
	c := strClient(t)
	want := setFill(t, c, "h", "e", 500)
	seen := map[string]bool{}
	cursor := "0"
	for range 10000 {
		v := setDo(t, c, "SSCAN", "h", cursor, "COUNT", "7")
		cursor = string(v.Elems[0].Str)
		for _, m := range setStrings(v.Elems[1]) {
			seen[m] = true
		}
		if cursor == "0" {
			break
		}
	}
	if got := slices.Sorted(maps.Keys(seen)); cursor != "0" || !slices.Equal(got, want) {
		t.Fatalf("scan ended at cursor %s with %d of %d members", cursor, len(got), len(want))
	}
	v := setDo(t, c, "SSCAN", "h", "0", "MATCH", "e1?", "COUNT", "1000")
	if got := setSorted(v.Elems[1]); len(got) != 10 || string(v.Elems[0].Str) != "0" {
		t.Fatalf("SSCAN MATCH e1? = %s %q", v.Elems[0].Str, got)
	}
}
