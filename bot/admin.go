package bot

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/scobot/scobot/render/words"
)

// Library adds reports to the corpus and removes them, for the editors
// (Config.AdminUsers). Its errors are shown to the editor as they are:
// one line saying what and why. cmd/scobot implements it over the folder
// of added reports, so that an added report is answered from at once.
type Library interface {
	// AddURL fetches a page and adds it.
	AddURL(ctx context.Context, url string) (AddedReport, error)
	// AddFile adds a report sent as a file (.txt, .md or .html).
	AddFile(ctx context.Context, name string, data []byte) (AddedReport, error)
	// AddText adds a report sent as a message's text; name is a stable
	// file name for it (without extension).
	AddText(ctx context.Context, name, text string) (AddedReport, error)
	// Remove removes an added report by its ID.
	Remove(ctx context.Context, id string) error
}

// AddedReport is what was understood of an added report.
type AddedReport struct {
	ID        string
	Title     string
	Date      string // ISO 8601, "" if none found
	Publisher string
	Langs     []string
	Chunks    int
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name string
	Data []byte
}

// addReport handles /add, an attachment or a forwarded message from an
// editor: a URL, a file or a text becomes a report.
func (c *Core) addReport(ctx context.Context, in Input, arg string) Reply {
	lang := c.Lang(in)
	if !in.Admin {
		return textReply(KindRefusal, words.Text(lang, words.NotEditor))
	}
	lib := c.opts.Library
	if lib == nil {
		return textReply(KindInfo, words.Text(lang, words.NoLibrary))
	}
	arg = strings.TrimSpace(arg)
	var rep AddedReport
	var err error
	switch {
	case in.Attachment != nil:
		rep, err = lib.AddFile(ctx, in.Attachment.Name, in.Attachment.Data)
	case isLink(arg):
		rep, err = lib.AddURL(ctx, arg)
	case arg != "":
		rep, err = lib.AddText(ctx, in.Name, arg)
	default:
		return textReply(KindUsage, words.Text(lang, words.UsageAdd))
	}
	if err != nil {
		c.log.Warn("couldn't add a report", "chat", in.Chat, "user", in.User, "err", err)
		return textReply(KindError, words.Text(lang, words.NotAdded, err.Error()))
	}
	c.log.Info("report added", "chat", in.Chat, "user", in.User, "id", rep.ID)
	none := words.Text(lang, words.NoneFound)
	return Reply{Kind: KindInfo, Blocks: []Block{{
		Title: words.Text(lang, words.Added, rep.ID),
		Items: []Item{
			{Label: words.Text(lang, words.FieldTitle), Detail: cmp.Or(rep.Title, none)},
			{Label: words.Text(lang, words.FieldDate), Detail: cmp.Or(rep.Date, none)},
			{Label: words.Text(lang, words.FieldPublisher), Detail: cmp.Or(rep.Publisher, none)},
			{Label: words.Text(lang, words.FieldLanguages), Detail: cmp.Or(strings.Join(rep.Langs, ", "), none)},
			{Label: words.Text(lang, words.FieldChunks), Detail: fmt.Sprint(rep.Chunks)},
		},
	}, {Text: words.Text(lang, words.AddedThen, rep.ID)}}}
}

// removeReport handles /remove <id> from an editor.
func (c *Core) removeReport(ctx context.Context, in Input, id string) Reply {
	lang := c.Lang(in)
	if !in.Admin {
		return textReply(KindRefusal, words.Text(lang, words.NotEditor))
	}
	if c.opts.Library == nil {
		return textReply(KindInfo, words.Text(lang, words.NoLibrary))
	}
	id = strings.TrimSpace(id)
	if id == "" || strings.ContainsAny(id, " \n") {
		return textReply(KindUsage, words.Text(lang, words.UsageRemove))
	}
	if err := c.opts.Library.Remove(ctx, id); err != nil {
		return textReply(KindError, words.Text(lang, words.NotRemoved, err.Error()))
	}
	c.log.Info("report removed", "chat", in.Chat, "user", in.User, "id", id)
	return textReply(KindInfo, words.Text(lang, words.Removed, id))
}

// isLink reports whether s is one http(s) URL.
func isLink(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && !strings.ContainsAny(s, " \n\t")
}
