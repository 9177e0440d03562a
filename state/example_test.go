package state_test

import (
	"fmt"
	"time"

	"github.com/scobot/scobot/state"
)

func ExampleParseSubscribe() {
	topic, s, err := state.ParseSubscribe("SCO foreign ministers weekly mon 08:00 Asia/Shanghai", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	after := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC) // a Wednesday
	fmt.Println(topic)
	fmt.Println(s)
	fmt.Println(state.Next(s, after))

	_, _, err = state.ParseSubscribe("SCO daily 25:00", nil)
	fmt.Println(err)
	// Output:
	// SCO foreign ministers
	// weekly mon 08:00 Asia/Shanghai
	// 2026-03-09 08:00:00 +0800 CST
	// bad /subscribe arguments: "25:00" is not a time of day: hours go 00–23, minutes 00–59 (/subscribe <topic> [daily HH:MM | weekly DAY HH:MM] [timezone], e.g. /subscribe SCO foreign ministers weekly mon 08:00 Asia/Shanghai)
}
