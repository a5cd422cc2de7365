package bot

// The learned models are fitted on the tuning part of the labelled
// questions only; the calibration part is kept for setting
// DefaultMinConfidence and for measuring. The escalation model comes
// first (the others read whether a question escalates), then the
// reranker: the answerability model learns from the sections it puts
// first, so each run must see the models before it built in.
//
//go:generate go run ../cmd/faqbot-train -escalation escalation.json ../eval/testdata/tune.tsv
//go:generate go run ../cmd/faqbot-train -rerank rerank.json ../eval/testdata/tune.tsv
//go:generate go run ../cmd/faqbot-train -answerability answerability.json ../eval/testdata/tune.tsv
