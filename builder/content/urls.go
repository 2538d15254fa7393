package content

import (
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
	return NewError("", 1, "file", KindPathBreaksURL, r, urlBreakers)
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
func cleanAlias(a string) (string, error) {
	if strings.Contains(a, "://") {
		return "", errorOf(KindBadAlias, a)
	}
	dec, err := url.PathUnescape(a)
	if err != nil {
		return "", errorOf(KindBadAliasPercent, a)
	}
	if r, bad := urlBreaker(dec); bad {
		return "", errorOf(KindBadAliasRune, a, r)
	}
	if strings.Contains(dec, "..") {
		return "", errorOf(KindBadAlias, a)
	}
	if strings.Trim(dec, "/") == "" {
		return "", errorOf(KindAliasHome, a)
	}
	return "/" + strings.Trim(dec, "/") + "/", nil
}
