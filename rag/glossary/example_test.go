package glossary_test

import (
	"fmt"

	"github.com/scobot/scobot/rag/glossary"
)

func Example() {
	g, err := glossary.Default()
	if err != nil {
		panic(err)
	}
	q := "王毅在杜尚别说了什么?"
	fmt.Println(g.Concepts(q))
	fmt.Println(g.Term("lavrov", "en"))
	for _, m := range g.Find("Wang Yi met Lavrov in Astana") {
		fmt.Println(m.Concept, m.Lang, g.Term(m.Concept, "zh"))
	}
	// Output:
	// [wang-yi dushanbe]
	// Lavrov
	// wang-yi en 王毅
	// meet-with en 会见
	// lavrov en 拉夫罗夫
	// astana en 阿斯塔纳
}
