package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/search"
	"github.com/spf13/cobra"
)

func newSearchCmd() *cobra.Command {
	var sf siteFlags
	var asJSON bool
	var limit int
	var types, stages []string
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search the published pages of the site",
		Long: `Search finds the pages that contain every word of QUERY, best first.
When fewer than ` + strconv.Itoa(search.RelaxBelow) + ` pages do, close matches follow them: the query without
question and filler words (怎么办, 如何, 吗 …), then with a word no page holds
looked up by its characters, then pages with any of its words.

  价格异议            Chinese words match where their characters stand together
  "客户 太贵"         a quoted phrase matches as a whole
  签约 type:script   filters: type, stage, role, tag, industry, region, competitor
  stage:谈判          stages and roles by key or by name
  星图 案例           a type word (案例 话术 竞品 培训 复盘, case script …) puts
                     pages of that type first

Synonyms (签约 finds 成交 and 签单) come built in and from SITE/synonyms.yaml.
The index lives in SITE/.playbook/index; when content changed since it was
built, search rebuilds it first.`,
		Example: `  playbook search 价格异议
  playbook search 回款 --type script --limit 5
  playbook search "POC 试用" --json`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			o, err := sf.options()
			if err != nil {
				return err
			}
			if limit < 1 || limit > search.MaxLimit {
				return usagef("--limit: want 1 to %d, got %d", search.MaxLimit, limit)
			}
			idx, err := openSearchIndex(cmd.Context(), o, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer idx.Close()
			res, err := idx.Search(cmd.Context(), search.Request{Query: strings.Join(a, " "), Types: types, Stages: stages, Limit: limit, NoFacets: true})
			var qe *search.QueryError
			if errors.As(err, &qe) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			if asJSON {
				return printHitsJSON(cmd.OutOrStdout(), res)
			}
			return printHits(cmd.OutOrStdout(), res)
		},
	}
	sf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print [{path, url, title, score, snippet}] as JSON, best first")
	cmd.Flags().IntVarP(&limit, "limit", "n", search.DefaultLimit, "how many pages to show")
	cmd.Flags().StringSliceVarP(&types, "type", "t", nil, "only pages of this type (script, case, competitor, training, retro, page); repeatable")
	cmd.Flags().StringSliceVar(&stages, "stage", nil, "only pages of this stage, by key or name; repeatable")
	return cmd
}

// openSearchIndex opens the site's index, first rebuilding it when it is
// missing or older than the content.
func openSearchIndex(ctx context.Context, o builder.Options, log io.Writer) (*search.Index, error) {
	dir := builder.SearchIndexDir(absSite(o.Site))
	idx, err := search.Open(dir)
	if err == nil && builder.SearchIndexCurrent(o, idx.Meta()) {
		return idx, nil
	}
	reason := "is out of date"
	if idx != nil {
		idx.Close()
	} else if errors.Is(err, search.ErrNoIndex) {
		reason = "does not exist yet"
	}
	start := time.Now()
	n, err := builder.Reindex(ctx, o)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "playbook: the search index %s; indexed %d pages in %s\n", reason, n, time.Since(start).Round(time.Millisecond))
	return search.Open(dir)
}

func absSite(site string) string {
	if site == "" {
		site = "."
	}
	if abs, err := filepath.Abs(site); err == nil {
		return abs
	}
	return site
}

// jsonHit is one entry of `playbook search --json`, as the contract says.
type jsonHit struct {
	Path    string  `json:"path"`
	URL     string  `json:"url"`
	Title   string  `json:"title"`
	Score   float64 `json:"score"`
	Snippet string  `json:"snippet"`           // HTML: matches in <mark>, the rest escaped
	Relaxed int     `json:"relaxed,omitempty"` // the relaxation step that found the page; absent when it matches every word
}

func printHitsJSON(w io.Writer, res *search.Result) error {
	out := make([]jsonHit, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = jsonHit{Path: h.Path, URL: h.URL, Title: h.Title, Score: h.Score, Snippet: h.Snippet.HTML(), Relaxed: h.Relaxed}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // for people and scripts; the snippet's own HTML is escaped
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func printHits(w io.Writer, res *search.Result) error {
	if len(res.Hits) == 0 {
		_, err := fmt.Fprintf(w, "no published page matches %q\n", res.Query)
		return err
	}
	mark := func(s string) string { return "【" + printable(s) + "】" }
	if isTerminal(w) {
		mark = func(s string) string { return "\x1b[1m" + printable(s) + "\x1b[0m" }
	}
	var b strings.Builder
	for i, h := range res.Hits {
		if h.Relaxed > 0 && (i == 0 || res.Hits[i-1].Relaxed == 0) {
			b.WriteString(relaxedLine(res))
		}
		fmt.Fprintf(&b, "%2d. %s  (%s)\n    %s\n", i+1, printable(h.Title), h.Type, printable(h.URL))
		if s := h.Snippet.Format(mark, printable); s != "" {
			fmt.Fprintf(&b, "    %s\n", s)
		}
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintf(&b, "%d of %d pages; --limit shows more\n", len(res.Hits), res.Total)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// relaxedLine introduces the hits of a relaxed query (search.RelaxBelow):
// they do not hold every word.
func relaxedLine(res *search.Result) string {
	if res.Strict == 0 {
		return fmt.Sprintf("no page matches every word of %q; these come close:\n", printable(res.Query))
	}
	return "close matches, without every word:\n"
}

// printable replaces control characters, so page text cannot drive the
// terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// isTerminal reports whether w is a terminal that may show bold text.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
