// Package casework is what every case kind's application service (ASB, complaints, register) shares: who is
// acting, the storage and delivery ports the services own, and the one pipeline every use case runs through:
//
//	load with version -> authorize -> decide (pure rules) -> outbox messages -> conditional save -> deliver
//
// It knows no HTTP and no DynamoDB: transports (JSON API, pages, queues) build commands and call services;
// adapters (shared/adapters/...) implement the ports.
package casework
