// Command local is `make run`: the whole back end on this machine, from the catalog. Ctrl-C stops every
// process it started (a second Ctrl-C stops at once). Data is kept in .local/ between runs (`make clean`
// removes it).
//
// Settings (flags win over the environment):
//
//	-port             LOCAL_PORT            the API and /_local endpoints (3000)
//	-dynamodb-port    LOCAL_DYNAMODB_PORT   DynamoDB Local (8000)
//	-sqs-port         LOCAL_SQS_PORT        the SQS emulator (9324)
//	-concurrency      LOCAL_CONCURRENCY     warm processes per function, e.g. asb-report=4,notifier=2
//	-config           LOCAL_CONFIG          deployment configuration file (infra/config/example.json)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/councilhousing/backend/infra/config"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

func main() {
	log.SetFlags(log.Ltime)
	port := flag.Int("port", envInt("LOCAL_PORT", 3000), "port of the API and the /_local endpoints")
	dynamoPort := flag.Int("dynamodb-port", envInt("LOCAL_DYNAMODB_PORT", 8000), "port of DynamoDB Local")
	sqsPort := flag.Int("sqs-port", envInt("LOCAL_SQS_PORT", 9324), "port of the SQS emulator")
	concurrency := flag.String("concurrency", os.Getenv("LOCAL_CONCURRENCY"), "warm processes per function, e.g. asb-report=4,notifier=2")
	configFile := flag.String("config", os.Getenv("LOCAL_CONFIG"), "deployment configuration file (default "+config.ExampleFile+")")
	flag.Parse()
	if err := run(*port, *dynamoPort, *sqsPort, *concurrency, *configFile); err != nil {
		log.Fatalf("local cloud: %v", err)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// parseConcurrency reads "name=n,name=n"; anything else is an error naming the setting.
func parseConcurrency(spec string) (map[string]int, error) {
	out := map[string]int{}
	for _, part := range strings.Split(spec, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		name, n, ok := strings.Cut(part, "=")
		v, err := strconv.Atoi(n)
		if _, known := catalog.System().Function(name); !ok || err != nil || v < 1 || !known {
			return nil, fmt.Errorf("LOCAL_CONCURRENCY: %q is not <function>=<processes>", part)
		}
		out[name] = v
	}
	return out, nil
}

func run(port, dynamoPort, sqsPort int, concurrencySpec, configFile string) error {
	root, err := emulators.Root()
	if err != nil {
		return err
	}
	concurrency, err := parseConcurrency(concurrencySpec)
	if err != nil {
		return err
	}
	if configFile == "" {
		configFile = filepath.Join(root, config.ExampleFile)
	}
	settings, err := config.Load(catalog.System(), configFile, nil)
	if err == nil {
		err = settings.Check(false) // placeholders are fine locally: the Notify stand-in accepts any template id
	}
	if err != nil {
		return err
	}
	log.Printf("configuration: %s", settings.Source)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }() // after the first signal, a second one ends the program at once
	started := time.Now()
	log.Printf("starting the local cloud (data in %s)...", filepath.Join(root, ".local"))
	cloud, err := localcloud.Start(ctx, localcloud.Options{
		Catalog:     catalog.System(),
		Root:        root,
		Addr:        fmt.Sprintf("127.0.0.1:%d", port),
		DataDir:     filepath.Join(root, ".local", "dynamodb"),
		DynamoPort:  dynamoPort,
		SQSPort:     sqsPort,
		Concurrency: concurrency,
		Settings:    settings.Values(),
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
	log.Printf("Resident pages (start page): %s/", cloud.URL())
	log.Printf("Staff console: %s/staff (local sign-in stand-in: pick a user and groups)", cloud.URL())
	<-ctx.Done()
	return nil
}
