package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitLanguages(t *testing.T) {
	zh1 := "王毅表示,当前国际和地区形势复杂多变,上海合作组织发展面临新的机遇和挑战。各国应坚定维护多边主义,共同维护国际公平正义。"
	zh2 := "王毅强调,上海合作组织应继续秉持“上海精神”,深化政治、经济、安全、人文等领域合作,为地区和平与发展作出更大贡献。"
	en1 := "During the meeting, Foreign Minister Wang Yi stated that the current international and regional situation is complex and changing."
	en2 := "Wang Yi emphasized that the Shanghai Cooperation Organization should continue to adhere to the Shanghai Spirit."
	ru1 := "Главы государств - членов Шанхайской организации сотрудничества подписали по итогам саммита в Астане декларацию и утвердили стратегию развития организации до 2035 года."
	tests := []struct {
		name string
		in   string
		want []Part
	}{
		{"monolingual", zh1 + "\n\n" + zh2, []Part{{"zh", zh1 + "\n\n" + zh2}}},
		{"original and translation", zh1 + "\n\n" + zh2 + "\n\n" + en1 + "\n\n" + en2,
			[]Part{{"zh", zh1 + "\n\n" + zh2}, {"en", en1 + "\n\n" + en2}}},
		{"short interleaved bit stays", en1 + "\n\n上海精神\n\n" + en2, []Part{{"en", en1 + "\n\n上海精神\n\n" + en2}}},
		{"short heading joins the text after it", "SCO\n\n" + zh1, []Part{{"zh", "SCO\n\n" + zh1}}},
		{"latin inside chinese", "上合组织推动5G、AI和大数据合作,共建“数字丝绸之路”,并同SCO各国加强交流。", []Part{{"zh", "上合组织推动5G、AI和大数据合作,共建“数字丝绸之路”,并同SCO各国加强交流。"}}},
		{"russian", ru1 + "\n\n" + en1 + "\n\n" + en2, []Part{{"ru", ru1}, {"en", en1 + "\n\n" + en2}}},
		{"digits only", "2024 12 31", []Part{{"und", "2024 12 31"}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitLanguages(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSeedLanguages(t *testing.T) {
	docs := loadSeeds(t)
	want := map[string]string{
		"000_b54822d210cd7471": "zh,en",
		"001_14086ad8159a262e": "zh",
		"002_c42d388d6a7d4817": "zh",
		"003_e29fc6cbd48e96a3": "en",
		"004_73a6135f73033407": "en",
	}
	for id, langs := range want {
		d := docs[id]
		if got := strings.Join(d.Langs, ","); got != langs {
			t.Errorf("%s: langs %s, want %s", id, got, langs)
		}
		if len(d.Parts) != len(d.Langs) {
			t.Errorf("%s: %d parts for %d languages", id, len(d.Parts), len(d.Langs))
		}
	}
	parts := docs["000_b54822d210cd7471"].Parts
	if !strings.HasPrefix(parts[0].Text, "王毅出席") || !strings.HasSuffix(parts[0].Text, "交换意见。") ||
		!strings.HasPrefix(parts[1].Text, "Wang Yi Attends SCO") || !strings.HasSuffix(parts[1].Text, "issues of common concern.") {
		t.Errorf("000 split in the wrong place: %.40q… / %.40q…", parts[0].Text, parts[1].Text)
	}
}
