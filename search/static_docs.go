package search

// The pages' records of the static export, d/N.json.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

type docsResult struct {
	lens []int // tokens of each page's text
	err  error
}

// exportDocs writes d/N.json for the pages in path order to put, with its
// own reader, beside the postings.
func exportDocs(ctx context.Context, x *Index, ids []string, put func(string, []byte) error) ([]int, error) {
	r, release, err := x.reader()
	if err != nil {
		return nil, err
	}
	defer release()
	lens := make([]int, len(ids))
	g := staticDocGroup(len(ids))
	group := make([]StaticDoc, 0, g)
	for i, ext := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := r.Document(ext)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, fmt.Errorf("search export: page %s has no stored fields", ext)
		}
		sd := docRecord(ext, d)
		lens[i] = len(analyze(sd.Text))
		group = append(group, sd)
		if len(group) < g && i < len(ids)-1 {
			continue
		}
		b, err := encodeJSON(group)
		if err != nil {
			return nil, err
		}
		if err := put("d/"+strconv.Itoa(i/g)+".json", b); err != nil {
			return nil, err
		}
		group = group[:0]
	}
	return lens, nil
}

// docRecord is a page's record from its stored fields.
func docRecord(path string, d index.Document) StaticDoc {
	sd := StaticDoc{Path: path}
	var text []string
	d.VisitFields(func(f index.Field) {
		v := string(f.Value())
		switch f.Name() {
		case fieldURL:
			sd.URL = v
		case fieldTitle:
			sd.Title = v
		case fieldType:
			sd.Type = v
		case fieldObjection:
			sd.Objection = v
		case fieldSummary:
			sd.Summary = v
		case fieldSay:
			sd.Say = v
		case fieldSayURL:
			sd.SayURL = v
		case fieldText:
			text = append(text, v)
		}
	})
	sd.Text = strings.Join(text, "\n") // a separator: no token spans two values
	return sd
}
