package remote

import (
	"net/netip"
	"strings"

	"github.com/audiopreflight/audiopreflight/internal/lazy"
)

// Whether an address is on the public internet, after the IANA IPv4 and
// IPv6 Special-Purpose Address Registries (the "Globally Reachable" column)
// and RFC 6890, in the shape Python's ipaddress.is_global gives them: the
// server downloads from the public internet (docs/server.md#urls), so an address
// that is not globally reachable is one it cannot fetch from, whatever it
// means on the machine running the check.

// AddrClass says whether an address is public, and when not, why.
type AddrClass uint8

const (
	Public        AddrClass = iota
	Unspecified             // 0.0.0.0, ::
	Loopback                // 127.0.0.0/8, ::1
	Private                 // RFC 1918
	SharedCGNAT             // 100.64.0.0/10, RFC 6598 carrier-grade NAT
	LinkLocal               // 169.254.0.0/16, fe80::/10
	UniqueLocal             // fc00::/7
	Multicast               // 224.0.0.0/4, ff00::/8
	Broadcast               // 255.255.255.255
	Documentation           // TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20
	Reserved                // everything else that is not globally reachable
)

var addrClassNames = [...]string{
	Public:        "public",
	Unspecified:   "unspecified",
	Loopback:      "loopback",
	Private:       "private",
	SharedCGNAT:   "shared (carrier-grade NAT)",
	LinkLocal:     "link-local",
	UniqueLocal:   "unique-local",
	Multicast:     "multicast",
	Broadcast:     "broadcast",
	Documentation: "documentation",
	Reserved:      "reserved",
}

func (c AddrClass) String() string {
	if int(c) < len(addrClassNames) {
		return addrClassNames[c]
	}
	return "unknown"
}

type addrRange struct {
	prefix netip.Prefix
	class  AddrClass
	note   string // the range's name in the registry, when the class alone says little
}

func r(p string, c AddrClass, note string) addrRange {
	return addrRange{netip.MustParsePrefix(p), c, note}
}

// The tables are parsed when an address is first classified, not at every
// start. The first matching row decides, so exceptions come before their
// range.
var ipv4Ranges = lazy.Value[[]addrRange]{New: func() []addrRange {
	return []addrRange{
		r("192.0.0.9/32", Public, "Port Control Protocol anycast"),
		r("192.0.0.10/32", Public, "TURN anycast"),
		r("0.0.0.0/32", Unspecified, ""),
		r("0.0.0.0/8", Reserved, `"this network"`),
		r("10.0.0.0/8", Private, ""),
		r("100.64.0.0/10", SharedCGNAT, ""),
		r("127.0.0.0/8", Loopback, ""),
		r("169.254.0.0/16", LinkLocal, ""),
		r("172.16.0.0/12", Private, ""),
		r("192.0.0.0/24", Reserved, "IETF protocol assignments"),
		r("192.0.2.0/24", Documentation, ""),
		r("192.168.0.0/16", Private, ""),
		r("198.18.0.0/15", Reserved, "benchmarking"),
		r("198.51.100.0/24", Documentation, ""),
		r("203.0.113.0/24", Documentation, ""),
		r("224.0.0.0/4", Multicast, ""),
		r("255.255.255.255/32", Broadcast, ""),
		r("240.0.0.0/4", Reserved, "future use"),
	}
}}

var ipv6Ranges = lazy.Value[[]addrRange]{New: func() []addrRange {
	return []addrRange{
		r("::/128", Unspecified, ""),
		r("::1/128", Loopback, ""),
		r("2001:1::1/128", Public, "Port Control Protocol anycast"),
		r("2001:1::2/128", Public, "TURN anycast"),
		r("2001:3::/32", Public, "AMT"),
		r("2001:4:112::/48", Public, "AS112"),
		r("2001:20::/28", Public, "ORCHIDv2"),
		r("2001:30::/28", Public, "drone remote ID"),
		r("2001::/32", Reserved, "Teredo"),
		r("2001::/23", Reserved, "IETF protocol assignments"),
		r("2001:db8::/32", Documentation, ""),
		r("2002::/16", Reserved, "6to4"),
		r("3fff::/20", Documentation, ""),
		r("2000::/3", Public, ""),
		r("64:ff9b:1::/48", Reserved, "local-use IPv4/IPv6 translation"),
		r("100::/64", Reserved, "discard-only"),
		r("fc00::/7", UniqueLocal, ""),
		r("fe80::/10", LinkLocal, ""),
		r("fec0::/10", Reserved, "site-local (deprecated)"),
		r("ff00::/8", Multicast, ""),
		// What is left is outside the global unicast space 2000::/3, except
		// the NAT64 prefix, which classify handles before this table:
		// IPv4-compatible ::a.b.c.d (deprecated), unassigned space.
		r("::/0", Reserved, "not global unicast space"),
	}
}}

// nat64 is the well-known NAT64 prefix (RFC 6052): a translator reaches the
// IPv4 address in its last 32 bits, so that address decides.
var nat64 = lazy.Value[netip.Prefix]{New: func() netip.Prefix { return netip.MustParsePrefix("64:ff9b::/96") }}

// Classify says whether addr is on the public internet. IPv4-mapped IPv6
// addresses (::ffff:a.b.c.d) and NAT64 addresses (64:ff9b::a.b.c.d) are
// classified by the IPv4 address they reach; a zone is ignored.
func Classify(addr netip.Addr) AddrClass {
	c, _ := classify(addr)
	return c
}

// classify is Classify plus the registry's name for the range, when useful.
func classify(addr netip.Addr) (AddrClass, string) {
	addr = addr.WithZone("")
	if addr.Is4In6() {
		addr = addr.Unmap()
	}
	if addr.Is6() && nat64.Get().Contains(addr) {
		b := addr.As16()
		return classify(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	}
	table := ipv6Ranges.Get()
	if addr.Is4() {
		table = ipv4Ranges.Get()
	}
	for _, row := range table {
		if row.prefix.Contains(addr) {
			return row.class, row.note
		}
	}
	if !addr.IsValid() {
		return Reserved, "invalid"
	}
	return Public, ""
}

// describeAddr says in words what kind of address addr is:
// "a loopback address", "a reserved address (6to4)".
func describeAddr(addr netip.Addr) string {
	c, note := classify(addr)
	s := "a " + c.String() + " address"
	if c == Unspecified {
		s = "an " + c.String() + " address"
	}
	if note != "" && c != Public {
		s += " (" + note + ")"
	}
	return s
}

// ParseHostAddr reads a URL host the way the server's HTTP client does when
// it connects: Python's urllib3 hands the host to getaddrinfo, and glibc's
// getaddrinfo takes every spelling inet_aton accepts before it asks DNS —
// one to four dot-separated parts, each decimal, octal (leading 0) or hex
// (leading 0x), the last part filling the remaining bytes: 2130706433,
// 0177.0.0.1, 0x7f.1, 127.1 are all 127.0.0.1. IPv6 literals may come with
// their URL brackets and a zone. It reports false for a name (which the
// server would look up in DNS), including a number with a trailing dot.
func ParseHostAddr(host string) (netip.Addr, bool) {
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.Contains(host, ":") {
		a, err := netip.ParseAddr(host)
		return a, err == nil
	}
	return parseInetAton(host)
}

// parseInetAton is glibc's __inet_aton_exact: numbers as strtoul(…, 0)
// reads them, no trailing characters.
func parseInetAton(s string) (netip.Addr, bool) {
	var parts [3]uint32
	n := 0
	var last uint64
	for {
		if s == "" || s[0] < '0' || s[0] > '9' {
			return netip.Addr{}, false
		}
		v, used, ok := parseCNumber(s)
		if !ok {
			return netip.Addr{}, false
		}
		s = s[used:]
		if s != "" && s[0] == '.' {
			if n == len(parts) || v > 0xff {
				return netip.Addr{}, false
			}
			parts[n] = uint32(v)
			n++
			s = s[1:]
			continue
		}
		last = v
		break
	}
	if s != "" {
		return netip.Addr{}, false
	}
	limits := [...]uint64{0xffffffff, 0xffffff, 0xffff, 0xff}
	if last > limits[n] {
		return netip.Addr{}, false
	}
	v := uint32(last)
	for i := 0; i < n; i++ {
		v |= parts[i] << (24 - 8*i)
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// parseCNumber reads an unsigned number at the start of s the way
// strtoul(s, &end, 0) does: 0x/0X then hex digits, 0 then octal digits,
// else decimal. It returns how many bytes it used; "0x" not followed by a
// hex digit is the number 0 followed by "x". ok is false above 2^32-1
// (inet_aton rejects those).
func parseCNumber(s string) (v uint64, used int, ok bool) {
	base := uint64(10)
	i := 0
	if len(s) >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && hexDigit(s[2]) >= 0 {
		base, i = 16, 2
	} else if s[0] == '0' {
		base = 8
	}
	start := i
	for ; i < len(s); i++ {
		d := hexDigit(s[i])
		if d < 0 || uint64(d) >= base {
			break
		}
		v = v*base + uint64(d)
		if v > 0xffffffff {
			return 0, 0, false
		}
	}
	if i == start {
		return 0, 0, false
	}
	return v, i, true
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// loopbackName reports whether host is a name that means the machine
// itself wherever it is resolved (RFC 6761 §6.3, and the names Debian-like
// /etc/hosts files give ::1), so that on the server it is the server.
func loopbackName(host string) bool {
	switch host {
	case "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback":
		return true
	}
	return false
}

// isLoopbackName reports whether host (lower case) is a name for the
// machine itself: localhost, *.localhost, with or without a final dot.
func isLoopbackName(host string) bool {
	host = strings.TrimSuffix(host, ".")
	return loopbackName(host) || strings.HasSuffix(host, ".localhost")
}

// isInvalidName reports whether host is under .invalid, which no resolver
// answers (RFC 6761 §6.4): the lookup fails without asking anyone.
func isInvalidName(host string) bool {
	host = strings.TrimSuffix(host, ".")
	return host == "invalid" || strings.HasSuffix(host, ".invalid")
}
