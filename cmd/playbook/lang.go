package main

import (
	"errors"
	"os"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
)

// siteErrors are a build's content errors with the site's language, so
// that they are printed with their Chinese text on a zh-CN site.
type siteErrors struct {
	content.Errors
	lang string
}

func (e siteErrors) Unwrap() error { return e.Errors }

// Error is the errors as build prints them in the site's language.
func (e siteErrors) Error() string { return e.Errors.Text(e.lang) }

// siteLanguage is the language playbook.yaml in site sets; the default
// (zh-CN) when it cannot be read, as the build then fails on it anyway.
func siteLanguage(site string) string {
	if c, err := config.Load(os.DirFS(site)); err == nil {
		return c.Language
	}
	return config.Default().Language
}

// withLanguage gives content errors in err the language of site.
func withLanguage(err error, site string) error {
	var ce content.Errors
	if !errors.As(err, &ce) {
		return err
	}
	return siteErrors{ce, siteLanguage(site)}
}
