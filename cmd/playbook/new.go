package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/playbook-sales/playbook/builder/archetype"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/spf13/cobra"
)

func newNewCmd() *cobra.Command {
	var site, nowText string
	cmd := &cobra.Command{
		Use:   "new TYPE TITLE",
		Short: "Create a page from its type's archetype (script, case, competitor, training, retro, page)",
		Example: `  playbook new script "客户说太贵了"
  playbook new training "谈判中的让步策略"`,
		Args: args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			src, err := source.Open(site)
			if err != nil {
				return err
			}
			cfg, err := config.Load(src.FS("."))
			src.Close()
			if err != nil {
				return err
			}
			now := time.Now()
			if nowText != "" {
				if now, err = content.ParseDate(nowText, cfg.Location); err != nil {
					return usageError{fmt.Errorf("--now: %w", err)}
				}
			}
			file, err := archetype.New(site, a[0], a[1], now, cfg)
			if errors.Is(err, archetype.ErrUnknownType) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), "created", file)
			return err
		},
	}
	cmd.Flags().StringVarP(&site, "source", "s", ".", "site folder")
	cmd.Flags().StringVar(&nowText, "now", "", "the clock a new training session is scheduled after (2026-11-23 or RFC 3339)")
	return cmd
}
