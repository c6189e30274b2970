// Command local is `make run`: the whole back end on this machine, from the catalog. Ctrl-C stops every
// process it started. Data is kept in .local/ between runs (`make clean` removes it).
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
)

func main() {
	log.SetFlags(log.Ltime)
	if err := run(); err != nil {
		log.Fatalf("local cloud: %v", err)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func concurrency(spec string) map[string]int {
	out := map[string]int{}
	for _, part := range strings.Split(spec, ",") {
		name, n, ok := strings.Cut(strings.TrimSpace(part), "=")
		if v, err := strconv.Atoi(n); ok && err == nil && v > 0 {
			out[name] = v
		}
	}
	return out
}

func run() error {
	root, err := emulators.Root()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	cloud, err := localcloud.Start(ctx, localcloud.Options{
		Catalog:    catalog.System(),
		Root:       root,
		Addr:       fmt.Sprintf("127.0.0.1:%d", envInt("LOCAL_PORT", 3000)),
		DataDir:    filepath.Join(root, ".local", "dynamodb"),
		DynamoPort: envInt("LOCAL_DYNAMODB_PORT", 8000),
		SQSPort:    envInt("LOCAL_SQS_PORT", 9324),
		// LOCAL_CONCURRENCY=asb-report=4,notifier=2 overrides the catalog's warm processes per function.
		Concurrency: concurrency(os.Getenv("LOCAL_CONCURRENCY")),
	})
	if err != nil {
		return err
	}
	defer func() {
		log.Printf("stopping every function and emulator...")
		cloud.Stop()
		log.Printf("stopped")
	}()
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := cloud.WaitHealthy(waitCtx); err != nil {
		return err
	}
	for _, r := range cloud.Routes() {
		log.Printf("  %s", r)
	}
	log.Printf("Local cloud ready on %s in %s (health: %s/_local/health; Ctrl-C stops it)",
		cloud.URL(), time.Since(started).Round(100*time.Millisecond), cloud.URL())
	<-ctx.Done()
	return nil
}
