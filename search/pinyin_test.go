package search_test

import "testing"

// pinyinFloor is the least MRR@10 the pinyin queries may score (0.071
// before pinyin search, 0.911 with it). Raise it when pinyin improves.
const (
	pinyinFloor = 0.90
	pinyinZeros = 1
)

func loadPinyinQueries(t testing.TB) []rankedQuery {
	return loadQueryFile(t, "testdata/pinyin-queries.yaml")
}

// TestPinyinQueries scores testdata/pinyin-queries.yaml on the sample site;
// one of them (xuyuejiangjia) names no page's words side by side and finds
// nothing.
func TestPinyinQueries(t *testing.T) {
	scoreQueries(t, sampleIndex(t), loadPinyinQueries(t), pinyinFloor, pinyinZeros)
}
