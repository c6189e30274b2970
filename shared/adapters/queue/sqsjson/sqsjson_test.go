package sqsjson

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/awsenv"
)

// standIn answers SendMessageBatch as SQS does (awsJson1_0), checking the request; refuse lists ids to fail
// and corrupt makes it answer a wrong body MD5.
type standIn struct {
	batches         [][]string // bodies per request
	refuse, corrupt bool
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in struct {
		QueueUrl string
		Entries  []struct {
			Id, MessageBody   string
			MessageAttributes map[string]struct{ DataType, StringValue string }
		}
	}
	if r.Header.Get("X-Amz-Target") != "AmazonSQS.SendMessageBatch" || r.Header.Get("X-Amzn-Query-Mode") != "true" ||
		!strings.Contains(r.Header.Get("Authorization"), "/eu-west-2/sqs/aws4_request") || json.NewDecoder(r.Body).Decode(&in) != nil ||
		in.QueueUrl != "http://sqs.local/000000000000/notifications" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"com.amazonaws.sqs#InvalidAddress","message":"bad request"}`))
		return
	}
	type ok struct{ Id, MessageId, MD5OfMessageBody string }
	type failed struct {
		Id, Code, Message string
		SenderFault       bool
	}
	out := struct {
		Successful []ok
		Failed     []failed
	}{Successful: []ok{}, Failed: []failed{}}
	var bodies []string
	for _, e := range in.Entries {
		if e.MessageAttributes["type"].DataType != "String" || e.MessageAttributes["type"].StringValue == "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		bodies = append(bodies, e.MessageBody)
		sum := md5.Sum([]byte(e.MessageBody))
		if s.corrupt {
			sum[0]++
		}
		if s.refuse {
			out.Failed = append(out.Failed, failed{Id: e.Id, Code: "InvalidMessageContents", Message: "no", SenderFault: true})
		} else {
			out.Successful = append(out.Successful, ok{Id: e.Id, MessageId: "m-" + e.Id, MD5OfMessageBody: hex.EncodeToString(sum[:])})
		}
	}
	s.batches = append(s.batches, bodies)
	_ = json.NewEncoder(w).Encode(out)
}

func publisher(t *testing.T, s *standIn) *Publisher {
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Setenv("AWS_REGION", "eu-west-2")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_ENDPOINT_URL_SQS", srv.URL)
	t.Setenv("NOTIFICATIONS_QUEUE_URL", "http://sqs.local/000000000000/notifications")
	cfg, err := awsenv.Config()
	if err != nil {
		t.Fatal(err)
	}
	return PublisherFromEnv(New(cfg), "notifications")
}

func TestMessagesAreSentInBatchesOfTen(t *testing.T) {
	s := &standIn{}
	p := publisher(t, s)
	msgs := make([]Message, 23)
	for i := range msgs {
		msgs[i] = Message{Type: "reminder", Body: map[string]int{"n": i}}
	}
	if err := p.Send(context.Background(), "notifications", msgs...); err != nil {
		t.Fatal(err)
	}
	if len(s.batches) != 3 || len(s.batches[0]) != 10 || len(s.batches[2]) != 3 || s.batches[2][2] != `{"n":22}` {
		t.Fatalf("batches %v", s.batches)
	}
	err := p.Publish(context.Background(), casework.Message{ID: "m1", Queue: "notifications", Type: "letter", Body: json.RawMessage(`"x"`)})
	if err != nil || len(s.batches) != 4 {
		t.Fatalf("%v, batches %v", err, s.batches)
	}
}

func TestRefusedOrCorruptedMessagesAreErrors(t *testing.T) {
	err := publisher(t, &standIn{refuse: true}).Send(context.Background(), "notifications", Message{Type: "t", Body: 1})
	if err == nil || !strings.Contains(err.Error(), "1 of 1 messages refused (InvalidMessageContents)") {
		t.Errorf("err %v", err)
	}
	err = publisher(t, &standIn{corrupt: true}).Send(context.Background(), "notifications", Message{Type: "t", Body: 1})
	if err == nil || !strings.Contains(err.Error(), "MD5") {
		t.Errorf("err %v", err)
	}
	err = publisher(t, &standIn{}).Send(context.Background(), "referrals", Message{Type: "t", Body: 1})
	if err == nil || !strings.Contains(err.Error(), "REFERRALS_QUEUE_URL") {
		t.Errorf("err %v", err)
	}
}
