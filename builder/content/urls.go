package content

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// The URL rules of pages. A page's URL is made of its folder names and
// its file name (or slug), written into public/ as folders of the same
// names, and put into links as they are. So every part must be a valid
// path segment as written: these characters are refused, not escaped —
// escaping would make the URL differ from the file on disk and from the
// content path authors write in references and links.
//
//	#   starts a fragment: /guides/c#x/ is /guides/c, at anchor x/
//	?   starts a query
//	%   starts an escape: /a%20b/ is /a b/
//	\   browsers read it as /
//	control characters (NUL, tab, newline …): file systems and HTTP refuse them
const urlBreakers = `#?%\`

// urlBreaker returns the first character of s that cannot stand in a URL
// path as written, and whether there is one.
func urlBreaker(s string) (rune, bool) {
	for _, r := range s {
		if strings.ContainsRune(urlBreakers, r) || unicode.IsControl(r) {
			return r, true
		}
	}
	return 0, false
}

// checkFileName refuses a content path (folders included) that breaks URLs.
func checkFileName(rel string) *Error {
	r, bad := urlBreaker(rel)
	if !bad {
		return nil
	}
	return &Error{Line: 1, Field: "file", Msg: fmt.Sprintf(
		"the path has %q, which breaks the page's URL and links to it; rename the file or folder (%s and control characters are not allowed)",
		r, urlBreakers)}
}

// validSlug reports whether s is one path segment without spaces that
// keeps to the URL rules.
func validSlug(s string) bool {
	_, broken := urlBreaker(s)
	return !broken && !strings.Contains(s, "/") && !strings.ContainsFunc(s, unicode.IsSpace) && s != "." && s != ".."
}

// cleanAlias turns an alias as written into the URL of its redirect page:
// percent-escapes decoded (an address copied from a browser's address bar
// is escaped), one slash at each end. It returns an error message when
// the alias is not a path of this site.
func cleanAlias(a string) (string, string) {
	want := fmt.Sprintf("want a site path such as /old/price/, got %q", a)
	if strings.Contains(a, "://") {
		return "", want
	}
	dec, err := url.PathUnescape(a)
	if err != nil {
		return "", want + " (a % must start an escape such as %20)"
	}
	if r, bad := urlBreaker(dec); bad || strings.Contains(dec, "..") {
		if bad {
			want += fmt.Sprintf(" (%q is not allowed)", r)
		}
		return "", want
	}
	if strings.Trim(dec, "/") == "" {
		return "", fmt.Sprintf("%q would replace the home page; want a path such as /old/price/", a)
	}
	return "/" + strings.Trim(dec, "/") + "/", ""
}
