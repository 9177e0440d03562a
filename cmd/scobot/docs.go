package main

import (
	"context"
	"fmt"
	"strings"
)

func runDocs(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "docs", "")
	asJSON := fs.Bool("json", false, "print a JSON array")
	withChunks := fs.Bool("chunks", false, "include every chunk's text")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return err
	}
	added := addedIDs(c.cfg)
	out := make([]docJSON, 0, len(a.docs))
	for _, d := range a.docs {
		cs := a.engine.DocChunks(d.ID)
		dj := docJSON{ID: d.ID, Title: d.Title, Date: d.Date, Source: d.Source, URL: d.URL, Langs: d.Langs, ChunkCount: len(cs), Added: added[d.ID], Chunks: []chunkJSON{}}
		if dj.Langs == nil {
			dj.Langs = []string{}
		}
		if *withChunks {
			for _, ch := range cs {
				dj.Chunks = append(dj.Chunks, chunkJSON{ID: ch.ID, Lang: ch.Lang, Text: ch.Text})
			}
		}
		out = append(out, dj)
	}
	if *asJSON {
		return writeJSON(m.Stdout, out)
	}
	for _, d := range out {
		mark := ""
		if d.Added {
			mark = "  (added)"
		}
		fmt.Fprintf(m.Stdout, "%s  %s%s\n    %s — %s, %s; %s; %d chunks\n", d.ID, d.Date, mark, d.Title, d.Source, strings.Join(d.Langs, "+"), orNone(d.URL), d.ChunkCount)
		for _, ch := range d.Chunks {
			fmt.Fprintf(m.Stdout, "  [%s %s] %s\n", ch.ID, ch.Lang, ch.Text)
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "no URL"
	}
	return s
}

// docJSON is one element of `scobot docs --json`.
type docJSON struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Date       string      `json:"date"`
	Source     string      `json:"source"`
	URL        string      `json:"url"`
	Langs      []string    `json:"langs"`
	ChunkCount int         `json:"chunk_count"`
	Added      bool        `json:"added,omitempty"` // added with scobot add
	Chunks     []chunkJSON `json:"chunks"`          // filled by --chunks
}

type chunkJSON struct {
	ID   string `json:"id"`
	Lang string `json:"lang"`
	Text string `json:"text"`
}
