package rag

import "testing"

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": ModeHybrid, "Vector": ModeVector, " lexical ": ModeLexical, "hybrid": ModeHybrid} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseMode("bm25"); err == nil {
		t.Error("ParseMode(bm25): want an error")
	}
}
