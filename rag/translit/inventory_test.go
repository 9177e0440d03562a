package translit

import (
	"testing"
)

// inventoryChunks is a small corpus in three languages.
var inventoryChunks = []string{
	"俄罗斯外长拉夫罗夫8日在比什凯克同吉尔吉斯斯坦外长卡扎克巴耶夫举行会谈。",
	"哈萨克斯坦总统托卡耶夫在阿斯塔纳会见上合组织秘书长诺罗夫。托卡耶夫表示，",
	"乌兹别克斯坦总统米尔济约耶夫出席撒马尔罕峰会。",
	"Russian Foreign Minister Sergei Lavrov arrived in Bishkek on Monday. Lavrov's visit",
	"Kazakh President Kassym-Jomart Tokayev met SCO Secretary-General Vladimir Norov in Astana.",
	"Министр иностранных дел России Сергей Лавров прибыл в Бишкек.",
	"Президент Казахстана Касым-Жомарт Токаев встретился с генсеком ШОС Норовым.",
	"特别是在基金领域，双方同意加强合作。",
}

func TestInventoryLookup(t *testing.T) {
	inv := NewInventory()
	for _, c := range inventoryChunks {
		inv.Add(c)
	}
	if inv.Len() == 0 {
		t.Fatal("empty inventory")
	}
	tests := []struct {
		name string
		want []string // forms expected among the results, best first
		not  []string // forms that must not be among them
	}{
		{"Lavrov", []string{"拉夫罗夫", "Лавров"}, []string{"Lavrov", "托卡耶夫"}},
		{"拉夫罗夫", []string{"Lavrov", "Лавров"}, []string{"拉夫罗夫", "Tokayev"}},
		{"Tokayev", []string{"托卡耶夫", "Токаев"}, []string{"Tokayev"}},
		{"托卡耶夫", []string{"Tokayev", "Токаев"}, nil},
		{"Bishkek", []string{"比什凯克", "Бишкек"}, nil},
		{"Мирзиёев", []string{"米尔济约耶夫"}, nil},
		{"Astana", []string{"阿斯塔纳"}, []string{"哈萨克斯坦"}},
		{"Kazakbaev", []string{"卡扎克巴耶夫"}, nil},
		{"Norov", []string{"诺罗夫", "Норовым"}, nil},                // by the stem Норов
		{"诺罗夫", []string{"Norov", "Норовым"}, []string{"Лавров"}}, // by the stem Норов
		{"Putin", nil, []string{"普京"}},
		{"Khan", nil, nil},
	}
	for _, tt := range tests {
		got := inv.Lookup(tt.name)
		have := map[string]Form{}
		for _, f := range got {
			have[f.Text] = f
			if f.Score < Threshold || f.Score > 1 {
				t.Errorf("Lookup(%q): %q has score %v", tt.name, f.Text, f.Score)
			}
			if f.Script == ScriptOf(tt.name) {
				t.Errorf("Lookup(%q): %q is in the name's own script", tt.name, f.Text)
			}
		}
		for _, w := range tt.want {
			if _, ok := have[w]; !ok {
				t.Errorf("Lookup(%q) = %v, want %q among them", tt.name, got, w)
			}
		}
		for _, w := range tt.not {
			if _, ok := have[w]; ok {
				t.Errorf("Lookup(%q) = %v, want no %q", tt.name, got, w)
			}
		}
		for i := 1; i < len(got); i++ {
			if got[i].Score > got[i-1].Score {
				t.Errorf("Lookup(%q) not sorted by score: %v", tt.name, got)
			}
		}
	}
	if f := inv.Lookup("Tokayev"); len(f) > 0 && f[0].Text == "托卡耶夫" && f[0].Count != 2 {
		t.Errorf("托卡耶夫 counted %d times, want 2", f[0].Count)
	}
}

func TestInventoryAddName(t *testing.T) {
	inv := NewInventory()
	if err := inv.AddName("热恩别科夫"); err != nil {
		t.Fatal(err)
	}
	if err := inv.AddName(" 123 "); err == nil {
		t.Error("AddName of a name without letters: no error")
	}
	got := inv.Lookup("Jeenbekov")
	if len(got) != 1 || got[0].Text != "热恩别科夫" || got[0].Script != Han {
		t.Errorf("Lookup(Jeenbekov) = %v, want 热恩别科夫", got)
	}
	if got := NewInventory().Lookup("Jeenbekov"); got != nil {
		t.Errorf("empty inventory: Lookup = %v", got)
	}
}

// TestLookupAgreesWithSimilarity checks that the pruned search of Lookup
// finds exactly the forms that Similarity accepts.
func TestLookupAgreesWithSimilarity(t *testing.T) {
	names := loadNames(t)
	inv := NewInventory()
	for _, n := range names {
		for _, f := range []string{n.zh, n.en, n.ru} {
			if err := inv.AddName(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, n := range names {
		for _, q := range []string{n.zh, n.en} {
			got := map[string]bool{}
			for _, f := range inv.Lookup(q) {
				got[f.Text] = true
			}
			for _, m := range names {
				for _, f := range []string{m.zh, m.en, m.ru} {
					want := ScriptOf(f) != ScriptOf(q) && Similarity(q, f) >= Threshold
					if got[f] != want {
						t.Errorf("Lookup(%q) has %q: %v, Similarity %.3f", q, f, got[f], Similarity(q, f))
					}
				}
			}
		}
	}
}
