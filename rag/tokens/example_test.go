package tokens_test

import (
	"fmt"

	"github.com/scobot/scobot/rag/tokens"
)

func ExampleTerms() {
	fmt.Printf("%q\n", tokens.Terms("Wang Yi’s proposals on COVID-19 vaccines"))
	fmt.Printf("%q\n", tokens.Terms("批准了20多项文件草案"))
	// Output:
	// ["wang" "yi" "proposal" "covid" "19" "vaccin"]
	// ["批准" "20" "20多" "项文" "文件" "件草" "草案"]
}

func ExampleSentences() {
	for _, s := range tokens.Sentences("Mr. Wang arrived. 会议开始。“好!”他说。") {
		fmt.Println(s)
	}
	// Output:
	// Mr. Wang arrived.
	// 会议开始。
	// “好!”
	// 他说。
}
