// Starts the SQS emulator (npm local-aws-sqs, installed by `make tools` into .tools/) on 127.0.0.1.
// Usage: node sqs-server.js <repo root> <port>
const http = require("http");
const path = require("path");
const [root, port] = process.argv.slice(2);
const { createRequestHandler } = require(path.join(root, ".tools", "node_modules", "local-aws-sqs"));

const { service, requestHandler } = createRequestHandler({
  port: Number(port),
  hostname: "127.0.0.1",
  region: "eu-west-2",
  accountId: "000000000000",
  emulateQueueCreationLifecycle: false,
});

// In SQS, ChangeMessageVisibility does not count as a receive; local-aws-sqs 2.0.2 adds one to
// ApproximateReceiveCount, which would send a message to its DLQ after half its maxReceiveCount deliveries.
// The emulator finds the message with Array.prototype.find on its private list, so the message is caught
// there for the (synchronous) call and its count put back.
const patched = new WeakSet();
function keepReceiveCountOnVisibilityChange(queue) {
  const proto = Object.getPrototypeOf(queue);
  if (patched.has(proto)) return;
  patched.add(proto);
  const original = proto.changeVisibility;
  proto.changeVisibility = function (receiptHandle, visibilityTimeout) {
    let entry;
    const find = Array.prototype.find;
    Array.prototype.find = function (...args) {
      const found = find.apply(this, args);
      if (entry === undefined && found && found.record) entry = found;
      return found;
    };
    try {
      return original.call(this, receiptHandle, visibilityTimeout);
    } finally {
      Array.prototype.find = find;
      const attrs = entry && entry.record && entry.record.attributes;
      if (attrs && Number(attrs.ApproximateReceiveCount) > 0) {
        attrs.ApproximateReceiveCount = String(Number(attrs.ApproximateReceiveCount) - 1);
      }
    }
  };
}

const server = http.createServer((req, res) => {
  for (const queue of service.Queues) keepReceiveCountOnVisibilityChange(queue);
  requestHandler(req, res);
});
server.listen(Number(port), "127.0.0.1", () => console.log(`sqs emulator listening on 127.0.0.1:${port}`));
server.on("error", (err) => {
  console.error(err);
  process.exit(1);
});
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
