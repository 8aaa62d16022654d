package rpc

import "testing"

type wakeCounter struct {
	fakeConn
	wakes int
}

func (w *wakeCounter) Wake() { w.wakes++ }

func TestPushBuffer(t *testing.T) {
	l := newLocalTarget(t)
	conn := &wakeCounter{}
	c := l.srv.Connect(conn)
	defer c.Release()
	c.push([]byte("+one\r\n"), 0)
	c.push([]byte("+two\r\n"), 0)
	if conn.wakes != 2 {
		t.Fatalf("%d wakes, want 2", conn.wakes)
	}
	if len(c.Output()) != 0 {
		t.Fatal("pushed output appeared before Resume")
	}
	c.Resume()
	if got := string(c.Output()); got != "+one\r\n+two\r\n" {
		t.Fatalf("output %q", got)
	}
	c.ResetOutput()
	// Past the limit the client is disconnected and nothing more is queued.
	c.push(make([]byte, 100), 150)
	c.push(make([]byte, 100), 150)
	if !c.Closing() || !conn.closed {
		t.Fatal("a client over the push limit was not closed")
	}
	c.Resume()
	if n := len(c.Output()); n != 0 {
		t.Fatalf("a killed client has %d bytes of output", n)
	}
}
