package fetch

import (
	"net"
	"net/netip"
	"syscall"
)

// blockedError is the dialer's refusal of an address.
type blockedError struct{ ip netip.Addr }

func (e *blockedError) Error() string { return "address " + e.ip.String() + " is not public" }

// addressGuard returns the dialer's Control hook: it runs after DNS, on the
// very address about to be connected to, for the first request and every
// redirect alike, and refuses one for which public reports false. A nil
// public allows every address.
func addressGuard(public func(netip.Addr) bool) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if public == nil {
			return nil
		}
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			host = address
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			// The dialer always passes an IP; anything else is refused.
			return &blockedError{}
		}
		if !public(ip) {
			return &blockedError{ip: ip}
		}
		return nil
	}
}

// reserved are ranges that IsPrivate, IsLoopback and the rest of netip's
// predicates miss but that no public web server uses.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT (shared address space)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation (TEST-NET-1)
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation (TEST-NET-3)
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
}

// IsPublic reports whether ip is an address a public web server may have:
// not loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
// link-local, unspecified, multicast, nor one of the other reserved
// ranges (carrier-grade NAT, documentation, benchmarking, 240/4). An
// IPv4-mapped IPv6 address is judged as its IPv4 address.
func IsPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}
