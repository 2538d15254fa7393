package render

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// sitemapMaxURLs is the most URLs one sitemap file may list (sitemaps.org:
// 50,000 URLs and 50 MB). A site with more gets a sitemap index at
// /sitemap.xml pointing to /sitemap-1.xml, /sitemap-2.xml, ….
const sitemapMaxURLs = 50000

// sitemapURL is one <url> of the sitemap.
type sitemapURL struct {
	loc string // site-relative
	mod time.Time
}

// sitemapURLs lists the home page, section lists, pages and term pages.
func (s *rendering) sitemapURLs() []sitemapURL {
	urls := []sitemapURL{{loc: "/"}}
	for _, sec := range s.Sections {
		urls = append(urls, sitemapURL{loc: sec.URL})
	}
	for _, p := range s.Pages {
		urls = append(urls, sitemapURL{p.URL, p.Lastmod})
	}
	for _, t := range s.Taxonomies {
		for _, term := range t.Terms {
			urls = append(urls, sitemapURL{loc: term.URL})
		}
	}
	return urls
}

// sitemapOutputs is /sitemap.xml, split into an index and parts of
// sitemapMaxURLs when the site has more URLs.
func (s *rendering) sitemapOutputs() []Output { return s.sitemapFiles(s.sitemapURLs(), sitemapMaxURLs) }

// sitemapFiles writes urls into sitemaps of at most max URLs each.
func (s *rendering) sitemapFiles(urls []sitemapURL, max int) []Output {
	file := func(path string, render func(io.Writer) error) Output {
		return Output{path: path, render: render, claim: generated("(sitemap)")}
	}
	if len(urls) <= max {
		return []Output{file("sitemap.xml", func(w io.Writer) error { return s.writeURLSet(w, urls) })}
	}
	var parts []string
	var outs []Output
	for i := 0; i < len(urls); i += max {
		part := urls[i:min(i+max, len(urls))]
		name := fmt.Sprintf("sitemap-%d.xml", len(parts)+1)
		parts = append(parts, name)
		outs = append(outs, file(name, func(w io.Writer) error { return s.writeURLSet(w, part) }))
	}
	return append(outs, file("sitemap.xml", func(w io.Writer) error { return s.writeSitemapIndex(w, parts) }))
}

func (s *rendering) writeURLSet(w io.Writer, urls []sitemapURL) error {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		fmt.Fprintf(&b, "  <url><loc>%s</loc>", xmlEscape(s.Abs(u.loc)))
		if !u.mod.IsZero() {
			fmt.Fprintf(&b, "<lastmod>%s</lastmod>", u.mod.Format(time.RFC3339))
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (s *rendering) writeSitemapIndex(w io.Writer, parts []string) error {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range parts {
		fmt.Fprintf(&b, "  <sitemap><loc>%s</loc></sitemap>\n", xmlEscape(s.Abs("/"+p)))
	}
	b.WriteString("</sitemapindex>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
