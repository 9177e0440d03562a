package translit_test

import (
	"fmt"

	"github.com/scobot/scobot/rag/translit"
)

func ExampleKey() {
	for _, name := range []string{"Lavrov", "Лавров", "拉夫罗夫", "Tokayev", "托卡耶夫"} {
		fmt.Println(name, translit.Key(name))
	}
	// Output:
	// Lavrov laflof
	// Лавров laflof
	// 拉夫罗夫 laflof
	// Tokayev tokaef
	// 托卡耶夫 tokaef
}

func ExampleMatch() {
	fmt.Println(translit.Match("米尔济约耶夫", "Mirziyoyev"))
	fmt.Println(translit.Match("撒马尔罕", "Samarkand"))
	fmt.Println(translit.Match("卡里莫夫", "Kamilov"))
	// Output:
	// true
	// true
	// false
}

func ExampleNameRuns() {
	fmt.Println(translit.NameRuns("巴基斯坦总理伊姆兰·汗同拉夫罗夫举行会谈。"))
	// Output: [巴基斯坦 伊姆兰 拉夫罗夫]
}

func ExampleInventory() {
	inv := translit.NewInventory()
	inv.Add("吉尔吉斯斯坦外长卡扎克巴耶夫在比什凯克会见拉夫罗夫。")
	inv.Add("Министр Казакбаев встретился с Лавровым в Бишкеке.")
	for _, f := range inv.Lookup("Kazakbaev") {
		fmt.Printf("%s %s %.2f\n", f.Text, f.Script, f.Score)
	}
	for _, f := range inv.Lookup("Lavrov") {
		fmt.Printf("%s %s %.2f\n", f.Text, f.Script, f.Score)
	}
	// Output:
	// Казакбаев cyrillic 1.00
	// 卡扎克巴耶夫 han 1.00
	// Лавровым cyrillic 1.00
	// 拉夫罗夫 han 1.00
}
