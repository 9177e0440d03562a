package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestRedirectToPrivate: a public page that redirects to a private
// address is refused at the redirect. The test server stands for the
// public page (its 127.0.0.1 is taken as public here); the redirect goes
// to 127.0.0.2, which the dialer's hook refuses before connecting.
func TestRedirectToPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/story" {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("a public story"))
			return
		}
		http.Redirect(w, r, "http://127.0.0.2:"+r.Host[strings.LastIndex(r.Host, ":")+1:]+"/admin", http.StatusFound)
	}))
	defer srv.Close()
	onlyServer := func(ip netip.Addr) bool { return ip == netip.MustParseAddr("127.0.0.1") || IsPublic(ip) }
	f := newFetcher(Config{AllowPrivateSetting: "INGEST_ALLOW_PRIVATE", Timeout: 5 * time.Second}, onlyServer)
	if _, err := f.Fetch(context.Background(), srv.URL+"/story"); err != nil {
		t.Fatalf("the public page itself: %v", err)
	}
	_, err := f.Fetch(context.Background(), srv.URL+"/go")
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("err = %v, want ErrPrivateAddress", err)
	}
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	want := "couldn't fetch http://127.0.0.2:" + port + "/admin: address 127.0.0.2 is private; set INGEST_ALLOW_PRIVATE to allow it"
	if err.Error() != want {
		t.Errorf("message\n %q, want\n %q", err, want)
	}
}

// TestIsPublic lists the addresses the fetcher refuses by default.
func TestIsPublic(t *testing.T) {
	tests := []struct {
		ip     string
		public bool
	}{
		{"93.184.216.34", true},
		{"2606:2800:220:1:248:1893:25c8:1946", true},
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"fd00::1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"fe80::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"224.0.0.1", false},
		{"ff02::1", false},
		{"100.64.0.1", false},
		{"255.255.255.255", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"198.18.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			if got := IsPublic(netip.MustParseAddr(tt.ip)); got != tt.public {
				t.Errorf("IsPublic(%s) = %v, want %v", tt.ip, got, tt.public)
			}
		})
	}
}
