package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

func runIndex(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "index", "")
	asJSON := fs.Bool("json", false, "end the output with one JSON line of figures")
	rebuild := fs.Bool("rebuild", false, "embed everything again; the old index stays until the new one is saved")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	opts := openOptions{rebuild: *rebuild, strict: true, mustSave: true}
	var bar *progressBar
	if isTerminal(m.Stderr) {
		bar = &progressBar{w: m.Stderr}
		opts.progress = bar.update
	}
	start := time.Now()
	a, err := openApp(ctx, c.cfg, c.log, opts)
	if bar != nil {
		bar.done()
	}
	if err != nil {
		return err
	}
	st := a.stats
	st.Seconds = time.Since(start).Seconds()
	for _, s := range a.skipped {
		fmt.Fprintf(m.Stdout, "skipped %s: %s\n", s.File, s.Reason)
	}
	fmt.Fprintf(m.Stdout, "Indexed %d documents in %s: %d added, %d updated, %d removed, %d unchanged; %d chunks, %d embedded, %.2fs.\n",
		len(a.docs), a.store.Path(), st.Added, st.Updated, st.Removed, st.Unchanged, st.Chunks, st.Embedded, st.Seconds)
	if *asJSON {
		line, err := json.Marshal(st)
		if err != nil {
			return fmt.Errorf("couldn't write JSON: %w", err)
		}
		fmt.Fprintln(m.Stdout, string(line))
	}
	return nil
}

// progressBar draws "[#####     ] 32/64 chunks" on a terminal.
type progressBar struct {
	w     io.Writer
	drawn bool
}

func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	const width = 30
	n := done * width / total
	fmt.Fprintf(p.w, "\rEmbedding [%s%s] %d/%d chunks", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
	p.drawn = true
}

func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
