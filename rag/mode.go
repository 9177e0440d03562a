package rag

import (
	"fmt"
	"strings"
)

// Mode selects which rankings retrieval uses.
type Mode string

// Retrieval modes: vector-only, lexical-only, or both fused (the default).
const (
	ModeHybrid  Mode = "hybrid"
	ModeVector  Mode = "vector"
	ModeLexical Mode = "lexical"
)

// ParseMode reads a retrieval mode name; "" means hybrid.
func ParseMode(s string) (Mode, error) {
	switch Mode(strings.ToLower(strings.TrimSpace(s))) {
	case "", ModeHybrid:
		return ModeHybrid, nil
	case ModeVector:
		return ModeVector, nil
	case ModeLexical:
		return ModeLexical, nil
	}
	return "", fmt.Errorf("unknown retriever %q (want vector, lexical or hybrid)", s)
}
