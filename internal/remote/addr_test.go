package remote

import (
	"net/netip"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		addr string
		want AddrClass
	}{
		{"8.8.8.8", Public},
		{"1.1.1.1", Public},
		{"93.184.216.34", Public},
		{"0.0.0.0", Unspecified},
		{"0.1.2.3", Reserved},
		{"10.0.0.1", Private},
		{"10.255.255.255", Private},
		{"100.63.255.255", Public},
		{"100.64.0.1", SharedCGNAT},
		{"100.127.255.255", SharedCGNAT},
		{"100.128.0.0", Public},
		{"127.0.0.1", Loopback},
		{"127.255.255.254", Loopback},
		{"169.254.169.254", LinkLocal},
		{"172.15.255.255", Public},
		{"172.16.0.1", Private},
		{"172.31.255.255", Private},
		{"172.32.0.0", Public},
		{"192.0.0.1", Reserved},
		{"192.0.0.9", Public},
		{"192.0.0.10", Public},
		{"192.0.2.1", Documentation},
		{"192.88.99.1", Public},
		{"192.168.1.1", Private},
		{"198.18.0.1", Reserved},
		{"198.19.255.255", Reserved},
		{"198.20.0.0", Public},
		{"198.51.100.7", Documentation},
		{"203.0.113.9", Documentation},
		{"224.0.0.1", Multicast},
		{"239.255.255.250", Multicast},
		{"240.0.0.1", Reserved},
		{"255.255.255.254", Reserved},
		{"255.255.255.255", Broadcast},

		{"::", Unspecified},
		{"::1", Loopback},
		{"::ffff:127.0.0.1", Loopback},
		{"::ffff:7f00:1", Loopback},
		{"::ffff:10.1.2.3", Private},
		{"::ffff:8.8.8.8", Public},
		{"::127.0.0.1", Reserved}, // IPv4-compatible, deprecated
		{"::8.8.8.8", Reserved},
		{"64:ff9b::8.8.8.8", Public},
		{"64:ff9b::127.0.0.1", Loopback},
		{"64:ff9b::192.168.0.1", Private},
		{"64:ff9b:1::1", Reserved},
		{"100::1", Reserved},
		{"2001::1", Reserved}, // Teredo
		{"2001:1::1", Public},
		{"2001:1::3", Reserved},
		{"2001:3::1", Public},
		{"2001:4:112::1", Public},
		{"2001:20::1", Public},
		{"2001:db8::1", Documentation},
		{"2002:7f00:1::1", Reserved}, // 6to4
		{"2002:808:808::1", Reserved},
		{"2606:4700:4700::1111", Public},
		{"2a00:1450:4001:80b::200e", Public},
		{"3fff::1", Documentation},
		{"4000::1", Reserved},
		{"fc00::1", UniqueLocal},
		{"fd12:3456:789a::1", UniqueLocal},
		{"fe80::1", LinkLocal},
		{"fe80::1%eth0", LinkLocal},
		{"febf::1", LinkLocal},
		{"fec0::1", Reserved},
		{"ff02::1", Multicast},
		{"ff0e::1", Multicast},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		if got := Classify(a); got != tt.want {
			t.Errorf("Classify(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if got := Classify(netip.Addr{}); got == Public {
		t.Errorf("Classify(invalid) = public")
	}
}

func TestParseHostAddr(t *testing.T) {
	tests := []struct {
		host string
		want string // "" when it is a name for DNS
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"017700000001", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"0X7F000001", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"0x7f.0.0.0x1", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"127.0.0.01", "127.0.0.1"},
		{"127.000.000.001", "127.0.0.1"},
		{"0127.0.0.1", "87.0.0.1"}, // octal, as glibc reads it
		{"0", "0.0.0.0"},
		{"0.0.0.0", "0.0.0.0"},
		{"10.1", "10.0.0.1"},
		{"192.168.257", "192.168.1.1"},
		{"169.254.43518", "169.254.169.254"},
		{"0xa9fea9fe", "169.254.169.254"},
		{"4294967295", "255.255.255.255"},
		{"1.16777215", "1.255.255.255"},
		{"[::1]", "::1"},
		{"::1", "::1"},
		{"[::ffff:127.0.0.1]", "::ffff:127.0.0.1"},
		{"[::ffff:7f00:1]", "::ffff:127.0.0.1"},
		{"[fe80::1%eth0]", "fe80::1%eth0"},
		{"[0:0:0:0:0:0:0:1]", "::1"},

		{"4294967296", ""},
		{"1.16777216", ""},
		{"1.2.65536", ""},
		{"256.0.0.1", ""},
		{"1.2.3.256", ""},
		{"1.2.3.4.5", ""},
		{"127.0.0.1.", ""}, // a trailing dot makes it a DNS name
		{"127.", ""},
		{".1", ""},
		{"0x", ""},
		{"0x.1", ""},
		{"08", ""},
		{"09.1", ""},
		{"0xg", ""},
		{"1e3", ""},
		{"+1", ""},
		{"1 ", ""},
		{"example.com", ""},
		{"localhost", ""},
		{"99999999999999999999", ""},
		{"[::1", ""},
		{"[::g]", ""},
	}
	for _, tt := range tests {
		a, ok := ParseHostAddr(tt.host)
		switch {
		case tt.want == "" && ok:
			t.Errorf("ParseHostAddr(%q) = %v, want a name", tt.host, a)
		case tt.want != "" && !ok:
			t.Errorf("ParseHostAddr(%q) = not an address, want %s", tt.host, tt.want)
		case tt.want != "" && a != netip.MustParseAddr(tt.want):
			t.Errorf("ParseHostAddr(%q) = %v, want %s", tt.host, a, tt.want)
		}
	}
}

func TestHostNames(t *testing.T) {
	for _, h := range []string{"localhost", "localhost.", "a.localhost", "x.y.localhost.", "ip6-localhost", "localhost.localdomain"} {
		if !isLoopbackName(h) {
			t.Errorf("isLoopbackName(%q) = false", h)
		}
	}
	for _, h := range []string{"localhost.com", "mylocalhost", "example.com", "localhostx"} {
		if isLoopbackName(h) {
			t.Errorf("isLoopbackName(%q) = true", h)
		}
	}
	for _, h := range []string{"invalid", "nx.invalid", "a.b.invalid."} {
		if !isInvalidName(h) {
			t.Errorf("isInvalidName(%q) = false", h)
		}
	}
	if isInvalidName("invalid.example.com") {
		t.Error("isInvalidName(invalid.example.com) = true")
	}
}

func TestDescribeAddr(t *testing.T) {
	tests := map[string]string{
		"127.0.0.1":      "a loopback address",
		"0.0.0.0":        "an unspecified address",
		"fd00::1":        "a unique-local address",
		"2002:7f00:1::1": "a reserved address (6to4)",
		"100.64.0.1":     "a shared (carrier-grade NAT) address",
	}
	for a, want := range tests {
		if got := describeAddr(netip.MustParseAddr(a)); got != want {
			t.Errorf("describeAddr(%s) = %q, want %q", a, got, want)
		}
	}
}
