package bot

// The learned models are fitted on the tuning part of the labelled
// questions only; the calibration part is kept for setting
// DefaultMinConfidence and for measuring. The reranker comes first: the
// answerability model learns from the sections it puts first, so the
// second run must see the new reranker built in.
//
//go:generate go run ../cmd/faqbot-train -rerank rerank.json ../eval/testdata/tune.tsv
//go:generate go run ../cmd/faqbot-train -answerability answerability.json ../eval/testdata/tune.tsv
