package search

// The pages' records of the static export, d/N.json.

import (
	"fmt"
	"strconv"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

type docsResult struct {
	files map[string][]byte
	lens  []int // tokens of each page's text
	err   error
}

// exportDocs writes d/N.json for the pages in path order, with its own
// reader, beside the postings.
func exportDocs(x *Index, ids []string) (map[string][]byte, []int, error) {
	r, release, err := x.reader()
	if err != nil {
		return nil, nil, err
	}
	defer release()
	files := make(map[string][]byte, docFiles(len(ids)))
	lens := make([]int, len(ids))
	g := staticDocGroup(len(ids))
	group := make([]StaticDoc, 0, g)
	for i, ext := range ids {
		d, err := r.Document(ext)
		if err != nil {
			return nil, nil, err
		}
		if d == nil {
			return nil, nil, fmt.Errorf("search export: page %s has no stored fields", ext)
		}
		sd := docRecord(ext, d)
		lens[i] = len(analyze(sd.Text))
		group = append(group, sd)
		if len(group) < g && i < len(ids)-1 {
			continue
		}
		b, err := encodeJSON(group)
		if err != nil {
			return nil, nil, err
		}
		files["d/"+strconv.Itoa(i/g)+".json"] = b
		group = group[:0]
	}
	return files, lens, nil
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
