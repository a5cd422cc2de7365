package main

import "context"

func runServe(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	return &usageError{"serve: not built yet"}
}
