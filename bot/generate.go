package bot

// The answerability model is fitted on the tuning part of the labelled
// questions only; the calibration part is kept for setting
// DefaultMinConfidence and for measuring.
//
//go:generate go run ../cmd/faqbot-train -answerability answerability.json ../eval/testdata/tune.tsv
