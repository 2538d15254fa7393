package preview

// The Content-Security-Policy of the preview's answers. Scripts run only
// from the preview's own files and from the inline <script> elements of
// the page as built, each allowed by its hash: the theme's (the default
// theme sets the colour scheme before the first paint) and, with
// markup.unsafe_html, the author's. Inline event handlers (onclick=…),
// javascript: URLs and scripts from other sites do not run, so markup
// that slips into a page some other way cannot run script in the preview,
// which shows drafts. Styles are the preview's own files, the page's
// <style> elements by hash and style attributes (the theme's bars and
// goldmark's table alignment use them). Images, media and frames may come
// from anywhere, as a built site's may; the page connects only to the
// preview (search, the reload stream).

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// policy returns the policy of a page whose inline scripts and styles
// have the given CSP hash sources ('sha256-…').
func policy(scripts, styles []string) string {
	return strings.Join([]string{
		"default-src 'self'",
		strings.Join(append([]string{"script-src 'self'"}, scripts...), " "),
		strings.Join(append([]string{"style-src 'self'"}, styles...), " "),
		"style-src-attr 'unsafe-inline'",
		"img-src * data: blob:",
		"media-src * data: blob:",
		"frame-src *",
		"font-src 'self' data:",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'self'",
	}, "; ")
}

// basePolicy is the policy of every answer that is not an HTML page: it
// matters when a browser shows one as a document (an SVG opened by
// itself may hold scripts).
var basePolicy = policy(nil, nil)

// pagePolicy returns the policy of an HTML page: basePolicy with the
// hashes of the page's inline <script> and <style> elements, read as the
// browser reads them (x/net/html's tokenizer: raw text, newlines
// normalised).
func pagePolicy(page []byte) string {
	var scripts, styles []string
	z := html.NewTokenizer(bytes.NewReader(page))
	var inside string // "script" or "style" while in an inline one
	var text []byte
	for {
		switch z.Next() {
		case html.ErrorToken:
			return policy(scripts, styles)
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			if n := string(name); (n == "script" && !hasSrc(z, hasAttr)) || n == "style" {
				inside, text = n, text[:0]
			}
		case html.TextToken:
			if inside != "" {
				text = append(text, z.Text()...)
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); inside != "" && string(name) == inside {
				if inside == "script" {
					scripts = addHash(scripts, text)
				} else {
					styles = addHash(styles, text)
				}
				inside = ""
			}
		}
	}
}

func hasSrc(z *html.Tokenizer, hasAttr bool) bool {
	for hasAttr {
		var key []byte
		key, _, hasAttr = z.TagAttr()
		if string(key) == "src" {
			return true
		}
	}
	return false
}

func addHash(list []string, text []byte) []string {
	sum := sha256.Sum256(text)
	h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if slices.Contains(list, h) {
		return list
	}
	return append(list, h)
}
