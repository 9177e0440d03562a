package bot

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkUpdateToReply measures one private question from the raw update
// to the reply sent: decoding, routing, access and rate checks, a fake
// Asker with a fixed answer, HTML formatting and the sendMessage call to a
// loopback fake of the Bot API (the typing action runs alongside).
func BenchmarkUpdateToReply(b *testing.B) {
	benchUpdates(b, &fakeAsker{})
}

// benchUpdates sends one private question to a bot answering with asker,
// over and over, through a loopback fake of the Bot API.
func benchUpdates(b *testing.B, asker Asker) {
	f := newFakeTG(b)
	core := NewCore(asker, testDocs, CoreOptions{})
	bot, err := New(context.Background(), Config{Token: NewToken(testToken), APIURL: f.apiURL()}, core)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(privateMsg(42, 1, "Which foreign ministers did Wang Yi meet in Astana?"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		in, err := decodeUpdate(raw)
		if err != nil {
			b.Fatal(err)
		}
		bot.handle(ctx, in)
	}
}
