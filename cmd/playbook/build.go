package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/playbook-sales/playbook/builder"
	"github.com/spf13/cobra"
)

// siteFlags are the flags every command that reads a site shares.
type siteFlags struct {
	site    string
	drafts  bool
	future  bool
	expired bool
	now     string
	noGit   bool
}

func (f *siteFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.site, "source", "s", ".", "site folder (holds playbook.yaml and content/)")
	cmd.Flags().BoolVarP(&f.drafts, "drafts", "D", false, "include drafts")
	cmd.Flags().BoolVarP(&f.future, "future", "F", false, "include pages whose publishDate is in the future")
	cmd.Flags().BoolVarP(&f.expired, "expired", "E", false, "include pages whose expiryDate has passed")
	cmd.Flags().StringVar(&f.now, "now", "", "the clock for publishing, staleness and overdue actions (2026-11-23 or RFC 3339)")
	cmd.Flags().BoolVar(&f.noGit, "no-git", false, "do not read git history: last changes come from front matter only")
}

func (f *siteFlags) options() (builder.Options, error) {
	now, err := parseNow(f.now)
	if err != nil {
		return builder.Options{}, err
	}
	return builder.Options{Site: f.site, Drafts: f.drafts, Future: f.future, Expired: f.expired, Now: now, NowText: f.now, Version: currentBuild().Version, NoGit: f.noGit}, nil
}

func newBuildCmd() *cobra.Command {
	var sf siteFlags
	var dest, baseURL string
	var quiet bool
	var prof profileFlags
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site into public/",
		Long: `Build reads content/, checks every page and writes the site to public/ (or -d DEST).
Content errors are all listed as file:line: field: message, the exit code is 1,
and the previous public/ is left exactly as it was.

The build replaces the destination as a whole, so it must be missing, an empty
folder, or the output of an earlier build (which holds a .playbook-build file);
anything else is refused with exit code 2 and left untouched.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := sf.options()
			if err != nil {
				return err
			}
			o.Dest, o.BaseURL = dest, baseURL
			stop, err := prof.start()
			if err != nil {
				return err
			}
			res, err := builder.Build(cmd.Context(), o)
			if err := errors.Join(withLanguage(err, sf.site), stop()); err != nil {
				return err
			}
			gitNote(cmd, res.Site.GitNote)
			if note := res.Site.BaseURLNote(); note != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "playbook: warning:", note)
			}
			if !quiet {
				fmt.Fprintln(cmd.OutOrStdout(), summary(res))
			}
			return nil
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVarP(&dest, "destination", "d", "", "output folder (default SITE/public); must be missing, empty or an earlier build")
	cmd.Flags().StringVar(&baseURL, "base-url", "", "override baseURL, e.g. https://kb.example.com/sales/")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing on success")
	prof.register(cmd)
	return cmd
}

// summary is the one line a build prints: pages per type, files, time.
func summary(r *builder.Result) string {
	types := make([]string, 0, len(r.PerType))
	total := 0
	for t, n := range r.PerType {
		types = append(types, fmt.Sprintf("%s %d", t, n))
		total += n
	}
	sort.Strings(types)
	hidden := ""
	if r.Hidden > 0 {
		hidden = fmt.Sprintf(", %d hidden (draft/future/expired)", r.Hidden)
	}
	return fmt.Sprintf("built %d %s (%s)%s, %d files in %s → %s",
		total, plural(total, "page", "pages"), strings.Join(types, ", "), hidden, r.Files, r.Duration.Round(1e6), r.Dest)
}

// gitNote says, once per command and on stderr (so -q and --json keep it),
// why pages have no dates from git although the site is in git.
func gitNote(cmd *cobra.Command, note string) {
	if note != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "playbook: note:", note)
	}
}
