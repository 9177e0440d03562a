// Command gencorpus writes a synthetic newsroom archive for measuring scale:
// reports of SCO-like text, half English, half Chinese, each dated and
// attributed as the real ones are, from a seeded generator so that every
// run writes the same files.
//
//	go run ./tools/gencorpus -out /tmp/archive -reports 5000
//
// 5,000 reports of 16,800 characters make about 100,000 chunks. Measure a
// cold start on them as a whole process:
//
//	go run ./cmd/scobot index --corpus /tmp/archive --db /tmp/archive-db
//	/usr/bin/time -v go run ./cmd/scobot ask --corpus /tmp/archive --db /tmp/archive-db "Which foreign ministers did Wang Yi meet in Astana?"
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var (
	enWords = strings.Fields("Wang Yi foreign minister SCO summit Astana Dushanbe cooperation security development vaccine proposal multilateralism Belt Road member states council meeting Lavrov talks regional stability economy trade terrorism Shanghai Spirit initiative video anniversary Tashkent Bishkek Qingdao Samarkand declaration charter secretariat observer partner energy connectivity")
	zhWords = strings.Fields("王毅 外长 上合组织 峰会 阿斯塔纳 杜尚别 合作 安全 发展 疫苗 建议 多边主义 一带一路 成员国 理事会 会议 拉夫罗夫 会谈 地区 稳定 经济 贸易 恐怖主义 上海精神 倡议 视频 周年 塔什干 比什凯克 青岛 撒马尔罕 宣言 宪章 秘书处 观察员 伙伴 能源 互联互通")
	months  = strings.Fields("January February March April May June July August September October November December")
)

func main() {
	out := flag.String("out", "", "folder to write the reports to (created)")
	reports := flag.Int("reports", 5000, "how many reports")
	size := flag.Int("chars", 16800, "about how many characters of text a report has")
	flag.Parse()
	if *out == "" || *reports < 1 || *size < 200 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -out DIR [-reports N] [-chars N]")
		os.Exit(2)
	}
	if err := write(*out, *reports, *size); err != nil {
		log.Fatal(err)
	}
}

func write(dir string, n, size int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		zh := i%2 == 1
		year, month, day := 2005+rng.IntN(20), 1+rng.IntN(12), 1+rng.IntN(28)
		var b strings.Builder
		if zh {
			fmt.Fprintf(&b, "上合组织报道第%d号\n\n新华社北京%d月%d日电 %d年%d月%d日,", i, month, day, year, month, day)
		} else {
			fmt.Fprintf(&b, "SCO report number %d\n\nBEIJING, %s %d (Xinhua) -- On %s %d, %d, ", i, months[month-1], day, months[month-1], day, year)
		}
		for b.Len() < size {
			words, sep, end := enWords, " ", ". "
			if zh {
				words, sep, end = zhWords, "", "。"
			}
			for w := range 10 + rng.IntN(10) {
				if w > 0 {
					b.WriteString(sep)
				}
				b.WriteString(words[rng.IntN(len(words))])
			}
			b.WriteString(end)
			if rng.IntN(5) == 0 {
				b.WriteString("\n\n")
			}
		}
		name := filepath.Join(dir, fmt.Sprintf("%06d_synthetic.txt", i))
		if err := os.WriteFile(name, []byte(b.String()+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}
