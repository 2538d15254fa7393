// Package config loads playbook.yaml, the site's settings. Every key has a
// documented default, and an unknown key is an error naming it, so a typo
// never passes silently.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/internal/yamlerr"
	"go.yaml.in/yaml/v3"
)

// FileName is the config file in a site folder.
const FileName = "playbook.yaml"

// Config is a site's settings; the zero value of each field means its default.
type Config struct {
	Title       string            `yaml:"title"`        // site title; default "Playbook"
	Description string            `yaml:"description"`  // one line under the title on the home page
	BaseURL     string            `yaml:"baseURL"`      // e.g. https://kb.example.com/sales/ ; its path is prefixed to every link
	Language    string            `yaml:"language"`     // zh-CN (default) or en: the theme's UI strings
	Timezone    string            `yaml:"timezone"`     // IANA zone for dates without one; default Asia/Shanghai
	Theme       string            `yaml:"theme"`        // folder under themes/ overriding the embedded default, file by file
	Stages      []content.Choice  `yaml:"stages"`       // the sales process in order; default: the contract's eight stages
	Roles       []content.Choice  `yaml:"roles"`        // default: manager, rep, csm, support
	ReviewEvery map[string]string `yaml:"review_every"` // default review interval per type ("default" for all others)
	Markup      Markup            `yaml:"markup"`
	Training    Training          `yaml:"training"`
	Search      Search            `yaml:"search"`
	Params      map[string]any    `yaml:"params"` // free values for themes

	Location *time.Location              `yaml:"-"`
	Review   map[string]content.Duration `yaml:"-"` // ReviewEvery, parsed, one entry per type
}

// Markup configures markdown rendering.
type Markup struct {
	// UnsafeHTML lets raw HTML in markdown through (off: it is dropped).
	UnsafeHTML bool `yaml:"unsafe_html"`
}

// Training configures the weekly session slot and presenter rotation.
type Training struct {
	Weekday  string   `yaml:"weekday"`  // default friday
	Time     string   `yaml:"time"`     // default 15:00
	Rotation []string `yaml:"rotation"` // trainers in turn
	// Skip lists days without sessions (public holidays, company days):
	// "2027-01-01 元旦" or "2027-10-01..2027-10-07 国庆节" (skip.go).
	Skip     []string   `yaml:"skip"`
	SkipDays []SkipDays `yaml:"-"` // Skip, parsed in the site's zone
}

// Search configures the built site's search box.
type Search struct {
	// ReportURL is where the search box sends a search that found nothing,
	// or only relaxed hits ({time, query, count, relaxed}, see package
	// search/misses), with navigator.sendBeacon, once the query settles:
	// an absolute https:// URL, or a site path starting with / (under the
	// base path, like every link of the site). Empty, the default, sends
	// nothing. playbook serve ignores it: its box reports to serve itself.
	ReportURL string `yaml:"report_url"`
}

// DefaultStages is the default sales process.
var DefaultStages = []content.Choice{
	{Key: "prospecting", Name: "潜在客户发现"}, {Key: "contact", Name: "客户联系"},
	{Key: "discovery", Name: "需求分析"}, {Key: "proposal", Name: "方案提供"},
	{Key: "negotiation", Name: "谈判"}, {Key: "closing", Name: "成交"},
	{Key: "onboarding", Name: "交付上线"}, {Key: "renewal", Name: "续约增购"},
}

// DefaultRoles are the default audience roles.
var DefaultRoles = []content.Choice{
	{Key: "manager", Name: "销售经理"}, {Key: "rep", Name: "销售代表"},
	{Key: "csm", Name: "客户成功经理"}, {Key: "support", Name: "销售支持"},
}

// DefaultReviewEvery is how long a page of each type stays true without review.
// Retros record the past and never go stale.
var DefaultReviewEvery = map[string]string{
	"script": "90d", "competitor": "90d", "training": "180d", "case": "365d", "page": "180d",
}

// Default returns the configuration of a site without playbook.yaml.
func Default() *Config {
	c := &Config{}
	if err := c.fill(); err != nil {
		panic(err) // the defaults are constants
	}
	return c
}

// Load reads playbook.yaml from site; a missing file means all defaults.
func Load(site fs.FS) (*Config, error) {
	data, err := fs.ReadFile(site, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	var ce *content.Error
	if errors.As(err, &ce) {
		return nil, err // the site's reader names the file: a link leading out of the site, say
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", FileName, err)
	}
	return Parse(data)
}

// Parse decodes and checks config text.
func Parse(data []byte) (*Config, error) {
	c := &Config{}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", FileName, yamlerr.WithLine(data, err))
	}
	if len(doc.Content) > 0 {
		if err := checkKeys(doc.Content[0], reflect.TypeOf(*c), ""); err != nil {
			return nil, err
		}
		if err := doc.Content[0].Decode(c); err != nil {
			return nil, fmt.Errorf("%s: %w", FileName, err)
		}
	}
	if err := c.fill(); err != nil {
		return nil, fmt.Errorf("%s: %w", FileName, err)
	}
	if err := c.fillSkip(&doc); err != nil {
		return nil, err
	}
	if err := checkReportURL(c.Search.ReportURL); err != nil {
		return nil, fmt.Errorf("%s:%d: search.report_url: %w", FileName, valueLine(&doc, "search", "report_url"), err)
	}
	return c, nil
}

// checkReportURL accepts an https URL with no user name or password in it
// (every page carries it), or a path of the site's own host.
func checkReportURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	sitePath := err == nil && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && u.Host == ""
	remote := err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
	if strings.ContainsAny(s, "\\ ") || !sitePath && !remote {
		return fmt.Errorf("want an absolute https:// URL without user or password, or a site path starting with /, got %q", s)
	}
	return nil
}

// valueLine is the line of the value at a path of mapping keys, or 0.
func valueLine(doc *yaml.Node, keys ...string) int {
	if n := nodeAt(doc, keys...); n != nil {
		return n.Line
	}
	return 0
}

// nodeAt is the value at a path of mapping keys, or nil.
func nodeAt(doc *yaml.Node, keys ...string) *yaml.Node {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, k := range keys {
		var next *yaml.Node
		for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// checkKeys rejects mapping keys that name no field of t, with their line.
func checkKeys(n *yaml.Node, t reflect.Type, at string) error {
	if n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice { // e.g. stages: a list of {key, name}
		for i, item := range n.Content {
			if err := checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d].", strings.TrimSuffix(at, "."), i+1)); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return nil
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			fields[tag] = t.Field(i).Type
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ft, ok := fields[k.Value]
		if !ok {
			names := make([]string, 0, len(fields))
			for f := range fields {
				names = append(names, f)
			}
			sort.Strings(names)
			return fmt.Errorf("%s:%d: %s%s: unknown key; allowed: %s", FileName, k.Line, at, k.Value, strings.Join(names, ", "))
		}
		if err := checkKeys(n.Content[i+1], ft, at+k.Value+"."); err != nil {
			return err
		}
	}
	return nil
}

// fill applies defaults and checks values.
func (c *Config) fill() error {
	if c.Title == "" {
		c.Title = "Playbook"
	}
	if c.Language == "" {
		c.Language = "zh-CN"
	}
	if c.Language != "zh-CN" && c.Language != "en" {
		return fmt.Errorf("language: want zh-CN or en, got %q", c.Language)
	}
	if c.Timezone == "" {
		c.Timezone = "Asia/Shanghai"
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return fmt.Errorf("timezone: want an IANA zone such as Asia/Shanghai, got %q", c.Timezone)
	}
	c.Location = loc
	if c.Theme == "" {
		c.Theme = "default"
	}
	if len(c.Stages) == 0 {
		c.Stages = DefaultStages
	}
	if len(c.Roles) == 0 {
		c.Roles = DefaultRoles
	}
	if err := checkChoices("stages", c.Stages); err != nil {
		return err
	}
	if err := checkChoices("roles", c.Roles); err != nil {
		return err
	}
	if c.Training.Weekday == "" {
		c.Training.Weekday = "friday"
	}
	if c.Training.Time == "" {
		c.Training.Time = "15:00"
	}
	if _, err := time.Parse("15:04", c.Training.Time); err != nil {
		return fmt.Errorf("training.time: want HH:MM such as 15:00, got %q", c.Training.Time)
	}
	if _, err := c.SessionWeekday(); err != nil {
		return err
	}
	return c.fillReview()
}

func (c *Config) fillReview() error {
	c.Review = map[string]content.Duration{}
	merged := map[string]string{}
	for k, v := range DefaultReviewEvery {
		merged[k] = v
	}
	def := c.ReviewEvery["default"]
	for k, v := range c.ReviewEvery {
		if k != "default" && !slices.Contains(content.Types, k) {
			return fmt.Errorf("review_every.%s: unknown type; want default or one of %s", k, strings.Join(content.Types, ", "))
		}
		merged[k] = v
	}
	for _, t := range content.Types {
		s, ok := merged[t]
		if _, set := c.ReviewEvery[t]; !set && def != "" {
			s, ok = def, true
		}
		if !ok || s == "" || s == "never" {
			continue
		}
		d, err := content.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("review_every.%s: %w", t, err)
		}
		c.Review[t] = d
	}
	return nil
}

func checkChoices(field string, cs []content.Choice) error {
	seen := map[string]bool{}
	for i, ch := range cs {
		if ch.Key == "" {
			return fmt.Errorf("%s[%d]: key is required", field, i+1)
		}
		if seen[ch.Key] {
			return fmt.Errorf("%s: key %q appears twice", field, ch.Key)
		}
		seen[ch.Key] = true
		if cs[i].Name == "" {
			cs[i].Name = ch.Key
		}
	}
	return nil
}

// SessionWeekday parses training.weekday.
func (c *Config) SessionWeekday() (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(c.Training.Weekday, d.String()) || strings.EqualFold(c.Training.Weekday, d.String()[:3]) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("training.weekday: want a day such as friday, got %q", c.Training.Weekday)
}

// Rules returns what content validation needs from the config.
func (c *Config) Rules() *content.Rules {
	return &content.Rules{Stages: c.Stages, Roles: c.Roles, Location: c.Location, ReviewEvery: c.Review}
}

// StageName returns the display name of a stage key.
func (c *Config) StageName(key string) string { return choiceName(c.Stages, key) }

// RoleName returns the display name of a role key.
func (c *Config) RoleName(key string) string { return choiceName(c.Roles, key) }

func choiceName(cs []content.Choice, key string) string {
	for _, ch := range cs {
		if ch.Key == key {
			return ch.Name
		}
	}
	return key
}
