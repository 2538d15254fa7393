package preview

// Who the preview answers. It shows drafts, so it must not be readable by
// a web page of another site: through DNS rebinding (a name of the
// attacker's that first points at the attacker and then at 127.0.0.1) a
// page's fetches reach the preview as same-origin requests of that name.
// They carry its Host header, so the preview answers only the names of its
// own address. An IP address cannot be rebound: a request that names one
// came to it directly.

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"

	"github.com/playbook-sales/playbook/builder/render"
)

// Access says which Host names the server answers besides "localhost",
// names under .localhost (browsers resolve them to the loopback address
// themselves) and loopback addresses. Its zero value answers only those.
type Access struct {
	// Bind is the address the server listens on (--bind). A name is
	// answered; an IP address is, as Host, answered itself; 0.0.0.0 or ::
	// (every interface) answers every IP address and the machine's host
	// name (also as NAME.local), and so does any other non-loopback
	// address, for the colleagues it is shared with.
	Bind string
	// Hosts are more names to answer (--allow-host), such as a reverse
	// proxy's or a tunnel's, matched exactly, without the port.
	Hosts []string
}

// hostPolicy is an Access worked out once.
type hostPolicy struct {
	names map[string]bool
	ips   map[netip.Addr]bool
	anyIP bool // bound to every interface or to a name: any address may reach it
}

func newHostPolicy(a Access) hostPolicy {
	p := hostPolicy{names: map[string]bool{"localhost": true}, ips: map[netip.Addr]bool{}}
	for _, h := range a.Hosts {
		p.names[normalHost(h)] = true
	}
	bind := normalHost(a.Bind)
	ip, err := netip.ParseAddr(bind)
	switch {
	case bind == "":
		return p // the zero Access: loopback only
	case err != nil:
		p.names[bind], p.anyIP = true, true
	case ip.IsUnspecified():
		p.anyIP = true
	default:
		p.ips[ip.Unmap()] = true
	}
	if err != nil || !ip.IsLoopback() {
		p.addMachineName()
	}
	return p
}

// addMachineName lets colleagues reach a shared preview by the machine's
// name, short or full, or its mDNS name.
func (p hostPolicy) addMachineName() {
	name, err := os.Hostname()
	if err != nil || name == "" {
		return
	}
	name = normalHost(name)
	short, _, _ := strings.Cut(name, ".")
	p.names[name], p.names[short], p.names[short+".local"] = true, true, true
}

// allows reports whether a request's Host header names this server.
func (p hostPolicy) allows(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = normalHost(host)
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		return ip.IsLoopback() || p.anyIP || p.ips[ip]
	}
	return host != "" && (p.names[host] || strings.HasSuffix(host, ".localhost"))
}

// normalHost lowercases a host name and drops the brackets of an IPv6
// address and the dot of a fully qualified name ("localhost.").
func normalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	return strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
}

// crossOrigin reports whether a browser sent the request for a page of
// another origin: by Sec-Fetch-Site where the browser sends it ("none" is
// an address typed in), else by Origin.
func crossOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default:
		return true
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return false
	}
	u, err := url.Parse(o)
	return err != nil || !strings.EqualFold(u.Host, r.Host)
}

// isData reports whether a path is one of the preview's data answers —
// the site's API files, search (the static search's files too) and the
// event stream — which only its own pages may fetch.
func isData(urlPath, base string) bool {
	rest, inSite := strings.CutPrefix(urlPath, base)
	return strings.HasPrefix(urlPath, "/api/") || strings.HasPrefix(urlPath, "/_playbook/") ||
		inSite && (strings.HasPrefix(rest, "api/") || render.IsStaticSearchData(rest))
}

// forbid answers 403 with a short reason in plain text.
func forbid(w http.ResponseWriter, reason string) {
	http.Error(w, reason, http.StatusForbidden)
}
